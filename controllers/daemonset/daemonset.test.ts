/**
 * The DaemonSet controller against the in-process API server on a fake clock. The test plays the
 * scheduler and the kubelets: it binds each daemon pod to the node its node affinity names, marks
 * it Running and Ready, and finishes graceful deletions. After upstream's
 * `test/integration/daemonset` (`TestOneNodeDaemonLaunchesPod`, `TestSimpleDaemonSetLaunchesPods`,
 * `TestDaemonSetWithNodeSelectorLaunchesPods`, `TestTaintedNode`,
 * `TestSimpleDaemonSetRestartsPodsOnTerminalPhase`, `TestDaemonSetRollingUpdate…`) and the
 * Part 3 checklist rows (one per node, auto tolerations, node add and NoExecute taint).
 */
import { jest } from '@jest/globals';
import { ControllerRevision, CoreEvent, DaemonSet, Node, Pod } from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import {
  createNamespace,
  listPods,
  markFinished,
  podTemplate,
  settle,
  startWorkloadEnv,
  type WorkloadEnv,
} from '../util/testing.js';
import { taintKeys, uniqueLabelKey } from './defaults.js';
import { registerDaemonSetController, targetNodeName } from './index.js';
import { playKubelets } from './testing.js';

jest.setTimeout(60_000);

let w: WorkloadEnv;
let ns = '';
let seq = 0;
let kubelet: { stop(): Promise<void> } | undefined;

beforeAll(async () => {
  w = await startWorkloadEnv({ register: (mgr) => registerDaemonSetController(mgr) });
  for (const name of ['n1', 'n2', 'n3'])
    await addNode(name, { pool: name === 'n3' ? 'gpu' : 'cpu' });
});

afterAll(async () => {
  await w.stop();
});

beforeEach(async () => {
  ns = `ds-${++seq}`;
  await createNamespace(w.client, ns);
  kubelet = playKubelets(w.client, ns, { now: () => w.clock.now() });
});

afterEach(async () => {
  await kubelet?.stop();
  for (const ds of (await w.client.list(DaemonSet, { namespace: ns })).items) {
    await w.client.delete(DaemonSet, ds.metadata!.name!, { namespace: ns });
  }
});

async function addNode(name: string, labels: Record<string, string> = {}, taints: object[] = []) {
  await w.client.create(
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels },
      spec: { taints: taints as never },
    },
    { kind: Node },
  );
}

type Spec = NonNullable<DaemonSet['spec']>;

function daemonSet(name: string, spec: Partial<Spec> = {}, podSpec: object = {}): DaemonSet {
  const template = podTemplate({ app: name });
  Object.assign(template.spec, podSpec);
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns },
    spec: { selector: { matchLabels: { app: name } }, template, ...spec },
  };
}

const getDS = (name: string) => w.client.get(DaemonSet, name, { namespace: ns });
const podsOf = (name: string) => listPods(w.client, ns, `app=${name}`);
const nodesOf = async (name: string) =>
  (await podsOf(name))
    .filter((p) => !p.metadata?.deletionTimestamp)
    .map((p) => targetNodeName(p))
    .sort();

async function statusReaches(name: string, want: Partial<NonNullable<DaemonSet['status']>>) {
  await eventually(
    async () => {
      const s = (await getDS(name)).status ?? {};
      return Object.entries(want).every(([k, v]) => (s as Record<string, unknown>)[k] === v);
    },
    `status ${JSON.stringify(want)}`,
  );
}

test('one pod per node, pinned by node affinity, with the daemon tolerations and revision hash', async () => {
  await w.client.create(daemonSet('one'), { kind: DaemonSet });
  await statusReaches('one', {
    desiredNumberScheduled: 3,
    currentNumberScheduled: 3,
    numberReady: 3,
    numberAvailable: 3,
    updatedNumberScheduled: 3,
    numberMisscheduled: 0,
    numberUnavailable: 0,
    observedGeneration: 1,
  });
  const pods = await podsOf('one');
  expect(pods.map((p) => p.spec?.nodeName).sort()).toEqual(['n1', 'n2', 'n3']);
  for (const p of pods) {
    expect(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
      nodeSelectorTerms: [
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec?.nodeName] }] },
      ],
    });
    const tolerations = p.spec?.tolerations?.map(
      (t) => `${t.key}:${t.effect}:${t.tolerationSeconds ?? '-'}`,
    );
    expect(tolerations).toEqual(
      expect.arrayContaining([
        `${taintKeys.notReady}:NoExecute:-`,
        `${taintKeys.unreachable}:NoExecute:-`,
        `${taintKeys.unschedulable}:NoSchedule:-`,
        `${taintKeys.diskPressure}:NoSchedule:-`,
      ]),
    );
    expect(p.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'DaemonSet',
      name: 'one',
      controller: true,
    });
  }
  const revisions = (await w.client.list(ControllerRevision, { namespace: ns })).items;
  expect(revisions).toHaveLength(1);
  expect(revisions[0]!.revision).toBe(1);
  expect(pods[0]!.metadata?.labels?.[uniqueLabelKey]).toBe(
    revisions[0]!.metadata?.labels?.[uniqueLabelKey],
  );
  expect(revisions[0]!.metadata?.name).toBe(
    `one-${revisions[0]!.metadata?.labels?.[uniqueLabelKey]}`,
  );
});

test('a nodeSelector limits the pods to matching nodes', async () => {
  await w.client.create(daemonSet('sel', {}, { nodeSelector: { pool: 'gpu' } }), {
    kind: DaemonSet,
  });
  await statusReaches('sel', { desiredNumberScheduled: 1, numberReady: 1 });
  expect(await nodesOf('sel')).toEqual(['n3']);
});

test('tainted nodes: NoSchedule skipped unless tolerated; a new node gets a pod; NoExecute evicts', async () => {
  await addNode('t1', { role: 'taint-test' }, [
    { key: 'dedicated', value: 'x', effect: 'NoSchedule' },
  ]);
  await w.client.create(daemonSet('taint', {}, { nodeSelector: { role: 'taint-test' } }), {
    kind: DaemonSet,
  });
  await w.client.create(
    daemonSet(
      'tolerant',
      {},
      {
        nodeSelector: { role: 'taint-test' },
        tolerations: [{ key: 'dedicated', operator: 'Exists' }],
      },
    ),
    { kind: DaemonSet },
  );
  await statusReaches('tolerant', { desiredNumberScheduled: 1, numberReady: 1 });
  await settle(w.client);
  expect((await getDS('taint')).status?.desiredNumberScheduled).toBe(0);
  expect(await nodesOf('taint')).toEqual([]);

  await addNode('t2', { role: 'taint-test' });
  await eventually(
    async () => JSON.stringify(await nodesOf('taint')) === '["t2"]',
    'a pod on the new node',
  );

  await w.client.patch(Node, 't2', {
    spec: { taints: [{ key: 'evict', value: 'y', effect: 'NoExecute' }] },
  });
  await eventually(
    async () => (await nodesOf('taint')).length === 0,
    'the pod evicted by NoExecute',
  );
  await w.client.delete(Node, 't1');
  await w.client.delete(Node, 't2');
});

test('a pod on a node that becomes NoSchedule-tainted stays and counts as misscheduled', async () => {
  await addNode('m1', { role: 'miss' });
  await w.client.create(daemonSet('miss', {}, { nodeSelector: { role: 'miss' } }), {
    kind: DaemonSet,
  });
  await statusReaches('miss', { desiredNumberScheduled: 1, numberReady: 1 });
  await w.client.patch(Node, 'm1', {
    spec: { taints: [{ key: 'later', value: 'z', effect: 'NoSchedule' }] },
  });
  await statusReaches('miss', { desiredNumberScheduled: 0, numberMisscheduled: 1 });
  expect(await nodesOf('miss')).toEqual(['m1']);
  await w.client.delete(Node, 'm1');
});

test('RollingUpdate with maxUnavailable 1 replaces one node at a time', async () => {
  await w.client.create(
    daemonSet('roll', {
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    }),
    { kind: DaemonSet },
  );
  await statusReaches('roll', { numberReady: 3, updatedNumberScheduled: 3 });
  await kubelet!.stop();
  // New pods are held (not bound, not Ready) until released: while the first one is unavailable,
  // no other node may be touched.
  let holding = true;
  const isNew = (p: Pod) => p.spec?.containers[0]?.image === 'nginx:2';
  kubelet = playKubelets(w.client, ns, {
    now: () => w.clock.now(),
    hold: (p) => holding && isNew(p),
  });
  await w.client.patch(
    DaemonSet,
    'roll',
    { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } } },
    { namespace: ns, type: 'strategic' },
  );
  await eventually(async () => (await podsOf('roll')).some(isNew), 'the first new pod');
  await settle(w.client);
  const images = (await podsOf('roll')).map((p) => p.spec?.containers[0]?.image).sort();
  expect(images).toEqual(['nginx:1.25', 'nginx:1.25', 'nginx:2']);
  expect((await getDS('roll')).status).toMatchObject({
    updatedNumberScheduled: 1,
    numberUnavailable: 1,
  });
  holding = false;
  await statusReaches('roll', {
    updatedNumberScheduled: 3,
    numberAvailable: 3,
    observedGeneration: 2,
  });
  expect(
    (await w.client.list(ControllerRevision, { namespace: ns })).items
      .map((r) => r.revision)
      .sort(),
  ).toEqual([1, 2]);
});

test('OnDelete replaces a pod only when it is deleted', async () => {
  await w.client.create(daemonSet('od', { updateStrategy: { type: 'OnDelete' } }), {
    kind: DaemonSet,
  });
  await statusReaches('od', { numberReady: 3 });
  await w.client.patch(
    DaemonSet,
    'od',
    { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } } },
    { namespace: ns, type: 'strategic' },
  );
  await statusReaches('od', { observedGeneration: 2, updatedNumberScheduled: 0 });
  const victim = (await podsOf('od')).find((p) => p.spec?.nodeName === 'n1')!;
  await w.client.delete(Pod, victim.metadata!.name!, { namespace: ns });
  await statusReaches('od', { updatedNumberScheduled: 1, numberReady: 3 });
  const onN1 = (await podsOf('od')).find(
    (p) => p.spec?.nodeName === 'n1' && !p.metadata?.deletionTimestamp,
  );
  expect(onN1?.spec?.containers[0]?.image).toBe('nginx:2');
});

test('a failed daemon pod is deleted and replaced, with a FailedDaemonPod warning', async () => {
  await w.client.create(daemonSet('fail', {}, { nodeSelector: { pool: 'gpu' } }), {
    kind: DaemonSet,
  });
  await statusReaches('fail', { numberReady: 1 });
  const [before] = await podsOf('fail');
  await markFinished(w.client, before!, 'Failed', w.clock.now());
  await eventually(async () => {
    const pods = (await podsOf('fail')).filter((p) => !p.metadata?.deletionTimestamp);
    return pods.length === 1 && pods[0]!.metadata?.uid !== before!.metadata?.uid;
  }, 'a replacement pod');
  const events = (await w.client.list(CoreEvent, { namespace: ns })).items;
  expect(events.find((e) => e.reason === 'FailedDaemonPod')?.message).toBe(
    `Found failed daemon pod ${ns}/${before!.metadata!.name} on node n3, will try to kill it`,
  );
});
