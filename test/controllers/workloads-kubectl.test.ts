/**
 * End-to-end: the workload controllers (ReplicaSet, ReplicationController, Deployment, Job,
 * TTL-after-finished, CronJob) driven by real kubectl — 1.33 for everything, 1.27 for a smoke
 * subset — against kuberx's API server in this process. The test plays the kubelet: pods of
 * Deployments are made Ready as they appear (`autoReady`), Job pods succeed or fail when told.
 */
import { jest } from '@jest/globals';
import type { ClusterHarness } from '../../controllers/testharness.js';
import { startClusterHarness } from '../../controllers/testharness.js';
import { cronJobController } from '../../controllers/cronjob/index.js';
import { deploymentController } from '../../controllers/deployment/index.js';
import { jobController } from '../../controllers/job/index.js';
import {
  replicaSetController,
  replicationControllerController,
} from '../../controllers/replicaset/index.js';
import { ttlAfterFinishedController } from '../../controllers/ttlafterfinished/index.js';
import { autoReady, listPods, markFinished } from '../../controllers/util/testing.js';
import { eventually } from '../../framework/testing/index.js';
import { describeWithKubectl, json, kubectl, type Kubectl } from './cluster-harness.js';

jest.setTimeout(120_000);

let h: ClusterHarness;
const runners: Kubectl[] = [];
const kubelets: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  h = await startClusterHarness({
    descriptors: [
      replicaSetController,
      replicationControllerController,
      deploymentController,
      jobController,
      ttlAfterFinishedController,
      cronJobController,
    ],
  });
}, 60_000);

afterAll(async () => {
  for (const k of kubelets) await k.stop();
  for (const r of runners) await r.close();
  await h.stop();
});

/** A kubectl runner in a fresh namespace where Deployment pods become Ready as they appear. */
async function namespaced(version: string, namespace: string, ready = true): Promise<Kubectl> {
  const k = kubectl(h, version, namespace);
  runners.push(k);
  await k.ok(['create', 'namespace', namespace]);
  if (ready)
    kubelets.push(
      autoReady(
        h.env.client,
        namespace,
        () => Date.now(),
        (p) => !p.metadata?.labels?.['batch.kubernetes.io/job-name'],
      ),
    );
  return k;
}

interface DeploymentJson {
  metadata: { annotations?: Record<string, string>; generation: number };
  spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
  status: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    observedGeneration?: number;
  };
}

async function deployment(k: Kubectl, name: string): Promise<DeploymentJson> {
  return json<DeploymentJson>(await k.ok(['get', 'deployment', name, '-o', 'json']));
}

async function replicaSets(
  k: Kubectl,
  selector: string,
): Promise<Array<{ name: string; replicas: number; revision: string; image: string }>> {
  const list = json<{
    items: Array<{
      metadata: { name: string; annotations: Record<string, string> };
      spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
    }>;
  }>(await k.ok(['get', 'replicasets', '-l', selector, '-o', 'json']));
  return list.items
    .map((rs) => ({
      name: rs.metadata.name,
      replicas: rs.spec.replicas,
      revision: rs.metadata.annotations['deployment.kubernetes.io/revision'] ?? '',
      image: rs.spec.template.spec.containers[0]!.image,
    }))
    .sort((a, b) => Number(a.revision) - Number(b.revision));
}

const image = async (k: Kubectl, name: string) =>
  (await deployment(k, name)).spec.template.spec.containers[0]!.image;

function rolloutTests(version: string, full: boolean): void {
  const v = version.replace('.', '-');

  test('create deployment, rollout status, set image, rollout history and undo to the right revision', async () => {
    const k = await namespaced(version, `rollout-${v}`);
    await k.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3']);
    const status = await k.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(status).toContain('deployment "web" successfully rolled out');
    await k.ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.26']);
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(await replicaSets(k, 'app=web')).toEqual([
      expect.objectContaining({ revision: '1', replicas: 0, image: 'nginx:1.25' }),
      expect.objectContaining({ revision: '2', replicas: 3, image: 'nginx:1.26' }),
    ]);
    const history = await k.ok(['rollout', 'history', 'deployment/web']);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>/);
    expect(await k.ok(['rollout', 'undo', 'deployment/web'])).toContain('rolled back');
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(await image(k, 'web')).toBe('nginx:1.25');
    const d = await deployment(k, 'web');
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    const rss = await replicaSets(k, 'app=web');
    expect(rss.map((r) => [r.revision, r.image, r.replicas])).toEqual([
      ['2', 'nginx:1.26', 0],
      ['3', 'nginx:1.25', 3],
    ]);
    await k.ok(['rollout', 'undo', 'deployment/web', '--to-revision=2']);
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(await image(k, 'web')).toBe('nginx:1.26');
    expect(await k.ok(['rollout', 'history', 'deployment/web', '--revision=4'])).toContain(
      'nginx:1.26',
    );
  });

  test('scale to 0 and back', async () => {
    const k = await namespaced(version, `scale-${v}`);
    await k.ok(['create', 'deployment', 'sc', '--image=nginx:1.25', '--replicas=2']);
    await k.ok(['rollout', 'status', 'deployment/sc', '--timeout=60s']);
    await k.ok(['scale', 'deployment/sc', '--replicas=0']);
    await eventually(
      async () => (await listPods(h.env.client, `scale-${v}`, 'app=sc')).length === 0,
      'pods gone',
    );
    expect((await replicaSets(k, 'app=sc'))[0]!.replicas).toBe(0);
    await k.ok(['scale', 'deployment/sc', '--replicas=3']);
    await k.ok(['rollout', 'status', 'deployment/sc', '--timeout=60s']);
    expect((await deployment(k, 'sc')).status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      updatedReplicas: 3,
    });
  });

  if (!full) return;

  test('rollout pause holds a new template, undo is refused while paused, resume rolls it out', async () => {
    const k = await namespaced(version, `pause-${v}`);
    await k.ok(['create', 'deployment', 'p', '--image=nginx:1.25', '--replicas=2']);
    await k.ok(['rollout', 'status', 'deployment/p', '--timeout=60s']);
    await k.ok(['set', 'image', 'deployment/p', 'nginx=nginx:1.26']);
    await k.ok(['rollout', 'status', 'deployment/p', '--timeout=60s']);
    expect(await k.ok(['rollout', 'pause', 'deployment/p'])).toContain('paused');
    await k.ok(['set', 'image', 'deployment/p', 'nginx=nginx:1.27']);
    await eventually(async () => {
      const d = await deployment(k, 'p');
      return (d.status.observedGeneration ?? 0) >= d.metadata.generation;
    }, 'the change observed');
    expect(await replicaSets(k, 'app=p')).toHaveLength(2);
    const paused = json<{
      status: { conditions: Array<{ type: string; status: string; reason: string }> };
    }>(await k.ok(['get', 'deployment', 'p', '-o', 'json']));
    expect(paused.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'Progressing',
        status: 'Unknown',
        reason: 'DeploymentPaused',
      }),
    );
    const undo = await k.run(['rollout', 'undo', 'deployment/p']);
    expect(undo.code).not.toBe(0);
    expect(undo.stderr).toContain('you cannot rollback a paused deployment; resume it first');
    expect(await k.ok(['rollout', 'resume', 'deployment/p'])).toContain('resumed');
    await k.ok(['rollout', 'status', 'deployment/p', '--timeout=60s']);
    expect((await replicaSets(k, 'app=p')).map((r) => [r.image, r.replicas])).toEqual([
      ['nginx:1.25', 0],
      ['nginx:1.26', 0],
      ['nginx:1.27', 2],
    ]);
  });

  test('rollout restart rolls out a new ReplicaSet with the restartedAt annotation', async () => {
    const k = await namespaced(version, `restart-${v}`);
    await k.ok(['create', 'deployment', 'r', '--image=nginx:1.25', '--replicas=2']);
    await k.ok(['rollout', 'status', 'deployment/r', '--timeout=60s']);
    await k.ok(['rollout', 'restart', 'deployment/r']);
    await k.ok(['rollout', 'status', 'deployment/r', '--timeout=60s']);
    const rss = await replicaSets(k, 'app=r');
    expect(rss.map((r) => r.replicas)).toEqual([0, 2]);
    const pods = await listPods(h.env.client, `restart-${v}`, 'app=r');
    expect(
      pods
        .filter((p) => !p.metadata?.deletionTimestamp)
        .every((p) => p.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']),
    ).toBe(true);
  });

  test('a ReplicationController scales with kubectl scale', async () => {
    const k = await namespaced(version, `rc-${v}`);
    const manifest = {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy' },
      spec: {
        replicas: 1,
        selector: { app: 'legacy' },
        template: {
          metadata: { labels: { app: 'legacy' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    };
    await k.ok(['apply', '-f', k.file('rc.json', JSON.stringify(manifest))]);
    await k.ok(['scale', 'rc/legacy', '--replicas=3']);
    await eventually(
      async () =>
        json<{ status: { readyReplicas?: number } }>(
          await k.ok(['get', 'rc', 'legacy', '-o', 'json']),
        ).status.readyReplicas === 3,
      '3 ready',
    );
  });
}

function jobTests(version: string): void {
  const v = version.replace('.', '-');

  test('kubectl wait --for=condition=complete sees a Job complete; ttlSecondsAfterFinished deletes it', async () => {
    const ns = `jobok-${v}`;
    const k = await namespaced(version, ns, false);
    const manifest = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'ok' },
      spec: {
        ttlSecondsAfterFinished: 1,
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    };
    await k.ok(['apply', '-f', k.file('job.json', JSON.stringify(manifest))]);
    await eventually(async () => (await listPods(h.env.client, ns)).length === 1, 'the pod');
    const waiting = k.run(['wait', '--for=condition=complete', 'job/ok', '--timeout=60s']);
    await markFinished(
      h.env.client,
      (await listPods(h.env.client, ns))[0]!,
      'Succeeded',
      Date.now(),
    );
    const r = await waiting;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('job.batch/ok condition met');
    await eventually(
      async () => {
        const got = await k.run(['get', 'job', 'ok', '-o', 'json']);
        return (
          got.code !== 0 ||
          !!json<{ metadata: { deletionTimestamp?: string } }>(got.stdout).metadata
            .deletionTimestamp
        );
      },
      'the TTL deletion',
      15_000,
    );
  });

  test('kubectl wait --for=condition=failed sees a Job fail past its backoffLimit', async () => {
    const ns = `jobfail-${v}`;
    const k = await namespaced(version, ns, false);
    await k.ok(['create', 'job', 'bad', '--image=busybox']);
    await k.ok(['patch', 'job', 'bad', '--type=merge', '-p', '{"spec":{"backoffLimit":0}}']);
    await eventually(async () => (await listPods(h.env.client, ns)).length === 1, 'the pod');
    await markFinished(h.env.client, (await listPods(h.env.client, ns))[0]!, 'Failed', Date.now());
    const r = await k.run(['wait', '--for=condition=failed', 'job/bad', '--timeout=60s']);
    expect(r.code).toBe(0);
    const job = json<{ status: { conditions: Array<{ type: string; reason: string }> } }>(
      await k.ok(['get', 'job', 'bad', '-o', 'json']),
    );
    expect(job.status.conditions.map((c) => [c.type, c.reason])).toEqual([
      ['FailureTarget', 'BackoffLimitExceeded'],
      ['Failed', 'BackoffLimitExceeded'],
    ]);
    expect(await k.ok(['get', 'job', 'bad'])).toMatch(/bad\s+Failed\s+0\/1/);
  });
}

describeWithKubectl('1.33', 'workload controllers', () => {
  rolloutTests('1.33', true);
  jobTests('1.33');
});

describeWithKubectl('1.27', 'workload controllers smoke', () => {
  rolloutTests('1.27', false);
});
