/**
 * End-to-end with real kubectl 1.33 against kuberx's API server in this process and a
 * controller-manager running the DaemonSet, StatefulSet, disruption, HPA, ReplicaSet and
 * Deployment controllers. The test plays the scheduler and the kubelets
 * (`controllers/daemonset/testing.ts`).
 *
 * - DaemonSet: one pod per node, `rollout status`, `set image`, `rollout history` and `undo`, a
 *   NoExecute taint (`kubectl taint`) removing the pod from that node.
 * - StatefulSet: ordered creation with PVCs, `rollout status`, `set image`, `rollout undo`,
 *   `scale` down from the highest ordinal.
 * - Disruption: `kubectl drain` refused by a PodDisruptionBudget that allows nothing, then
 *   completing under one that allows one pod at a time (ReplicaSet replacements land elsewhere).
 * - HPA: `kubectl autoscale` raising a Deployment to minReplicas, then reporting
 *   `FailedGetResourceMetric` (kuberx serves no metrics API). The HPA runs with a 1 s sync
 *   period (`--horizontal-pod-autoscaler-sync-period=1s`) so the test does not wait 15 s.
 */
import { jest } from '@jest/globals';
import { daemonSetController } from '../../controllers/daemonset/index.js';
import { playKubelets } from '../../controllers/daemonset/testing.js';
import { deploymentController } from '../../controllers/deployment/index.js';
import { disruptionController } from '../../controllers/disruption/index.js';
import {
  horizontalPodAutoscalerController,
  registerHorizontalPodAutoscalerController,
} from '../../controllers/podautoscaler/index.js';
import { replicaSetController } from '../../controllers/replicaset/index.js';
import { statefulSetController } from '../../controllers/statefulset/index.js';
import {
  createNode,
  startClusterHarness,
  type ClusterHarness,
} from '../../controllers/testharness.js';
import { eventually } from '../../framework/testing/index.js';
import { describeWithKubectl, json, kubectl, type Kubectl } from './cluster-harness.js';

jest.setTimeout(120_000);

const version = '1.33';
let h: ClusterHarness;
const runners: Kubectl[] = [];
const kubelets: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  h = await startClusterHarness({
    descriptors: [
      daemonSetController,
      statefulSetController,
      disruptionController,
      replicaSetController,
      deploymentController,
      {
        ...horizontalPodAutoscalerController,
        register: async (ctx) =>
          void (await registerHorizontalPodAutoscalerController(ctx.manager, {
            syncPeriodMs: 1000,
          })),
      },
    ],
    setup: async (env) => {
      await createNode(env.client, 'node-1');
      await createNode(env.client, 'node-2');
    },
  });
}, 60_000);

afterAll(async () => {
  for (const k of kubelets) await k.stop();
  for (const r of runners) await r.close();
  await h.stop();
});

/** A kubectl runner in a fresh namespace whose pods are scheduled and made Ready. */
async function namespaced(namespace: string): Promise<Kubectl> {
  const k = kubectl(h, version, namespace);
  runners.push(k);
  await k.ok(['create', 'namespace', namespace]);
  kubelets.push(playKubelets(h.env.client, namespace));
  return k;
}

interface PodJson {
  metadata: { name: string; creationTimestamp: string; deletionTimestamp?: string };
  spec: { nodeName?: string; containers: Array<{ image: string }> };
}

async function pods(k: Kubectl, selector: string): Promise<PodJson[]> {
  const list = json<{ items: PodJson[] }>(
    await k.ok(['get', 'pods', '-l', selector, '-o', 'json']),
  );
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

describeWithKubectl(version, 'DaemonSet, StatefulSet, disruption and HPA controllers', () => {
  test('DaemonSet: a pod per node, rollout status, set image, history, undo and a NoExecute taint', async () => {
    const k = await namespaced('more-ds');
    await k.ok(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent' },
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: {
            metadata: { labels: { app: 'agent' } },
            spec: { containers: [{ name: 'agent', image: 'busybox:1.36' }] },
          },
        },
      }),
    );
    expect(await k.ok(['rollout', 'status', 'ds/agent', '--timeout=60s'])).toContain(
      'daemon set "agent" successfully rolled out',
    );
    expect((await pods(k, 'app=agent')).map((p) => p.spec.nodeName).sort()).toEqual([
      'node-1',
      'node-2',
    ]);
    const table = await k.ok(['get', 'ds', 'agent']);
    expect(table).toMatch(/agent\s+2\s+2\s+2\s+2\s+2\s+<none>/);

    await k.ok(['set', 'image', 'ds/agent', 'agent=busybox:1.37']);
    await k.ok(['rollout', 'status', 'ds/agent', '--timeout=60s']);
    expect((await pods(k, 'app=agent')).map((p) => p.spec.containers[0]!.image)).toEqual([
      'busybox:1.37',
      'busybox:1.37',
    ]);
    expect(await k.ok(['rollout', 'history', 'ds/agent'])).toMatch(
      /REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>/,
    );
    expect(await k.ok(['rollout', 'history', 'ds/agent', '--revision=1'])).toContain(
      'busybox:1.36',
    );

    expect(await k.ok(['rollout', 'undo', 'ds/agent'])).toContain('rolled back');
    await k.ok(['rollout', 'status', 'ds/agent', '--timeout=60s']);
    await eventually(
      async () =>
        (await pods(k, 'app=agent')).every((p) => p.spec.containers[0]!.image === 'busybox:1.36'),
      'the pods back at busybox:1.36',
    );
    expect(await k.ok(['rollout', 'history', 'ds/agent'])).toMatch(/2\s+<none>\s+3\s+<none>/);

    await k.ok(['taint', 'nodes', 'node-2', 'maintenance=now:NoExecute']);
    try {
      await eventually(async () => {
        const nodes = (await pods(k, 'app=agent')).map((p) => p.spec.nodeName);
        return nodes.length === 1 && nodes[0] === 'node-1';
      }, 'the pod on node-2 to go');
      const ds = json<{ status: Record<string, number> }>(
        await k.ok(['get', 'ds', 'agent', '-o', 'json']),
      );
      expect(ds.status.desiredNumberScheduled).toBe(1);
    } finally {
      await k.ok(['taint', 'nodes', 'node-2', 'maintenance=now:NoExecute-']);
    }
  });

  test('StatefulSet: ordered pods with PVCs, rollout status, set image, undo, scale down', async () => {
    const k = await namespaced('more-sts');
    await k.ok(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'web' },
        spec: {
          replicas: 3,
          serviceName: 'web',
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: 'data' },
              spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
            },
          ],
        },
      }),
    );
    expect(await k.ok(['rollout', 'status', 'sts/web', '--timeout=60s'])).toContain(
      'partitioned roll out complete: 3 new pods have been updated...',
    );
    const created = (await pods(k, 'app=web')).sort((a, b) =>
      a.metadata.name < b.metadata.name ? -1 : 1,
    );
    expect(created.map((p) => p.metadata.name)).toEqual(['web-0', 'web-1', 'web-2']);
    const times = created.map((p) => Date.parse(p.metadata.creationTimestamp));
    expect(times[0]!).toBeLessThanOrEqual(times[1]!);
    expect(times[1]!).toBeLessThanOrEqual(times[2]!);
    const pvcs = await k.ok(['get', 'pvc', '-o', 'name']);
    expect(pvcs.trim().split('\n').sort()).toEqual([
      'persistentvolumeclaim/data-web-0',
      'persistentvolumeclaim/data-web-1',
      'persistentvolumeclaim/data-web-2',
    ]);

    await k.ok(['set', 'image', 'sts/web', 'web=nginx:1.26']);
    await k.ok(['rollout', 'status', 'sts/web', '--timeout=60s']);
    await eventually(
      async () =>
        (await pods(k, 'app=web')).every((p) => p.spec.containers[0]!.image === 'nginx:1.26'),
      'every pod at nginx:1.26',
    );
    expect(await k.ok(['rollout', 'undo', 'sts/web'])).toContain('rolled back');
    await k.ok(['rollout', 'status', 'sts/web', '--timeout=60s']);
    await eventually(async () => {
      const list = await pods(k, 'app=web');
      return list.length === 3 && list.every((p) => p.spec.containers[0]!.image === 'nginx:1.25');
    }, 'every pod back at nginx:1.25');
    const sts = json<{ status: { currentRevision: string; updateRevision: string } }>(
      await k.ok(['get', 'sts', 'web', '-o', 'json']),
    );
    expect(sts.status.currentRevision).toBe(sts.status.updateRevision);

    await k.ok(['scale', 'sts/web', '--replicas=1']);
    await eventually(
      async () => (await pods(k, 'app=web')).map((p) => p.metadata.name).join() === 'web-0',
      'scale down to web-0',
    );
    expect((await k.ok(['get', 'pvc', '-o', 'name'])).trim().split('\n')).toHaveLength(3);
  });

  test('disruption: drain is refused by a budget allowing nothing, then completes one pod at a time', async () => {
    const k = await namespaced('more-pdb');
    await k.ok(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'db' },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'db' } },
          template: {
            metadata: { labels: { app: 'db' } },
            spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
          },
        },
      }),
    );
    await k.ok(['create', 'pdb', 'db', '--selector=app=db', '--min-available=3']);
    await eventually(async () => {
      const pdb = json<{ status?: { currentHealthy?: number; observedGeneration?: number } }>(
        await k.ok(['get', 'pdb', 'db', '-o', 'json']),
      );
      return pdb.status?.currentHealthy === 3 && pdb.status.observedGeneration === 1;
    }, 'the budget to see 3 healthy pods');
    expect(await k.ok(['get', 'pdb', 'db'])).toMatch(/db\s+3\s+N\/A\s+0\s+/);
    const refused = await k.run(['drain', 'node-1', '--pod-selector=app=db', '--timeout=3s']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr + refused.stdout).toContain(
      "Cannot evict pod as it would violate the pod's disruption budget.",
    );
    expect(await pods(k, 'app=db')).toHaveLength(3);

    await k.ok(['patch', 'pdb', 'db', '--type=merge', '-p', '{"spec":{"minAvailable":2}}']);
    await eventually(
      async () => (await k.ok(['get', 'pdb', 'db'])).match(/db\s+2\s+N\/A\s+1\s+/) !== null,
      'one allowed disruption',
    );
    const out = await k.ok(['drain', 'node-1', '--pod-selector=app=db', '--timeout=60s']);
    expect(out).toContain('node/node-1 drained');
    await eventually(async () => {
      const list = await pods(k, 'app=db');
      return list.length === 3 && list.every((p) => p.spec.nodeName === 'node-2');
    }, 'the replacements on node-2');
    await k.ok(['uncordon', 'node-1']);
  });

  test('HPA: kubectl autoscale raises a Deployment to minReplicas, then reports FailedGetResourceMetric', async () => {
    const k = await namespaced('more-hpa');
    await k.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=1']);
    await k.ok(['autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=50']);
    await eventually(
      async () =>
        (await k.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}'])) === '2',
      'the scale-up to minReplicas',
      30_000,
    );
    await eventually(
      async () => {
        const hpa = json<{ status?: { conditions?: Array<{ type: string; reason: string }> } }>(
          await k.ok(['get', 'hpa', 'web', '-o', 'json']),
        );
        return (
          hpa.status?.conditions?.some(
            (c) => c.type === 'ScalingActive' && c.reason === 'FailedGetResourceMetric',
          ) ?? false
        );
      },
      'FailedGetResourceMetric',
      30_000,
    );
    expect(await k.ok(['get', 'hpa', 'web'])).toMatch(
      /web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+2\s+5\s+2/,
    );
    const described = await k.ok(['describe', 'hpa', 'web']);
    expect(described).toContain('SuccessfulRescale');
    expect(described).toContain(
      'New size: 2; reason: Current number of replicas below Spec.MinReplicas',
    );
    expect(described).toContain('FailedGetResourceMetric');
  });
});
