/**
 * The node simulator against kuberx's API server in this process. Simulated time (the kubelets'
 * timers) is a FakeClock; the server runs on real time, so each step polls for the server's state.
 */
import {
  FakeClock,
  KubeConfigTransport,
  Lease,
  Node,
  Pod,
  type ApiClient,
} from '../../framework/index.js';
import { eventually, startTestEnv, type TestEnv } from '../../framework/testing/index.js';
import { nodeClients } from './clients.js';
import { NodeSimulator } from './simulator.js';
import { nodeSpecs } from './specs.js';

let env: TestEnv;
let api: ApiClient;
let transport: KubeConfigTransport;
const running: NodeSimulator[] = [];

beforeAll(async () => {
  env = await startTestEnv();
  api = env.client;
  transport = new KubeConfigTransport(env.kubeConfig);
});

afterAll(async () => {
  for (const s of running) await s.stop();
  transport.close();
  await env.stop();
});

async function simulator(prefix: string, count = 2, clock = new FakeClock()) {
  const sim = new NodeSimulator({
    clients: nodeClients({ transport, clock }),
    nodes: nodeSpecs({ count, namePrefix: prefix, zones: ['z1', 'z2'] }),
    clock,
    backOffInitialMs: 1_000,
  });
  running.push(sim);
  await sim.start();
  return { sim, clock };
}

async function stopSim(sim: NodeSimulator) {
  await sim.stop();
  running.splice(running.indexOf(sim), 1);
}

async function createPod(name: string, nodeName: string, extra: Partial<Pod> = {}) {
  return api.create<Pod>({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...extra.metadata },
    spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.25' }], ...extra.spec },
  });
}

const getPod = (name: string) => api.get(Pod, name, { namespace: 'default' });

async function podPhase(name: string, phase: string) {
  await eventually(async () => (await getPod(name)).status?.phase === phase, `${name} ${phase}`);
}

test('nodes register with labels, capacity, Ready conditions, a pod CIDR and a Lease', async () => {
  await simulator('reg-');
  const node = await api.get(Node, 'reg-2');
  expect(node.metadata?.labels).toMatchObject({
    'kubernetes.io/hostname': 'reg-2',
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'topology.kubernetes.io/zone': 'z2',
    'node.kubernetes.io/instance-type': 'kuberx.sim',
  });
  expect(node.spec?.podCIDR).toBe('10.64.1.0/24');
  expect(node.status?.capacity).toMatchObject({ cpu: '4', memory: '16Gi', pods: '110' });
  expect(node.status?.allocatable).toEqual(node.status?.capacity);
  expect(node.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
    ['Ready', 'True', 'KubeletReady'],
  ]);
  expect(node.status?.addresses).toEqual([
    { type: 'InternalIP', address: '172.18.0.4' },
    { type: 'Hostname', address: 'reg-2' },
  ]);
  const lease = await api.get(Lease, 'reg-2', { namespace: 'kube-node-lease' });
  expect(lease.spec).toMatchObject({ holderIdentity: 'reg-2', leaseDurationSeconds: 40 });
  expect(lease.metadata?.ownerReferences?.[0]).toMatchObject({
    kind: 'Node',
    name: 'reg-2',
    uid: node.metadata?.uid,
  });
});

test('the Lease is renewed every 10 s of simulated time', async () => {
  const { clock } = await simulator('beat-', 1);
  const renewTime = async () =>
    (await api.get(Lease, 'beat-1', { namespace: 'kube-node-lease' })).spec?.renewTime;
  const first = await renewTime();
  await clock.advance(10_500);
  await eventually(async () => (await renewTime()) !== first, 'lease renewal');
});

test('a pod bound to a node runs with an IP from its pod CIDR', async () => {
  await simulator('run-', 1);
  await createPod('web', 'run-1');
  await podPhase('web', 'Running');
  const pod = await getPod('web');
  expect(pod.status?.podIP).toMatch(/^10\.64\.0\.\d+$/);
  expect(pod.status?.hostIP).toBe('172.18.0.3');
  expect(pod.status?.containerStatuses?.[0]).toMatchObject({ ready: true, started: true });
  expect(pod.status?.conditions?.map((c) => c.type)).toEqual([
    'PodReadyToStartContainers',
    'Initialized',
    'Ready',
    'ContainersReady',
    'PodScheduled',
  ]);
});

test('a restartPolicy Never pod succeeds after its run time', async () => {
  const { clock } = await simulator('job-', 1);
  await createPod('once', 'job-1', {
    metadata: { annotations: { 'kuberx.io/run-time': '3s' } },
    spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox' }] },
  });
  await podPhase('once', 'Running');
  await clock.advance(3_000);
  await podPhase('once', 'Succeeded');
});

test('a graceful delete ends with the node removing the pod', async () => {
  await simulator('del-', 1);
  await createPod('doomed', 'del-1');
  await podPhase('doomed', 'Running');
  await api.delete(Pod, 'doomed', { namespace: 'default' });
  await eventually(async () => {
    try {
      await getPod('doomed');
      return false;
    } catch {
      return true;
    }
  }, 'pod deleted');
});

test('pods bound to a node this process does not run are left alone', async () => {
  await simulator('mine-', 1);
  await createPod('stranger', 'someone-else');
  await createPod('ours', 'mine-1');
  await podPhase('ours', 'Running');
  expect((await getPod('stranger')).status?.phase).toBe('Pending');
});

test('kuberx.io/simulate=not-ready posts Ready=False; recover posts Ready=True', async () => {
  const { clock } = await simulator('nr-', 1);
  const ready = async () =>
    (await api.get(Node, 'nr-1')).status?.conditions?.find((c) => c.type === 'Ready');
  await api.patch(Node, 'nr-1', {
    metadata: { annotations: { 'kuberx.io/simulate': 'not-ready' } },
  });
  await eventually(async () => {
    await clock.advance(300);
    return (await ready())?.status === 'False';
  }, 'Ready=False');
  expect((await ready())?.reason).toBe('KubeletNotReady');
  await api.patch(Node, 'nr-1', { metadata: { annotations: { 'kuberx.io/simulate': 'recover' } } });
  await eventually(async () => {
    await clock.advance(300);
    return (await ready())?.status === 'True';
  }, 'Ready=True');
});

test('kuberx.io/simulate=fail stops heartbeats and pod work until recovered', async () => {
  const { clock } = await simulator('fail-', 1);
  const renewTime = async () =>
    (await api.get(Lease, 'fail-1', { namespace: 'kube-node-lease' })).spec?.renewTime;
  await api.patch(Node, 'fail-1', { metadata: { annotations: { 'kuberx.io/simulate': 'fail' } } });
  const sim = running.at(-1)!;
  await eventually(() => sim.nodes.get('fail-1')!.simulation.failed, 'failure seen');
  const frozen = await renewTime();
  await createPod('stuck', 'fail-1');
  await clock.advance(30_000);
  expect(await renewTime()).toBe(frozen);
  expect((await getPod('stuck')).status?.phase).toBe('Pending');
  await api.patch(Node, 'fail-1', { metadata: { annotations: { 'kuberx.io/simulate': null } } });
  await eventually(async () => {
    await clock.advance(300);
    return (await renewTime()) !== frozen;
  }, 'lease renewed after recovery');
  await podPhase('stuck', 'Running');
});

test('a new simulator over the same nodes carries on: same node, same pod IP and container', async () => {
  const { sim } = await simulator('again-', 1);
  await createPod('kept', 'again-1');
  await podPhase('kept', 'Running');
  const before = await getPod('kept');
  const nodeUID = (await api.get(Node, 'again-1')).metadata?.uid;
  await stopSim(sim);
  const { sim: second } = await simulator('again-', 1);
  await eventually(() => second.runningPods() === 1, 'pod taken over');
  const after = await getPod('kept');
  expect((await api.get(Node, 'again-1')).metadata?.uid).toBe(nodeUID);
  expect(after.status?.podIP).toBe(before.status?.podIP);
  expect(after.status?.containerStatuses?.[0]?.containerID).toBe(
    before.status?.containerStatuses?.[0]?.containerID,
  );
});

test('a deleted node is not registered again by its running kubelet', async () => {
  const { sim, clock } = await simulator('gone-', 1);
  await api.delete(Node, 'gone-1');
  await eventually(() => sim.nodes.get('gone-1')!.deleted, 'deletion seen');
  await clock.advance(20_000);
  await expect(api.get(Node, 'gone-1')).rejects.toMatchObject({ code: 404 });
});
