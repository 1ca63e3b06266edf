/**
 * The scheduler against kuberx's API server (controllers.md Part 3, scheduler rows): Nodes and
 * Pods are created through the API; the scheduler binds through `pods/binding`, writes
 * PodScheduled, nominatedNodeName and events, and evicts preemption victims through the API.
 */
import { kinds } from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import { startCluster, type Cluster } from './harness.js';

let c: Cluster;

afterEach(async () => {
  await c?.stop();
});

const notReady = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

describe('kuberx scheduler against the API server', () => {
  test('a pending pod is bound, PodScheduled=True, with a Scheduled event', async () => {
    c = await startCluster();
    await c.node('node-1');
    await c.pod('web-1', { cpu: '100m' });
    expect(await c.bound('web-1')).toBe('node-1');
    const pod = await c.get('web-1');
    expect(pod.status?.conditions?.find((x) => x.type === 'PodScheduled')?.status).toBe('True');
    await eventually(async () => (await c.events('web-1')).some((e) => e.reason === 'Scheduled'));
    const e = (await c.events('web-1')).find((x) => x.reason === 'Scheduled')!;
    expect(e.message).toBe('Successfully assigned default/web-1 to node-1');
    expect(e.source?.component).toBe('default-scheduler');
  });

  test('the upstream message for insufficient cpu and untolerated taints, with FailedScheduling', async () => {
    c = await startCluster();
    for (const n of ['node-1', 'node-2']) await c.node(n, { cpu: '1' });
    for (const n of ['node-3', 'node-4', 'node-5'])
      await c.node(n, { cpu: '4', taints: [notReady] });
    await c.pod('big', { cpu: '2' });
    const message =
      '0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.';
    expect(await c.unschedulable('big')).toBe(message);
    await eventually(async () =>
      (await c.events('big')).some((e) => e.reason === 'FailedScheduling' && e.type === 'Warning'),
    );
    expect((await c.events('big')).find((e) => e.reason === 'FailedScheduling')!.message).toBe(
      message,
    );
  });

  test('an unschedulable pod is scheduled once a fitting node is added', async () => {
    c = await startCluster();
    await c.node('small', { cpu: '1' });
    await c.pod('big', { cpu: '2' });
    await c.unschedulable('big');
    await c.node('large', { cpu: '4' });
    expect(await c.bound('big')).toBe('large');
  });

  test('nodeSelector, cordoned nodes and taints say why, tolerations admit', async () => {
    c = await startCluster();
    await c.node('cordoned', { unschedulable: true });
    await c.node('tainted', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    await c.node('plain', { labels: { disk: 'hdd' } });
    await c.pod('wants-ssd', { spec: { nodeSelector: { disk: 'ssd' } } });
    expect(await c.unschedulable('wants-ssd')).toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    await c.pod('tolerant', {
      spec: {
        nodeSelector: { 'kubernetes.io/hostname': 'tainted' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      },
    });
    expect(await c.bound('tolerant')).toBe('tainted');
  });

  test('required anti-affinity on hostname: 3 pods on 2 nodes leave one pending', async () => {
    c = await startCluster();
    await c.node('n1');
    await c.node('n2');
    const spec = {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: { matchLabels: { app: 'web' } },
              topologyKey: 'kubernetes.io/hostname',
            },
          ],
        },
      },
    };
    for (const n of ['w1', 'w2']) {
      await c.pod(n, { labels: { app: 'web' }, spec });
      await c.bound(n);
    }
    await c.pod('w3', { labels: { app: 'web' }, spec });
    expect(await c.unschedulable('w3')).toContain(
      "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.",
    );
    expect(
      new Set([(await c.get('w1')).spec?.nodeName, (await c.get('w2')).spec?.nodeName]),
    ).toEqual(new Set(['n1', 'n2']));
  });

  test('topology spread (DoNotSchedule, zone, maxSkew 1) alternates between zones', async () => {
    c = await startCluster();
    for (const [n, z] of [
      ['a1', 'zone-a'],
      ['a2', 'zone-a'],
      ['b1', 'zone-b'],
    ] as const) {
      await c.node(n, { labels: { 'topology.kubernetes.io/zone': z } });
    }
    const spec = {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'spread' } },
        },
      ],
    };
    const zones: string[] = [];
    for (let i = 0; i < 4; i++) {
      await c.pod(`s${i}`, { labels: { app: 'spread' }, spec });
      const node = await c.bound(`s${i}`);
      zones.push(node.startsWith('a') ? 'zone-a' : 'zone-b');
    }
    expect(zones.filter((z) => z === 'zone-a')).toHaveLength(2);
    expect(zones.filter((z) => z === 'zone-b')).toHaveLength(2);
  });

  test('LeastAllocated: the new pod goes to the emptier node', async () => {
    c = await startCluster();
    await c.node('busy', { cpu: '4', memory: '8Gi' });
    await c.node('idle', { cpu: '4', memory: '8Gi' });
    await c.pod('heavy', { cpu: '3', memory: '6Gi', nodeName: 'busy' });
    await c.pod('light', { cpu: '100m', memory: '100Mi' });
    expect(await c.bound('light')).toBe('idle');
  });

  test('scheduling gates keep a pod pending until they are removed', async () => {
    c = await startCluster();
    await c.node('n');
    await c.pod('gated', { spec: { schedulingGates: [{ name: 'example.com/hold' }] } });
    expect(await c.unschedulable('gated', 'SchedulingGated')).toBe(
      'Scheduling is blocked due to non-empty scheduling gates',
    );
    await c.env.client.patch(
      kinds.Pod,
      'gated',
      { spec: { schedulingGates: null } },
      { namespace: 'default' },
    );
    expect(await c.bound('gated')).toBe('n');
  });

  test('preemption: a high-priority pod evicts a lower-priority one (DisruptionTarget, nominatedNodeName)', async () => {
    c = await startCluster();
    // framework/testing's API server runs without the Priority admission plugin, so the pods
    // carry the `spec.priority` it would have resolved from their PriorityClass.
    await c.node('only', { cpu: '1' });
    await c.pod('victim', {
      cpu: '800m',
      priority: 10,
      spec: { terminationGracePeriodSeconds: 30 },
    });
    expect(await c.bound('victim')).toBe('only');
    await c.pod('preemptor', { cpu: '800m', priority: 1000 });
    await eventually(
      async () => (await c.get('preemptor')).status?.nominatedNodeName === 'only',
      'preemptor nominated',
    );
    // The victim is marked, then deleted gracefully; no kubelet here, so it waits terminating.
    await eventually(
      async () => !!(await c.get('victim')).metadata?.deletionTimestamp,
      'victim deleted',
    );
    const cond = (await c.get('victim')).status?.conditions?.find(
      (x) => x.type === 'DisruptionTarget',
    );
    expect(cond).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    await eventually(async () => (await c.events('victim')).some((e) => e.reason === 'Preempted'));
    expect((await c.get('preemptor')).spec?.nodeName).toBeUndefined();
    // The kubelet's final delete, then the preemptor takes the room.
    await c.env.client.delete(kinds.Pod, 'victim', { namespace: 'default', gracePeriodSeconds: 0 });
    expect(await c.bound('preemptor')).toBe('only');
  });

  test('preemptionPolicy Never: the pod waits instead of evicting', async () => {
    c = await startCluster();
    await c.node('only', { cpu: '1' });
    await c.pod('running', { cpu: '800m', priority: 10 });
    await c.bound('running');
    await c.pod('polite', { cpu: '800m', priority: 1000, spec: { preemptionPolicy: 'Never' } });
    expect(await c.unschedulable('polite')).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
    expect((await c.get('running')).metadata?.deletionTimestamp).toBeUndefined();
  });

  test('with leader election it holds the Lease kube-system/kube-scheduler and serves metrics', async () => {
    c = await startCluster({ leaderElect: true });
    await c.node('n');
    await c.pod('p');
    await c.bound('p');
    const lease = await c.env.client.get(kinds.Lease, 'kube-scheduler', {
      namespace: 'kube-system',
    });
    expect(lease.spec?.holderIdentity).toBeTruthy();
    const text = await (await fetch(`${c.metricsUrl()}/metrics`)).text();
    expect(text).toMatch(
      /scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} 1/,
    );
    expect(text).toContain('scheduler_pending_pods{queue="active"} 0');
    expect(text).toMatch(/leader_election_master_status\{name="kube-scheduler"\} 1/);
    expect((await fetch(`${c.metricsUrl()}/healthz`)).status).toBe(200);
    expect((await fetch(`${c.metricsUrl()}/readyz`)).status).toBe(200);
  });
});
