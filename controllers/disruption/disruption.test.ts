/**
 * The disruption controller against the in-process API server on a fake clock, with the API
 * server's eviction subresource reading the status it writes. After upstream's
 * `test/integration/disruption` (`TestPDBWithScaleSubresource`, `TestEmptySelector`,
 * `TestSelectorsForPodsWithoutLabels`, `TestEvictionVersions`, `TestStalePodDisruption`) and
 * `disruption_test.go` (`TestReplicaSet`, `TestStatefulSetController`, `TestUpdateDisruptedPods`,
 * `TestDaemonSetPodsFailSafe`-like cases).
 */
import { jest } from '@jest/globals';
import {
  CoreEvent,
  DaemonSet,
  Pod,
  PodDisruptionBudget,
  ReplicaSet,
  resourcePath,
  StatefulSet,
  StatusError,
  type KubernetesObject,
} from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import {
  advanceUntil,
  createNamespace,
  markReady,
  settle,
  startWorkloadEnv,
  type WorkloadEnv,
} from '../util/testing.js';
import { registerDisruptionController } from './index.js';

jest.setTimeout(60_000);

let w: WorkloadEnv;
let ns = '';
let seq = 0;

beforeAll(async () => {
  w = await startWorkloadEnv({ register: (mgr) => registerDisruptionController(mgr) });
});

afterAll(async () => {
  await w.stop();
});

beforeEach(async () => {
  ns = `pdb-${++seq}`;
  await createNamespace(w.client, ns);
});

const template = (app: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
});

/** An owner object of `kind` (its controller is not running: only its spec matters). */
async function owner<T extends KubernetesObject>(
  obj: T,
  kind: Parameters<typeof w.client.create>[1],
): Promise<T> {
  return w.client.create(obj, kind) as Promise<T>;
}

/** `n` Ready pods labelled app=`app`, controlled by `ownerObj` (or by nothing). */
async function pods(app: string, n: number, ownerObj?: KubernetesObject): Promise<void> {
  for (let i = 0; i < n; i++) {
    const pod = await w.client.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${app}-${i}`,
          namespace: ns,
          labels: { app },
          ownerReferences: ownerObj
            ? [
                {
                  apiVersion: ownerObj.apiVersion!,
                  kind: ownerObj.kind!,
                  name: ownerObj.metadata!.name!,
                  uid: ownerObj.metadata!.uid!,
                  controller: true,
                },
              ]
            : undefined,
        },
        spec: { containers: [{ name: 'app', image: 'nginx' }], nodeName: 'node-1' },
      },
      { kind: Pod },
    );
    await markReady(w.client, pod, w.clock.now());
  }
}

async function budget(name: string, spec: NonNullable<PodDisruptionBudget['spec']>): Promise<void> {
  await w.client.create(
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace: ns },
      spec,
    },
    { kind: PodDisruptionBudget },
  );
}

const status = async (name: string) =>
  (await w.client.get(PodDisruptionBudget, name, { namespace: ns })).status ?? {};

async function statusReaches(name: string, want: Record<string, unknown>): Promise<void> {
  await eventually(
    async () => {
      const s = (await status(name)) as Record<string, unknown>;
      return Object.entries(want).every(([k, v]) => JSON.stringify(s[k]) === JSON.stringify(v));
    },
    `PDB status ${JSON.stringify(want)}`,
  );
}

async function evict(pod: string): Promise<number> {
  try {
    await w.client.rest.json({
      method: 'POST',
      path: resourcePath(Pod, { namespace: ns, name: pod, subresource: 'eviction' }),
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: ns } },
    });
    return 201;
  } catch (err) {
    if (err instanceof StatusError) return err.status.code ?? 0;
    throw err;
  }
}

test('minAvailable as an integer counts selected pods; evictions stop at the budget', async () => {
  await pods('web', 3);
  await budget('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
  await statusReaches('web', {
    currentHealthy: 3,
    desiredHealthy: 2,
    expectedPods: 3,
    disruptionsAllowed: 1,
    observedGeneration: 1,
  });
  const cond = (await status('web')).conditions?.find((c) => c.type === 'DisruptionAllowed');
  expect(cond).toMatchObject({ status: 'True', reason: 'SufficientPods', observedGeneration: 1 });

  expect(await evict('web-0')).toBe(201);
  expect(await evict('web-1')).toBe(429);
  await statusReaches('web', { currentHealthy: 2, disruptionsAllowed: 0 });
  const after = await status('web');
  expect(after.conditions?.find((c) => c.type === 'DisruptionAllowed')).toMatchObject({
    status: 'False',
    reason: 'InsufficientPods',
  });
});

test('a pod evicted but not deleted stops counting for 2 minutes, then counts again', async () => {
  await pods('keep', 3);
  await budget('keep', { minAvailable: 1, selector: { matchLabels: { app: 'keep' } } });
  await statusReaches('keep', { disruptionsAllowed: 2 });
  // Record an eviction whose delete did not happen (the pod stays), as the eviction API leaves
  // it when the delete after the budget check fails.
  const pdb = await w.client.get(PodDisruptionBudget, 'keep', { namespace: ns });
  const at = new Date(w.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await w.client.updateStatus(
    { ...pdb, status: { ...pdb.status!, disruptionsAllowed: 1, disruptedPods: { 'keep-0': at } } },
    { kind: PodDisruptionBudget },
  );
  await statusReaches('keep', {
    currentHealthy: 2,
    disruptionsAllowed: 1,
    disruptedPods: { 'keep-0': at },
  });
  await advanceUntil(
    w.clock,
    async () => {
      const s = await status('keep');
      return s.currentHealthy === 3 && Object.keys(s.disruptedPods ?? {}).length === 0;
    },
    'the entry to expire',
    { stepMs: 5000 },
  );
  expect(w.clock.now()).toBeGreaterThanOrEqual(Date.parse(at) + 120_000);
  expect((await status('keep')).disruptedPods ?? {}).toEqual({});
  const events = (await w.client.list(CoreEvent, { namespace: ns })).items;
  expect(events.some((e) => e.reason === 'NotDeleted' && e.involvedObject?.name === 'keep-0')).toBe(
    true,
  );
});

test('percentages use the scale of the pods controllers: ReplicaSet and StatefulSet', async () => {
  const rs = await owner<ReplicaSet>(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs', namespace: ns },
      spec: { replicas: 5, selector: { matchLabels: { app: 'mix' } }, template: template('mix') },
    },
    { kind: ReplicaSet },
  );
  const sts = await owner<StatefulSet>(
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'sts', namespace: ns },
      spec: {
        replicas: 4,
        serviceName: 'sts',
        selector: { matchLabels: { app: 'mix' } },
        template: template('mix'),
      },
    },
    { kind: StatefulSet },
  );
  await pods('mix', 2, rs);
  await w.client.create(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'mix-s0',
        namespace: ns,
        labels: { app: 'mix' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'StatefulSet',
            name: 'sts',
            uid: sts.metadata!.uid!,
            controller: true,
          },
        ],
      },
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    },
    { kind: Pod },
  );
  // 9 expected (5 + 4); 50% maxUnavailable rounds up to 5 → desired 4.
  await budget('mix', { maxUnavailable: '50%', selector: { matchLabels: { app: 'mix' } } });
  await statusReaches('mix', {
    expectedPods: 9,
    desiredHealthy: 4,
    currentHealthy: 2,
    disruptionsAllowed: 0,
  });
  await w.client.patch(ReplicaSet, 'rs', { spec: { replicas: 1 } }, { namespace: ns });
  await w.client.patch(
    PodDisruptionBudget,
    'mix',
    { spec: { maxUnavailable: '60%' } },
    { namespace: ns },
  );
  // 5 expected; 60% → 3 → desired 2; 2 healthy.
  await statusReaches('mix', { expectedPods: 5, desiredHealthy: 2, observedGeneration: 2 });
});

test('pods of a kind without a scale subresource under a percentage fail safe (SyncFailed)', async () => {
  const ds = await owner<DaemonSet>(
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ds', namespace: ns },
      spec: { selector: { matchLabels: { app: 'ds' } }, template: template('ds') },
    },
    { kind: DaemonSet },
  );
  await pods('ds', 2, ds);
  await budget('ds', { minAvailable: '50%', selector: { matchLabels: { app: 'ds' } } });
  await eventually(
    async () => (await status('ds')).conditions?.some((c) => c.reason === 'SyncFailed') ?? false,
    'SyncFailed',
  );
  const s = await status('ds');
  expect(s.disruptionsAllowed).toBe(0);
  expect(s.conditions?.find((c) => c.type === 'DisruptionAllowed')).toMatchObject({
    status: 'False',
    reason: 'SyncFailed',
    message: 'daemonsets.apps does not implement the scale subresource',
  });
  expect(await evict('ds-0')).toBe(429);
});

test('an empty selector selects every pod of the namespace; unmanaged pods are reported', async () => {
  await pods('a', 1);
  await pods('b', 1);
  await budget('all', { maxUnavailable: 0, selector: {} });
  await eventually(async () => {
    const events = (await w.client.list(CoreEvent, { namespace: ns })).items;
    return events.some((e) => e.reason === 'UnmanagedPods');
  }, 'the UnmanagedPods warning');
  await statusReaches('all', { expectedPods: 0, currentHealthy: 2, disruptionsAllowed: 0 });
});

test('a budget selecting no pods says so and allows nothing', async () => {
  await budget('none', { minAvailable: 1, selector: { matchLabels: { app: 'nothing' } } });
  await statusReaches('none', {
    expectedPods: 0,
    currentHealthy: 0,
    disruptionsAllowed: 0,
    observedGeneration: 1,
  });
  const events = (await w.client.list(CoreEvent, { namespace: ns })).items;
  expect(events.find((e) => e.reason === 'NoPods')?.message).toBe('No matching pods found');
});

test('a stale DisruptionTarget condition is reset to False after 2 minutes', async () => {
  await pods('stale', 1);
  const pod = await w.client.get(Pod, 'stale-0', { namespace: ns });
  const at = new Date(w.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  pod.status!.conditions!.push({
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'EvictionByEvictionAPI',
    lastTransitionTime: at,
  });
  await w.client.updateStatus(pod, { kind: Pod });
  await settle(w.client);
  const cond = async () =>
    (await w.client.get(Pod, 'stale-0', { namespace: ns })).status?.conditions?.find(
      (c) => c.type === 'DisruptionTarget',
    );
  expect((await cond())?.status).toBe('True');
  await advanceUntil(w.clock, async () => (await cond())?.status === 'False', 'the reset', {
    stepMs: 5000,
  });
});
