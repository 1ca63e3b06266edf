/**
 * The StatefulSet controller against the in-process API server on a fake clock; the test plays the
 * kubelet. After upstream's `test/integration/statefulset` (`TestSpecReplicasChange`,
 * `TestDeletingAndFailedPods`, `TestStatefulSetAvailable`, `TestAutodeleteOwnerRefs`,
 * `TestStatefulSetStartOrdinal`) and `stateful_set_control_test.go` (OrderedReady creation and
 * scale-down, Parallel, RollingUpdate with partition and maxUnavailable, OnDelete, history).
 */
import { jest } from '@jest/globals';
import {
  ControllerRevision,
  CoreEvent,
  PersistentVolumeClaim,
  Pod,
  StatefulSet,
} from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import {
  advanceUntil,
  createNamespace,
  listPods,
  markFinished,
  markReady,
  podTemplate,
  settle,
  startWorkloadEnv,
  type WorkloadEnv,
} from '../util/testing.js';
import { podIndexLabel, podNameLabel, revisionLabel } from './defaults.js';
import { registerStatefulSetController } from './index.js';

jest.setTimeout(60_000);

let w: WorkloadEnv;
let ns = '';
let seq = 0;

beforeAll(async () => {
  w = await startWorkloadEnv({ register: (mgr) => registerStatefulSetController(mgr) });
});

afterAll(async () => {
  await w.stop();
});

beforeEach(async () => {
  ns = `sts-${++seq}`;
  await createNamespace(w.client, ns);
});

type Spec = NonNullable<StatefulSet['spec']>;

function statefulSet(name: string, replicas: number, spec: Partial<Spec> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: podTemplate({ app: name }),
      ...spec,
    },
  };
}

const getSet = (name: string) => w.client.get(StatefulSet, name, { namespace: ns });
const podNames = async (name: string) =>
  (await listPods(w.client, ns, `app=${name}`)).map((p) => p.metadata!.name!).sort();
const getPod = (name: string) => w.client.get(Pod, name, { namespace: ns });

async function create(set: StatefulSet): Promise<void> {
  await w.client.create(set, { kind: StatefulSet });
}

/** Marks the named pod Running and Ready now. */
async function ready(name: string): Promise<void> {
  await markReady(w.client, await getPod(name), w.clock.now());
}

/** Waits until exactly `names` exist (sorted compare). */
async function expectPods(set: string, names: string[]): Promise<void> {
  await eventually(
    async () => JSON.stringify(await podNames(set)) === JSON.stringify([...names].sort()),
    `pods ${names.join(',')}`,
  );
}

/** Makes every pod of the set ready as it appears, until `count` pods are Ready. */
async function readyAll(set: string, count: number): Promise<void> {
  await eventually(async () => {
    const pods = await listPods(w.client, ns, `app=${set}`);
    for (const p of pods) {
      const isReady = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (!isReady && !p.metadata?.deletionTimestamp) await ready(p.metadata!.name!);
    }
    return (await getSet(set)).status?.readyReplicas === count;
  }, `${count} ready replicas of ${set}`);
}

async function setImage(name: string, image: string): Promise<void> {
  await w.client.patch(
    StatefulSet,
    name,
    { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } },
    { namespace: ns, type: 'strategic' },
  );
}

describe('OrderedReady', () => {
  test('creates one pod at a time, each after its predecessor is Running and Ready', async () => {
    await create(
      statefulSet('web', 3, {
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      }),
    );
    await expectPods('web', ['web-0']);
    const claim = await w.client.get(PersistentVolumeClaim, 'data-web-0', { namespace: ns });
    expect(claim.metadata?.labels).toEqual({ app: 'web' });
    const pod0 = await getPod('web-0');
    expect(Date.parse(claim.metadata!.creationTimestamp!)).toBeLessThanOrEqual(
      Date.parse(pod0.metadata!.creationTimestamp!),
    );
    expect(pod0.spec?.hostname).toBe('web-0');
    expect(pod0.spec?.subdomain).toBe('web');
    expect(pod0.metadata?.labels?.[podNameLabel]).toBe('web-0');
    expect(pod0.metadata?.labels?.[podIndexLabel]).toBe('0');
    expect(pod0.spec?.volumes?.[0]).toEqual({
      name: 'data',
      persistentVolumeClaim: { claimName: 'data-web-0', readOnly: false },
    });
    await settle(w.client);
    expect(await podNames('web')).toEqual(['web-0']);

    await ready('web-0');
    await expectPods('web', ['web-0', 'web-1']);
    await settle(w.client);
    expect(await podNames('web')).toEqual(['web-0', 'web-1']);
    await ready('web-1');
    await expectPods('web', ['web-0', 'web-1', 'web-2']);
    await ready('web-2');
    await eventually(async () => (await getSet('web')).status?.readyReplicas === 3, 'status');
    const s = (await getSet('web')).status!;
    expect(s).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
    });
    expect(s.currentRevision).toBe(s.updateRevision);
    expect(pod0.metadata?.labels?.[revisionLabel]).toBe(s.updateRevision);
    expect(s.observedGeneration).toBe(1);
  });

  test('scales down from the highest ordinal, each after the next one is gone', async () => {
    await create(statefulSet('down', 3));
    await readyAll('down', 3);
    // web-2 lingers while a finalizer holds it.
    await w.client.patch(
      Pod,
      'down-2',
      { metadata: { finalizers: ['kuberx.io/hold'] } },
      { namespace: ns },
    );
    await w.client.patch(StatefulSet, 'down', { spec: { replicas: 1 } }, { namespace: ns });
    await eventually(
      async () => !!(await getPod('down-2')).metadata?.deletionTimestamp,
      'down-2 deleting',
    );
    await settle(w.client);
    expect((await getPod('down-1')).metadata?.deletionTimestamp).toBeUndefined();
    await w.client.patch(Pod, 'down-2', { metadata: { finalizers: null } }, { namespace: ns });
    await expectPods('down', ['down-0']);
    await eventually(
      async () => (await getSet('down')).status?.replicas === 1,
      'status.replicas 1',
    );
  });

  test('a failed pod is deleted and created again under the same name', async () => {
    await create(statefulSet('fail', 2));
    await readyAll('fail', 2);
    const before = await getPod('fail-1');
    await markFinished(w.client, before, 'Failed', w.clock.now());
    await eventually(async () => {
      const p = await getPod('fail-1').catch(() => undefined);
      return !!p && p.metadata?.uid !== before.metadata?.uid;
    }, 'fail-1 to be recreated');
    const events = await w.client.list(CoreEvent, { namespace: ns });
    expect(events.items.map((e) => e.reason)).toContain('SuccessfulDelete');
  });

  test('minReadySeconds holds the next ordinal until the pod is available', async () => {
    await create(statefulSet('slow', 2, { minReadySeconds: 10 }));
    await expectPods('slow', ['slow-0']);
    await ready('slow-0');
    await settle(w.client);
    expect(await podNames('slow')).toEqual(['slow-0']);
    expect((await getSet('slow')).status?.availableReplicas ?? 0).toBe(0);
    await advanceUntil(w.clock, async () => (await podNames('slow')).length === 2, 'slow-1', {
      stepMs: 1000,
    });
    expect((await getSet('slow')).status?.availableReplicas).toBe(1);
  });
});

test('Parallel creates and deletes all pods at once', async () => {
  await create(statefulSet('par', 3, { podManagementPolicy: 'Parallel' }));
  await expectPods('par', ['par-0', 'par-1', 'par-2']);
  await w.client.patch(StatefulSet, 'par', { spec: { replicas: 0 } }, { namespace: ns });
  await expectPods('par', []);
});

test('spec.ordinals.start numbers pods from the start ordinal', async () => {
  await create(
    statefulSet('start', 2, { ordinals: { start: 5 }, podManagementPolicy: 'Parallel' }),
  );
  await expectPods('start', ['start-5', 'start-6']);
});

describe('updates', () => {
  test('RollingUpdate replaces pods from the highest ordinal, one available pod at a time', async () => {
    await create(statefulSet('roll', 3));
    await readyAll('roll', 3);
    const first = (await getSet('roll')).status!.currentRevision!;
    await setImage('roll', 'nginx:2');
    await eventually(
      async () => (await getSet('roll')).status?.updateRevision !== first,
      'new revision',
    );
    const image = async (n: string) =>
      (await getPod(n).catch(() => undefined))?.spec?.containers[0]?.image;
    await eventually(async () => (await image('roll-2')) === 'nginx:2', 'roll-2 updated');
    expect((await getSet('roll')).status!.currentRevision).toBe(first);
    await settle(w.client);
    // roll-1 waits until the new roll-2 is Running and Ready.
    expect(await image('roll-1')).toBe('nginx:1.25');
    await ready('roll-2');
    await eventually(async () => (await image('roll-1')) === 'nginx:2', 'roll-1 updated');
    await settle(w.client);
    expect(await image('roll-0')).toBe('nginx:1.25');
    await readyAll('roll', 3);
    await eventually(async () => {
      const st = (await getSet('roll')).status!;
      return st.currentRevision === st.updateRevision && st.updatedReplicas === 3;
    }, 'the rollout to complete');
    for (const n of ['roll-0', 'roll-1', 'roll-2']) {
      expect((await getPod(n)).spec?.containers[0]?.image).toBe('nginx:2');
    }
  });

  test('a partition keeps ordinals below it at the current revision', async () => {
    await create(
      statefulSet('part', 3, {
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      }),
    );
    await readyAll('part', 3);
    await setImage('part', 'nginx:2');
    await eventually(
      async () =>
        (await getPod('part-2').catch(() => undefined))?.spec?.containers[0]?.image === 'nginx:2',
      'part-2 updated',
    );
    await readyAll('part', 3);
    await settle(w.client);
    const s = (await getSet('part')).status!;
    expect(s.updatedReplicas).toBe(1);
    expect(s.currentRevision).not.toBe(s.updateRevision);
    expect((await getPod('part-1')).spec?.containers[0]?.image).toBe('nginx:1.25');
    await w.client.patch(
      StatefulSet,
      'part',
      { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } },
      { namespace: ns },
    );
    await eventually(async () => {
      await readyAll('part', 3);
      const st = (await getSet('part')).status!;
      return st.currentRevision === st.updateRevision;
    }, 'all updated');
  });

  test('maxUnavailable deletes that many old pods at once', async () => {
    await create(
      statefulSet('mu', 4, {
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { partition: 0, maxUnavailable: 2 },
        },
      }),
    );
    await readyAll('mu', 4);
    const pods = await listPods(w.client, ns, 'app=mu');
    for (const p of pods) {
      await w.client.patch(
        Pod,
        p.metadata!.name!,
        { metadata: { finalizers: ['kuberx.io/hold'] } },
        { namespace: ns },
      );
    }
    await setImage('mu', 'nginx:2');
    await eventually(async () => {
      const deleting = (await listPods(w.client, ns, 'app=mu')).filter(
        (p) => p.metadata?.deletionTimestamp,
      );
      return deleting.length === 2;
    }, 'two pods deleting');
    await settle(w.client);
    const deleting = (await listPods(w.client, ns, 'app=mu')).filter(
      (p) => p.metadata?.deletionTimestamp,
    );
    expect(deleting.map((p) => p.metadata!.name).sort()).toEqual(['mu-2', 'mu-3']);
    for (const p of await listPods(w.client, ns, 'app=mu')) {
      await w.client.patch(
        Pod,
        p.metadata!.name!,
        { metadata: { finalizers: null } },
        { namespace: ns },
      );
    }
  });

  test('OnDelete updates a pod only when it is deleted', async () => {
    await create(statefulSet('od', 2, { updateStrategy: { type: 'OnDelete' } }));
    await readyAll('od', 2);
    await setImage('od', 'nginx:2');
    await eventually(async () => {
      const s = (await getSet('od')).status!;
      return s.updateRevision !== s.currentRevision && (s.observedGeneration ?? 0) >= 2;
    }, 'the new revision');
    await settle(w.client);
    expect((await getPod('od-1')).spec?.containers[0]?.image).toBe('nginx:1.25');
    await w.client.delete(Pod, 'od-1', { namespace: ns });
    await eventually(
      async () =>
        (await getPod('od-1').catch(() => undefined))?.spec?.containers[0]?.image === 'nginx:2',
      'od-1 at the new revision',
    );
    expect((await getPod('od-0')).spec?.containers[0]?.image).toBe('nginx:1.25');
  });

  test('a template reverted to an earlier one reuses its revision with the next number', async () => {
    await create(statefulSet('rev', 1, { revisionHistoryLimit: 1 }));
    await readyAll('rev', 1);
    const revisionOf = async () => (await getSet('rev')).status!.updateRevision!;
    const a = await revisionOf();
    await setImage('rev', 'nginx:2');
    await eventually(async () => (await revisionOf()) !== a, 'revision B');
    const b = await revisionOf();
    await setImage('rev', 'nginx:1.25');
    await eventually(async () => (await revisionOf()) === a, 'revision A again');
    const revs = await w.client.list(ControllerRevision, { namespace: ns });
    const byName = new Map(revs.items.map((r) => [r.metadata!.name!, r.revision]));
    expect(byName.get(a)).toBe(3);
    expect(byName.get(b)).toBe(2);
    await readyAll('rev', 1);
    await setImage('rev', 'nginx:3');
    await readyAll('rev', 1);
    await eventually(async () => {
      const st = (await getSet('rev')).status!;
      return st.currentRevision === st.updateRevision && st.updatedReplicas === 1;
    }, 'rollout to nginx:3');
    await settle(w.client);
    // live: the current revision; history limit 1 keeps one more, the newest (A, revision 3).
    const left = (await w.client.list(ControllerRevision, { namespace: ns })).items
      .map((r) => r.revision)
      .sort();
    expect(left).toEqual([3, 4]);
  });
});

describe('adoption, release and PVC retention', () => {
  test('orphan pods with a member name are adopted, others released', async () => {
    await w.client.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'adopt-0', namespace: ns, labels: { app: 'adopt' } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
      },
      { kind: Pod },
    );
    await w.client.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'stranger', namespace: ns, labels: { app: 'adopt' } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
      },
      { kind: Pod },
    );
    await create(statefulSet('adopt', 1));
    const set = await getSet('adopt');
    await eventually(
      async () =>
        (await getPod('adopt-0')).metadata?.ownerReferences?.[0]?.uid === set.metadata?.uid,
      'adoption',
    );
    expect((await getPod('stranger')).metadata?.ownerReferences).toBeUndefined();
    await w.client.patch(
      Pod,
      'adopt-0',
      { metadata: { labels: { app: 'other' } } },
      { namespace: ns },
    );
    await eventually(
      async () => !(await getPod('adopt-0')).metadata?.ownerReferences?.length,
      'release',
    );
  });

  test('whenScaled Delete hands a scaled-down PVC to its pod; whenDeleted Delete gives live PVCs to the set', async () => {
    await create(
      statefulSet('ret', 2, {
        podManagementPolicy: 'Parallel',
        persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Delete' },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      }),
    );
    const set = await getSet('ret');
    const owners = async (claim: string) =>
      (
        (await w.client.get(PersistentVolumeClaim, claim, { namespace: ns })).metadata
          ?.ownerReferences ?? []
      ).map((r) => `${r.kind}/${r.name}`);
    await eventually(
      async () =>
        JSON.stringify(await owners('data-ret-1').catch(() => [])) ===
        JSON.stringify(['StatefulSet/ret']),
      'set owner',
    );
    await readyAll('ret', 2);
    const pod1 = await getPod('ret-1');
    await w.client.patch(
      Pod,
      'ret-1',
      { metadata: { finalizers: ['kuberx.io/hold'] } },
      { namespace: ns },
    );
    await w.client.patch(StatefulSet, 'ret', { spec: { replicas: 1 } }, { namespace: ns });
    await eventually(
      async () => JSON.stringify(await owners('data-ret-1')) === JSON.stringify(['Pod/ret-1']),
      'pod owner after scale-down',
    );
    const ref = (await w.client.get(PersistentVolumeClaim, 'data-ret-1', { namespace: ns }))
      .metadata!.ownerReferences![0]!;
    expect(ref.uid).toBe(pod1.metadata?.uid);
    expect(ref.controller).toBe(true);
    expect(await owners('data-ret-0')).toEqual(['StatefulSet/ret']);
    expect((await getSet('ret')).metadata?.uid).toBe(set.metadata?.uid);
    await w.client.patch(Pod, 'ret-1', { metadata: { finalizers: null } }, { namespace: ns });
  });
});
