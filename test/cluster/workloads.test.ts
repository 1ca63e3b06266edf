/**
 * `kuberx up`'s cluster end to end with kubectl 1.33: Deployments, Jobs and the scheduler's
 * placement rules on simulated nodes, through the secure API server (TLS, RBAC, admission).
 */
import { jest } from '@jest/globals';
import { deployment, describeCluster, pods, TestCluster, until } from './harness.js';

const nginxDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
`;

jest.setTimeout(90_000);

const container = 'containers:\n- name: app\n  image: registry.k8s.io/pause:3.9';

describeCluster('kuberx up: workloads with kubectl 1.33', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start();
  }, 60_000);
  afterAll(() => c?.stop());

  const scheduledCondition = async (pod: string) =>
    (
      await c.json<{
        status: {
          conditions?: { type: string; status: string; reason?: string; message?: string }[];
        };
      }>(['pod', pod])
    ).status.conditions?.find((x) => x.type === 'PodScheduled');

  test('the nginx Deployment of the Kubernetes docs becomes 3/3 Ready on scheduled nodes', async () => {
    await c.apply(nginxDeployment);
    await c.ok(['rollout', 'status', 'deployment/nginx-deployment', '--timeout=60s']);
    expect(await c.ok(['get', 'deployment', 'nginx-deployment'])).toMatch(
      /nginx-deployment\s+3\/3\s+3\s+3/,
    );
    const list = await pods(c, 'app=nginx');
    expect(list).toHaveLength(3);
    for (const p of list) {
      expect(p.spec.nodeName).toMatch(/^kuberx-node-\d$/);
      expect(p.status.phase).toBe('Running');
      expect(p.status.podIP).toMatch(/^10\.64\.\d+\.\d+$/);
      expect(p.status.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    }
    const events = await c.ok(['get', 'events', '--field-selector', 'reason=Scheduled']);
    expect(events).toContain('Successfully assigned default/nginx-deployment-');
  });

  test('topology spread puts one replica on each node', async () => {
    await c.apply(
      deployment(
        'spread',
        3,
        `topologySpreadConstraints:
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: DoNotSchedule
  labelSelector:
    matchLabels:
      app: spread
${container}`,
      ),
    );
    await c.ok(['rollout', 'status', 'deployment/spread', '--timeout=60s']);
    const nodes = new Set((await pods(c, 'app=spread')).map((p) => p.spec.nodeName));
    expect(nodes.size).toBe(3);
  });

  test('required anti-affinity leaves a 4th replica Pending with the upstream message', async () => {
    await c.apply(
      deployment(
        'anti',
        4,
        `affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
    - topologyKey: kubernetes.io/hostname
      labelSelector:
        matchLabels:
          app: anti
${container}`,
      ),
    );
    let pending = '';
    await until(async () => {
      const list = await pods(c, 'app=anti');
      const running = list.filter((p) => p.status.phase === 'Running');
      pending = list.find((p) => !p.spec.nodeName)?.metadata.name ?? '';
      return running.length === 3 && pending !== '';
    }, '3 running and 1 pending');
    await until(
      async () => (await scheduledCondition(pending))?.reason === 'Unschedulable',
      'Unschedulable',
    );
    expect((await scheduledCondition(pending))?.message).toContain(
      "3 node(s) didn't match pod anti-affinity rules",
    );
  });

  test('a nodeSelector places the pod on the labelled node', async () => {
    await c.ok(['label', 'node', 'kuberx-node-2', 'disk=ssd']);
    await c.apply(deployment('ssd', 2, `nodeSelector:\n  disk: ssd\n${container}`));
    await c.ok(['rollout', 'status', 'deployment/ssd', '--timeout=60s']);
    for (const p of await pods(c, 'app=ssd')) expect(p.spec.nodeName).toBe('kuberx-node-2');
  });

  test('a tainted node only takes pods that tolerate the taint', async () => {
    await c.ok(['taint', 'node', 'kuberx-node-3', 'dedicated=gpu:NoSchedule']);
    const pinned = `nodeSelector:\n  kubernetes.io/hostname: kuberx-node-3\n${container}`;
    await c.apply(deployment('intolerant', 1, pinned));
    await c.apply(
      deployment(
        'tolerant',
        1,
        `tolerations:\n- key: dedicated\n  operator: Equal\n  value: gpu\n  effect: NoSchedule\n${pinned}`,
      ),
    );
    await c.ok(['rollout', 'status', 'deployment/tolerant', '--timeout=60s']);
    expect((await pods(c, 'app=tolerant'))[0]?.spec.nodeName).toBe('kuberx-node-3');
    let name = '';
    await until(async () => {
      name = (await pods(c, 'app=intolerant'))[0]?.metadata.name ?? '';
      return name !== '' && (await scheduledCondition(name))?.reason === 'Unschedulable';
    }, 'intolerant pod Unschedulable');
    const message = (await scheduledCondition(name))?.message ?? '';
    expect(message).toContain('0/3 nodes are available:');
    expect(message).toContain('1 node(s) had untolerated taint {dedicated: gpu}');
    await c.ok(['taint', 'node', 'kuberx-node-3', 'dedicated=gpu:NoSchedule-']);
    await c.ok(['rollout', 'status', 'deployment/intolerant', '--timeout=60s']);
  });

  test('a pod larger than any node stays Pending: "0/3 nodes are available: 3 Insufficient cpu."', async () => {
    await c.ok([
      'run',
      'huge',
      '--image=nginx',
      '--overrides',
      JSON.stringify({
        spec: {
          containers: [{ name: 'huge', image: 'nginx', resources: { requests: { cpu: '100' } } }],
        },
      }),
    ]);
    await until(
      async () => (await scheduledCondition('huge'))?.reason === 'Unschedulable',
      'huge Unschedulable',
    );
    expect((await scheduledCondition('huge'))?.message).toMatch(
      /^0\/3 nodes are available: 3 Insufficient cpu\./,
    );
    const described = await c.ok(['describe', 'pod', 'huge']);
    expect(described).toContain('FailedScheduling');
  });
});
