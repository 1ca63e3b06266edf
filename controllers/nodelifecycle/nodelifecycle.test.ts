/**
 * The node lifecycle and taint eviction controllers in a controller-manager against kuberx's API
 * server, with simulated kubelets. Both run on one FakeClock: each step advances simulated time
 * and then polls the server (which runs on real time).
 */
import {
  FakeClock,
  KubeConfigTransport,
  Node,
  Pod,
  type ApiClient,
} from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import { NodeSimulator, nodeClients, nodeSpecs } from '../nodes/index.js';
import { startClusterHarness, type ClusterHarness } from '../testharness.js';
import { nodeLifecycleDescriptor, taintEvictionController } from './index.js';

let harness: ClusterHarness;
let api: ApiClient;
let sim: NodeSimulator;
let transport: KubeConfigTransport;
const clock = new FakeClock();

beforeAll(async () => {
  harness = await startClusterHarness({
    descriptors: [nodeLifecycleDescriptor(), taintEvictionController],
    clock,
  });
  api = harness.env.client;
  transport = new KubeConfigTransport(harness.env.kubeConfig);
  sim = new NodeSimulator({
    clients: nodeClients({ transport, clock }),
    nodes: nodeSpecs({ count: 4, namePrefix: 'n', zones: ['z'] }),
    clock,
  });
  await sim.start();
});

afterAll(async () => {
  await sim.stop();
  transport.close();
  await harness.stop();
});

/** Advances simulated time in 1 s steps until `condition` holds. */
async function advanceUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
  await eventually(
    async () => {
      if (await condition()) return true;
      await clock.advance(1_000);
      return false;
    },
    what,
    30_000,
  );
}

const node = (name: string) => api.get(Node, name);
const ready = async (name: string) =>
  (await node(name)).status?.conditions?.find((c) => c.type === 'Ready');
const taints = async (name: string) =>
  ((await node(name)).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
const simulate = (name: string, value: string | null) =>
  api.patch(Node, name, { metadata: { annotations: { 'kuberx.io/simulate': value } } });
const getPod = (name: string) => api.get(Pod, name, { namespace: 'default' });

async function runningPod(name: string, nodeName: string, tolerations: object[] = []) {
  await api.create<Pod>({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName, tolerations, containers: [{ name: 'app', image: 'nginx' }] },
  });
  await eventually(async () => (await getPod(name)).status?.phase === 'Running', `${name} runs`);
}

const unreachable = (seconds?: number) => ({
  key: 'node.kubernetes.io/unreachable',
  operator: 'Exists',
  effect: 'NoExecute',
  ...(seconds === undefined ? {} : { tolerationSeconds: seconds }),
});

test('a node whose kubelet stops goes Unknown, is tainted, and its pods are evicted per their tolerations', async () => {
  await runningPod('intolerant', 'n1');
  await runningPod('tolerates-30s', 'n1', [unreachable(30)]);
  await runningPod('tolerates-forever', 'n1', [unreachable()]);
  await simulate('n1', 'fail');
  await advanceUntil(async () => (await ready('n1'))?.status === 'Unknown', 'n1 Unknown');
  expect(await ready('n1')).toMatchObject({
    reason: 'NodeStatusUnknown',
    message: 'Kubelet stopped posting node status.',
  });
  await advanceUntil(
    async () => (await taints('n1')).includes('node.kubernetes.io/unreachable:NoExecute'),
    'unreachable NoExecute taint',
  );
  expect(await taints('n1')).toEqual([
    'node.kubernetes.io/unreachable:NoExecute',
    'node.kubernetes.io/unreachable:NoSchedule',
  ]);
  const tainted = clock.now();
  await eventually(async () => Boolean((await getPod('intolerant')).metadata?.deletionTimestamp));
  const evicted = await getPod('intolerant');
  expect(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
    status: 'True',
    reason: 'DeletionByTaintManager',
    message: 'Taint manager: deleting due to NoExecute taint',
  });
  const podReady = (await getPod('tolerates-forever')).status?.conditions?.find(
    (c) => c.type === 'Ready',
  );
  expect(podReady?.status).toBe('False');
  await advanceUntil(
    async () => Boolean((await getPod('tolerates-30s')).metadata?.deletionTimestamp),
    'tolerates-30s evicted',
  );
  expect(clock.now() - tainted).toBeGreaterThanOrEqual(30_000);
  await clock.advance(60_000);
  expect((await getPod('tolerates-forever')).metadata?.deletionTimestamp).toBeUndefined();
});

test('a recovered node loses its taints and posts Ready again', async () => {
  await simulate('n1', 'recover');
  await advanceUntil(async () => (await ready('n1'))?.status === 'True', 'n1 Ready');
  await advanceUntil(async () => (await taints('n1')).length === 0, 'taints removed');
});

test('a kubelet posting Ready=False gets the not-ready taints', async () => {
  await simulate('n2', 'not-ready');
  await advanceUntil(
    async () =>
      (await taints('n2')).join() ===
      'node.kubernetes.io/not-ready:NoExecute,node.kubernetes.io/not-ready:NoSchedule',
    'not-ready taints',
  );
  await simulate('n2', null);
  await advanceUntil(async () => (await taints('n2')).length === 0, 'not-ready taints removed');
});

test('pressure conditions and cordoning become NoSchedule taints', async () => {
  await simulate('n3', 'memory-pressure');
  await api.patch(Node, 'n3', { spec: { unschedulable: true } });
  await advanceUntil(
    async () =>
      (await taints('n3')).join() ===
      'node.kubernetes.io/memory-pressure:NoSchedule,node.kubernetes.io/unschedulable:NoSchedule',
    'pressure and unschedulable taints',
  );
  await simulate('n3', null);
  await api.patch(Node, 'n3', { spec: { unschedulable: false } });
  await advanceUntil(async () => (await taints('n3')).length === 0, 'NoSchedule taints removed');
});

test('when every node is down, nothing is tainted NoExecute (full disruption)', async () => {
  for (const n of ['n1', 'n2', 'n3', 'n4']) await simulate(n, 'fail');
  await advanceUntil(
    async () =>
      (await Promise.all(['n1', 'n2', 'n3', 'n4'].map(ready))).every(
        (r) => r?.status === 'Unknown',
      ),
    'every node Unknown',
  );
  for (let i = 0; i < 15; i++) await clock.advance(1_000);
  for (const n of ['n1', 'n2', 'n3', 'n4']) {
    expect(await taints(n)).not.toContain('node.kubernetes.io/unreachable:NoExecute');
  }
  for (const n of ['n1', 'n2', 'n3', 'n4']) await simulate(n, null);
  await advanceUntil(
    async () =>
      (await Promise.all(['n1', 'n2', 'n3', 'n4'].map(ready))).every((r) => r?.status === 'True'),
    'every node Ready again',
  );
});
