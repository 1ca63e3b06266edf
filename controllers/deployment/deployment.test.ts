/**
 * The Deployment controller with the ReplicaSet controller, against the in-process API server on a
 * fake clock; the test plays the kubelet. Mirrors upstream's `test/integration/deployment` cases:
 * new Deployment, rolling-update bounds, proportional scaling, progress deadline, Recreate,
 * template revert, revisionHistoryLimit, pause/resume, minReadySeconds, hash collision, adoption,
 * the legacy rollback annotation.
 */
import { jest } from '@jest/globals';
import { CoreEvent, Deployment, ReplicaSet, type ApiClient } from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import { registerReplicaSetController } from '../replicaset/index.js';
import { computeHash } from '../util/index.js';
import {
  advanceUntil,
  autoReady,
  listPods,
  markAllReady,
  podTemplate,
  settle,
  workloadSuite,
  type WorkloadEnv,
} from '../util/testing.js';
import { registerDeploymentController } from './index.js';

jest.setTimeout(60_000);

let w: WorkloadEnv;
let ns = '';
workloadSuite(
  'deploy',
  {
    register: async (mgr) => {
      await registerReplicaSetController(mgr);
      await registerDeploymentController(mgr);
    },
  },
  (env, name) => {
    w = env;
    ns = name;
  },
);

interface Options {
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  recreate?: boolean;
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  image?: string;
}

function deployment(name: string, replicas: number, o: Options = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: podTemplate({ app: name }, o.image),
      minReadySeconds: o.minReadySeconds,
      progressDeadlineSeconds: o.progressDeadlineSeconds,
      revisionHistoryLimit: o.revisionHistoryLimit,
      strategy: o.recreate
        ? { type: 'Recreate' }
        : {
            type: 'RollingUpdate',
            rollingUpdate: {
              maxSurge: o.maxSurge ?? '25%',
              maxUnavailable: o.maxUnavailable ?? '25%',
            },
          },
    },
  };
}

const getD = (client: ApiClient, name: string) => client.get(Deployment, name, { namespace: ns });

/** The Deployment's ReplicaSets, lowest revision first (old before new). */
async function replicaSets(name: string): Promise<ReplicaSet[]> {
  const d = await getD(w.client, name);
  const revision = (rs: ReplicaSet) =>
    Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  return (await w.client.list(ReplicaSet, { namespace: ns })).items
    .filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.uid === d.metadata?.uid))
    .sort((a, b) => revision(a) - revision(b));
}

async function setImage(name: string, image: string): Promise<void> {
  await w.client.patch(
    Deployment,
    name,
    { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } },
    { namespace: ns, type: 'strategic' },
  );
}

const condition = (d: Deployment, type: string) =>
  d.status?.conditions?.find((c) => c.type === type);

async function complete(name: string): Promise<boolean> {
  const d = await getD(w.client, name);
  return (
    condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable' &&
    (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
    d.status?.updatedReplicas === d.spec?.replicas &&
    d.status?.availableReplicas === d.spec?.replicas &&
    d.status?.replicas === d.spec?.replicas
  );
}

async function rollOut(name: string): Promise<void> {
  const kubelet = autoReady(w.client, ns, () => w.clock.now());
  try {
    await eventually(() => complete(name), `${name} to complete`, 20_000);
  } finally {
    await kubelet.stop();
  }
}

test('a new Deployment gets a ReplicaSet <name>-<hash> labelled on labels, selector and template, and completes', async () => {
  const created = await w.client.create(deployment('web', 3));
  await eventually(async () => (await replicaSets('web')).length === 1, 'the ReplicaSet');
  const [rs] = await replicaSets('web');
  const hash = rs!.metadata!.labels!['pod-template-hash']!;
  expect(rs!.metadata!.name).toBe(`web-${hash}`);
  expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  expect(rs!.spec!.selector!.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
  expect(rs!.spec!.template!.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
  expect(rs!.metadata!.ownerReferences).toEqual([
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      uid: created.metadata!.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  expect(rs!.metadata!.annotations).toMatchObject({
    'deployment.kubernetes.io/revision': '1',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
  });
  await rollOut('web');
  const d = await getD(w.client, 'web');
  expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
  expect(d.status).toMatchObject({
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    observedGeneration: 1,
  });
  expect(d.status?.unavailableReplicas ?? 0).toBe(0);
  expect(condition(d, 'Available')).toMatchObject({
    status: 'True',
    reason: 'MinimumReplicasAvailable',
  });
  expect(condition(d, 'Progressing')).toMatchObject({
    status: 'True',
    message: `ReplicaSet "web-${hash}" has successfully progressed.`,
  });
  const events = (await w.client.list(CoreEvent, { namespace: ns })).items.filter(
    (e) => e.involvedObject?.kind === 'Deployment',
  );
  expect(events.map((e) => [e.reason, e.message])).toContainEqual([
    'ScalingReplicaSet',
    `Scaled up replica set web-${hash} to 3`,
  ]);
});

test('a rolling update whose new pods never become ready stops at the surge and availability bounds', async () => {
  await w.client.create(deployment('bounds', 10, { maxSurge: 3, maxUnavailable: 2 }));
  await rollOut('bounds');
  await setImage('bounds', 'nginx:2');
  await settle(w.client);
  const [old, next] = await replicaSets('bounds');
  expect([old!.spec!.replicas, next!.spec!.replicas]).toEqual([8, 5]);
  const d = await getD(w.client, 'bounds');
  expect(d.status).toMatchObject({
    replicas: 13,
    updatedReplicas: 5,
    availableReplicas: 8,
    unavailableReplicas: 5,
  });
  expect(condition(d, 'Available')).toMatchObject({
    status: 'True',
    reason: 'MinimumReplicasAvailable',
  });
});

test('scaling mid-rollout is proportional (5 → 10 with new 2 / old 3 gives new 4 / old 6)', async () => {
  await w.client.create(deployment('prop', 5, { maxSurge: 0, maxUnavailable: 2 }));
  await rollOut('prop');
  await setImage('prop', 'nginx:2');
  await settle(w.client);
  expect((await replicaSets('prop')).map((r) => r.spec!.replicas)).toEqual([3, 2]);
  await w.client.patch(Deployment, 'prop', { spec: { replicas: 10 } }, { namespace: ns });
  await settle(w.client);
  const [old, next] = await replicaSets('prop');
  expect([old!.spec!.replicas, next!.spec!.replicas]).toEqual([6, 4]);
  expect(next!.metadata!.annotations!['deployment.kubernetes.io/desired-replicas']).toBe('10');
});

test('a rollout that makes no progress times out with ProgressDeadlineExceeded, and recovers', async () => {
  await w.client.create(deployment('stuck', 2, { progressDeadlineSeconds: 30 }));
  await rollOut('stuck');
  await setImage('stuck', 'nginx:broken');
  await settle(w.client);
  const start = w.clock.now();
  await advanceUntil(
    w.clock,
    async () =>
      condition(await getD(w.client, 'stuck'), 'Progressing')?.reason ===
      'ProgressDeadlineExceeded',
    'the deadline',
    { stepMs: 500 },
  );
  expect(w.clock.now() - start).toBeGreaterThanOrEqual(30_000);
  expect(w.clock.now() - start).toBeLessThanOrEqual(33_000);
  const [, next] = await replicaSets('stuck');
  expect(condition(await getD(w.client, 'stuck'), 'Progressing')).toMatchObject({
    status: 'False',
    message: `ReplicaSet "${next!.metadata!.name}" has timed out progressing.`,
  });
  await rollOut('stuck');
  expect(condition(await getD(w.client, 'stuck'), 'Progressing')).toMatchObject({
    status: 'True',
    reason: 'NewReplicaSetAvailable',
  });
});

test('Recreate removes every old pod before creating the new ReplicaSet', async () => {
  await w.client.create(deployment('recreate', 3, { recreate: true }));
  await rollOut('recreate');
  const [old] = await replicaSets('recreate');
  const seen: Array<[number, number]> = [];
  const watch = setInterval(() => {
    void (async () => {
      const rss = await replicaSets('recreate').catch(() => []);
      const oldPods = (
        await listPods(
          w.client,
          ns,
          `pod-template-hash=${old!.metadata!.labels!['pod-template-hash']}`,
        )
      ).length;
      seen.push([rss.length, oldPods]);
    })();
  }, 5);
  try {
    await setImage('recreate', 'nginx:2');
    await rollOut('recreate');
  } finally {
    clearInterval(watch);
  }
  expect(seen.some(([rss]) => rss === 2)).toBe(true);
  expect(seen.filter(([rss, oldPods]) => rss === 2 && oldPods > 0)).toEqual([]);
});

test('reverting the template reuses the old ReplicaSet with the next revision and revision-history', async () => {
  await w.client.create(deployment('revert', 2, { image: 'nginx:a' }));
  await rollOut('revert');
  await setImage('revert', 'nginx:b');
  await rollOut('revert');
  await setImage('revert', 'nginx:a');
  await rollOut('revert');
  const rss = await replicaSets('revert');
  expect(rss).toHaveLength(2);
  const a = rss.find((r) => r.spec!.template!.spec!.containers[0]!.image === 'nginx:a')!;
  expect(a.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('3');
  expect(a.metadata!.annotations!['deployment.kubernetes.io/revision-history']).toBe('1');
  expect(a.spec!.replicas).toBe(2);
  expect(
    (await getD(w.client, 'revert')).metadata?.annotations?.['deployment.kubernetes.io/revision'],
  ).toBe('3');
});

test('revisionHistoryLimit keeps only the newest old ReplicaSets', async () => {
  await w.client.create(deployment('history', 1, { revisionHistoryLimit: 1, image: 'nginx:1' }));
  await rollOut('history');
  for (const tag of ['2', '3', '4']) {
    await setImage('history', `nginx:${tag}`);
    await rollOut('history');
  }
  await settle(w.client);
  const images = (await replicaSets('history')).map(
    (r) => r.spec!.template!.spec!.containers[0]!.image,
  );
  expect(images.sort()).toEqual(['nginx:3', 'nginx:4']);
});

test('a paused Deployment does not roll out, still scales, and rolls out once resumed', async () => {
  await w.client.create(deployment('paused', 2));
  await rollOut('paused');
  await w.client.patch(Deployment, 'paused', { spec: { paused: true } }, { namespace: ns });
  await eventually(
    async () =>
      condition(await getD(w.client, 'paused'), 'Progressing')?.reason === 'DeploymentPaused',
    'DeploymentPaused',
  );
  expect(condition(await getD(w.client, 'paused'), 'Progressing')).toMatchObject({
    status: 'Unknown',
    message: 'Deployment is paused',
  });
  await setImage('paused', 'nginx:2');
  await w.client.patch(Deployment, 'paused', { spec: { replicas: 4 } }, { namespace: ns });
  await settle(w.client);
  const rss = await replicaSets('paused');
  expect(rss).toHaveLength(1);
  expect(rss[0]!.spec!.replicas).toBe(4);
  await w.client.patch(Deployment, 'paused', { spec: { paused: false } }, { namespace: ns });
  await eventually(
    async () => (await replicaSets('paused')).length === 2,
    'a new ReplicaSet after resume',
  );
  await rollOut('paused');
  expect((await replicaSets('paused')).map((r) => r.spec!.replicas)).toEqual([0, 4]);
});

test('pods count as available only minReadySeconds after they became ready', async () => {
  await w.client.create(deployment('minready', 2, { minReadySeconds: 20 }));
  await eventually(async () => (await listPods(w.client, ns, 'app=minready')).length === 2, 'pods');
  const readyAt = w.clock.now();
  await markAllReady(w.client, await listPods(w.client, ns, 'app=minready'), readyAt);
  await eventually(
    async () => (await getD(w.client, 'minready')).status?.readyReplicas === 2,
    'ready',
  );
  await settle(w.client);
  expect((await getD(w.client, 'minready')).status?.availableReplicas ?? 0).toBe(0);
  await advanceUntil(
    w.clock,
    async () => (await getD(w.client, 'minready')).status?.availableReplicas === 2,
    'available',
    { stepMs: 500 },
  );
  expect(w.clock.now() - readyAt).toBeGreaterThan(20_000);
  expect(w.clock.now() - readyAt).toBeLessThanOrEqual(23_000);
});

test('a name collision with a foreign ReplicaSet bumps collisionCount and uses another name', async () => {
  const d = deployment('collide', 1);
  d.spec!.paused = true;
  await w.client.create(d);
  const stored = await getD(w.client, 'collide');
  const hash = computeHash(stored.spec!.template, undefined);
  await w.client.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `collide-${hash}`, namespace: ns },
    spec: {
      replicas: 0,
      selector: { matchLabels: { other: 'x' } },
      template: podTemplate({ other: 'x' }, 'busybox'),
    },
  } as ReplicaSet);
  await w.client.patch(Deployment, 'collide', { spec: { paused: false } }, { namespace: ns });
  await eventually(
    async () => (await replicaSets('collide')).length === 1,
    'a ReplicaSet of the Deployment',
  );
  const [rs] = await replicaSets('collide');
  expect(rs!.metadata!.name).toBe(`collide-${computeHash(stored.spec!.template, 1)}`);
  expect((await getD(w.client, 'collide')).status?.collisionCount).toBe(1);
});

test('an orphan ReplicaSet running the template is adopted as the new ReplicaSet', async () => {
  const d = deployment('adopt', 2);
  await w.client.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'adopt-manual', namespace: ns, labels: { app: 'adopt' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'adopt' } },
      template: podTemplate({ app: 'adopt' }),
    },
  } as ReplicaSet);
  await w.client.create(d);
  await rollOut('adopt');
  const rss = await replicaSets('adopt');
  expect(rss.map((r) => r.metadata!.name)).toEqual(['adopt-manual']);
  expect(rss[0]!.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('1');
});

test('the legacy rollback annotation rolls back to the previous revision and is removed', async () => {
  await w.client.create(deployment('legacy', 1, { image: 'nginx:1' }));
  await rollOut('legacy');
  await setImage('legacy', 'nginx:2');
  await rollOut('legacy');
  await w.client.patch(
    Deployment,
    'legacy',
    { metadata: { annotations: { 'deprecated.deployment.rollback.to': '0' } } },
    { namespace: ns },
  );
  await eventually(
    async () =>
      (await getD(w.client, 'legacy')).spec?.template?.spec?.containers[0]?.image === 'nginx:1',
    'the old template',
  );
  await rollOut('legacy');
  const d = await getD(w.client, 'legacy');
  expect(d.metadata?.annotations?.['deprecated.deployment.rollback.to']).toBeUndefined();
  expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  const events = (await w.client.list(CoreEvent, { namespace: ns })).items;
  expect(
    events.some(
      (e) =>
        e.reason === 'DeploymentRollback' &&
        e.message === 'Rolled back deployment "legacy" to revision 1',
    ),
  ).toBe(true);
});
