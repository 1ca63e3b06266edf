/**
 * The ReplicaSet controller against the in-process API server, on a fake clock; pods are made
 * ready or finished by the test as a kubelet would. Mirrors upstream's integration tests
 * (`test/integration/replicaset`): creation, expectations, adoption, release, ranking, status,
 * slow start, deletion.
 */
import { jest } from '@jest/globals';
import {
  CoreEvent,
  Pod,
  ReplicaSet,
  ReplicationController,
  type ApiClient,
} from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import {
  advanceUntil,
  listPods,
  markAllReady,
  markFinished,
  podTemplate,
  PodQuotaTransport,
  settle,
  workloadSuite,
  type WorkloadEnv,
} from '../util/testing.js';
import { registerReplicaSetController, registerReplicationControllerController } from './index.js';

jest.setTimeout(30_000);

let w: WorkloadEnv;
let quota: PodQuotaTransport | undefined;
let ns = '';
workloadSuite(
  'rs',
  {
    register: async (mgr) => {
      await registerReplicaSetController(mgr);
      await registerReplicationControllerController(mgr);
    },
    transport: (inner) => (quota = new PodQuotaTransport(inner, Infinity)),
  },
  (env, name) => {
    w = env;
    ns = name;
  },
);

function replicaSet(
  name: string,
  replicas: number,
  labels = { app: name },
  minReadySeconds = 0,
): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      minReadySeconds,
      selector: { matchLabels: labels },
      template: podTemplate(labels),
    },
  };
}

async function getRS(client: ApiClient, name: string): Promise<ReplicaSet> {
  return client.get(ReplicaSet, name, { namespace: ns });
}

async function podCount(selector: string): Promise<number> {
  return (await listPods(w.client, ns, selector)).filter((p) => !p.metadata?.deletionTimestamp)
    .length;
}

test('a ReplicaSet creates its missing pods with generateName, labels and a blocking controller reference', async () => {
  const created = await w.client.create(replicaSet('web', 3));
  await eventually(async () => (await podCount('app=web')) === 3, '3 pods');
  const pods = await listPods(w.client, ns, 'app=web');
  for (const pod of pods) {
    expect(pod.metadata?.generateName).toBe('web-');
    expect(pod.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(pod.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web',
        uid: created.metadata!.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  }
  await eventually(
    async () => (await getRS(w.client, 'web')).status?.replicas === 3,
    'status.replicas 3',
  );
  const rs = await getRS(w.client, 'web');
  expect(rs.status).toMatchObject({
    replicas: 3,
    fullyLabeledReplicas: 3,
    readyReplicas: 0,
    availableReplicas: 0,
    observedGeneration: 1,
  });
  const events = (await w.client.list(CoreEvent, { namespace: ns })).items;
  expect(
    events.filter((e) => e.reason === 'SuccessfulCreate' && e.involvedObject?.name === 'web'),
  ).toHaveLength(3);
});

test('expectations keep a large ReplicaSet from creating duplicate pods while creations are in flight', async () => {
  await w.client.create(replicaSet('many', 40));
  await eventually(async () => (await podCount('app=many')) >= 40, '40 pods');
  await settle(w.client);
  expect(await podCount('app=many')).toBe(40);
});

test('ready pods count as available only once ready for longer than minReadySeconds', async () => {
  await w.client.create(replicaSet('slow', 2, { app: 'slow' }, 10));
  await eventually(async () => (await podCount('app=slow')) === 2, '2 pods');
  const readyAt = w.clock.now();
  await markAllReady(w.client, await listPods(w.client, ns, 'app=slow'), readyAt);
  await eventually(
    async () => (await getRS(w.client, 'slow')).status?.readyReplicas === 2,
    'ready 2',
  );
  await settle(w.client);
  expect((await getRS(w.client, 'slow')).status?.availableReplicas ?? 0).toBe(0);
  await advanceUntil(
    w.clock,
    async () => (await getRS(w.client, 'slow')).status?.availableReplicas === 2,
    'available 2',
  );
  expect(w.clock.now() - readyAt).toBeGreaterThan(10_000);
  expect(w.clock.now() - readyAt).toBeLessThanOrEqual(12_000);
});

test('a matching orphan pod is adopted and counts toward replicas', async () => {
  const orphan = await w.client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'orphan', namespace: ns, labels: { app: 'adopt' } },
    spec: podTemplate({}).spec,
  } as Pod);
  const rs = await w.client.create(replicaSet('adopt', 2, { app: 'adopt' }));
  await eventually(async () => (await podCount('app=adopt')) === 2, '2 pods');
  await settle(w.client);
  const adopted = await w.client.get(Pod, 'orphan', { namespace: ns });
  expect(adopted.metadata?.ownerReferences?.[0]).toMatchObject({
    kind: 'ReplicaSet',
    uid: rs.metadata!.uid,
    controller: true,
    blockOwnerDeletion: true,
  });
  expect(adopted.metadata?.uid).toBe(orphan.metadata?.uid);
  expect(await podCount('app=adopt')).toBe(2);
});

test('a pod relabelled out of the selector is released and replaced', async () => {
  await w.client.create(replicaSet('rel', 2, { app: 'rel' }));
  await eventually(async () => (await podCount('app=rel')) === 2, '2 pods');
  const [first] = await listPods(w.client, ns, 'app=rel');
  await w.client.patch(
    Pod,
    first!.metadata!.name!,
    { metadata: { labels: { app: 'gone' } } },
    { namespace: ns },
  );
  await eventually(async () => {
    const p = await w.client.get(Pod, first!.metadata!.name!, { namespace: ns });
    return (p.metadata?.ownerReferences ?? []).length === 0;
  }, 'the ownerReference removed');
  await eventually(async () => (await podCount('app=rel')) === 2, 'a replacement');
});

test('scaling down deletes the unscheduled pod before scheduled ones', async () => {
  await w.client.create(replicaSet('rank', 4, { app: 'rank' }));
  await eventually(async () => (await podCount('app=rank')) === 4, '4 pods');
  const pods = await listPods(w.client, ns, 'app=rank');
  const [unscheduled, ...scheduled] = pods;
  for (const p of scheduled) {
    await w.client.rest.json({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/pods/${p.metadata!.name}/binding`,
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: p.metadata!.name },
        target: { kind: 'Node', name: 'node-1' },
      },
    });
  }
  await markAllReady(w.client, scheduled, w.clock.now());
  await settle(w.client);
  await w.client.patch(ReplicaSet, 'rank', { spec: { replicas: 3 } }, { namespace: ns });
  await eventually(async () => (await podCount('app=rank')) === 3, '3 pods');
  const names = (await listPods(w.client, ns, 'app=rank'))
    .filter((p) => !p.metadata?.deletionTimestamp)
    .map((p) => p.metadata!.name);
  expect(names).not.toContain(unscheduled!.metadata!.name);
});

test('a failed pod is replaced and no longer counted in status.replicas', async () => {
  await w.client.create(replicaSet('fail', 2, { app: 'fail' }));
  await eventually(async () => (await podCount('app=fail')) === 2, '2 pods');
  const [victim] = await listPods(w.client, ns, 'app=fail');
  await markFinished(w.client, victim!, 'Failed', w.clock.now());
  await eventually(
    async () => (await listPods(w.client, ns, 'app=fail')).length === 3,
    'a replacement',
  );
  await settle(w.client);
  expect((await getRS(w.client, 'fail')).status?.replicas).toBe(2);
});

test('slow start creates in batches of 1, 2, 4 and stops at the failing batch with ReplicaFailure', async () => {
  await settle(w.client);
  const q = quota!;
  const before = q.attempts;
  const firstBatch = q.batches.length;
  q.allowed = before + 3;
  try {
    await w.client.create(replicaSet('quota', 10, { app: 'quota' }));
    await eventually(async () => {
      const c = (await getRS(w.client, 'quota')).status?.conditions ?? [];
      return c.some((x) => x.type === 'ReplicaFailure');
    }, 'ReplicaFailure');
    await settle(w.client);
    // the first sync: batches of 1 and 2 succeed (3 pods), the batch of 4 fails, 3 are never tried;
    // later syncs start again at 1
    const batches = q.batches.slice(firstBatch);
    expect(batches.slice(0, 3)).toEqual([1, 2, 4]);
    expect(batches.slice(3).every((b) => b === 1)).toBe(true);
    expect(await podCount('app=quota')).toBe(3);
    const cond = (await getRS(w.client, 'quota')).status!.conditions!.find(
      (c) => c.type === 'ReplicaFailure',
    )!;
    expect(cond).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    expect(cond.message).toContain('exceeded quota');
  } finally {
    q.allowed = Infinity;
  }
  await advanceUntil(w.clock, async () => (await podCount('app=quota')) === 10, '10 pods', {
    stepMs: 50,
  });
  await eventually(
    async () =>
      !(await getRS(w.client, 'quota')).status?.conditions?.some(
        (x) => x.type === 'ReplicaFailure',
      ),
    'ReplicaFailure removed',
  );
});

test('a ReplicaSet being deleted neither creates nor adopts pods', async () => {
  await w.client.create(replicaSet('del', 2, { app: 'del' }));
  await eventually(async () => (await podCount('app=del')) === 2, '2 pods');
  await w.client.delete(ReplicaSet, 'del', { namespace: ns, propagationPolicy: 'Orphan' });
  await eventually(
    async () => !!(await getRS(w.client, 'del')).metadata?.deletionTimestamp,
    'deletion started',
  );
  const [pod] = await listPods(w.client, ns, 'app=del');
  await w.client.delete(Pod, pod!.metadata!.name!, { namespace: ns });
  await w.client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'late', namespace: ns, labels: { app: 'del' } },
    spec: podTemplate({}).spec,
  } as Pod);
  await settle(w.client);
  expect(await podCount('app=del')).toBe(2);
  const late = await w.client.get(Pod, 'late', { namespace: ns });
  expect(late.metadata?.ownerReferences ?? []).toEqual([]);
});

test('a ReplicationController runs the same logic with its label-map selector', async () => {
  const rc = await w.client.create({
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'legacy', namespace: ns },
    spec: { replicas: 2, selector: { app: 'legacy' }, template: podTemplate({ app: 'legacy' }) },
  } as ReplicationController);
  await eventually(async () => (await podCount('app=legacy')) === 2, '2 pods');
  const [pod] = await listPods(w.client, ns, 'app=legacy');
  expect(pod!.metadata?.ownerReferences).toEqual([
    {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      name: 'legacy',
      uid: rc.metadata!.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  await eventually(
    async () =>
      (await w.client.get(ReplicationController, 'legacy', { namespace: ns })).status?.replicas ===
      2,
    'status',
  );
  const events = (await w.client.list(CoreEvent, { namespace: ns })).items;
  expect(events.some((e) => e.source?.component === 'replication-controller')).toBe(true);
});
