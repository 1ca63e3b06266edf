/**
 * Node failures and maintenance end to end with kubectl 1.33, with short node lifecycle timings
 * (4 s grace, 1 s Lease renewals, tolerations of 2 s): a failed node is marked Unknown, tainted,
 * its pods evicted and replaced elsewhere; cordon and drain move pods through the eviction API and
 * stop at a PodDisruptionBudget.
 */
import { jest } from '@jest/globals';
import {
  deployment,
  describeCluster,
  nginxPodSpec,
  pods,
  TestCluster,
  until,
  type PodJson,
} from './harness.js';

jest.setTimeout(120_000);

const web = deployment(
  'web',
  3,
  `tolerations:
- key: node.kubernetes.io/unreachable
  operator: Exists
  effect: NoExecute
  tolerationSeconds: 2
- key: node.kubernetes.io/not-ready
  operator: Exists
  effect: NoExecute
  tolerationSeconds: 2
${nginxPodSpec}`,
);

interface NodeJson {
  spec: { taints?: { key: string; effect: string }[]; unschedulable?: boolean };
  status: { conditions: { type: string; status: string; reason?: string }[] };
}

describeCluster('kuberx up: node failure, cordon and drain with kubectl 1.33', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start();
    await c.apply(web);
    await c.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
  }, 90_000);
  afterAll(() => c?.stop());

  const node = (name: string) => c.json<NodeJson>(['node', name]);
  const ready = async (name: string) =>
    (await node(name)).status.conditions.find((x) => x.type === 'Ready');
  const taints = async (name: string) =>
    ((await node(name)).spec.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
  const live = (list: PodJson[]) => list.filter((p) => !p.metadata.deletionTimestamp);

  test('a failed node goes Unknown, is tainted, and its pods are replaced on other nodes', async () => {
    const victim = (await pods(c, 'app=web'))[0]!;
    const failed = victim.spec.nodeName!;
    await c.ok(['annotate', 'node', failed, 'kuberx.io/simulate=fail']);

    await until(async () => (await ready(failed))?.status === 'Unknown', `${failed} Unknown`);
    expect((await ready(failed))?.reason).toBe('NodeStatusUnknown');
    expect(await c.ok(['get', 'node', failed])).toMatch(new RegExp(`${failed}\\s+NotReady`));
    await until(
      async () =>
        (await taints(failed)).join() ===
        'node.kubernetes.io/unreachable:NoExecute,node.kubernetes.io/unreachable:NoSchedule',
      'unreachable taints',
    );

    await until(async () => {
      const p = (await pods(c, 'app=web')).find((x) => x.metadata.uid === victim.metadata.uid);
      return Boolean(p?.metadata.deletionTimestamp);
    }, 'the pod on the failed node evicted');
    const evicted = (await pods(c, 'app=web')).find((x) => x.metadata.uid === victim.metadata.uid)!;
    expect(evicted.status.conditions?.find((x) => x.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'DeletionByTaintManager',
    });
    expect(evicted.status.conditions?.find((x) => x.type === 'Ready')?.status).toBe('False');

    await c.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const replaced = live(await pods(c, 'app=web'));
    expect(replaced).toHaveLength(3);
    for (const p of replaced) {
      expect(p.spec.nodeName).not.toBe(failed);
      expect(p.status.phase).toBe('Running');
    }

    await c.ok(['annotate', 'node', failed, 'kuberx.io/simulate-']);
    await until(async () => (await ready(failed))?.status === 'True', `${failed} Ready again`);
    await until(async () => (await taints(failed)).length === 0, 'taints removed');
    await until(
      async () => !(await pods(c, 'app=web')).some((p) => p.metadata.uid === victim.metadata.uid),
      'the evicted pod finally deleted by its recovered kubelet',
    );
  });

  test('cordon taints the node unschedulable; uncordon clears it', async () => {
    await c.ok(['cordon', 'kuberx-node-1']);
    expect((await node('kuberx-node-1')).spec.unschedulable).toBe(true);
    await until(
      async () =>
        (await taints('kuberx-node-1')).includes('node.kubernetes.io/unschedulable:NoSchedule'),
      'unschedulable taint',
    );
    expect(await c.ok(['get', 'node', 'kuberx-node-1'])).toContain('Ready,SchedulingDisabled');
    await c.ok(['uncordon', 'kuberx-node-1']);
    await until(async () => (await taints('kuberx-node-1')).length === 0, 'taint removed');
  });

  test('drain evicts the pods of a node and they come back elsewhere', async () => {
    const target = live(await pods(c, 'app=web'))[0]!.spec.nodeName!;
    const out = await c.ok(['drain', target, '--ignore-daemonsets', '--timeout=60s']);
    expect(out).toContain(`node/${target} cordoned`);
    expect(out).toMatch(/evicting pod default\/web-/);
    expect(out).toContain(`node/${target} drained`);
    await c.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    await until(async () => live(await pods(c, 'app=web')).length === 3, '3 live pods');
    for (const p of live(await pods(c, 'app=web'))) expect(p.spec.nodeName).not.toBe(target);
    await c.ok(['uncordon', target]);
  });

  test('drain stops at a PodDisruptionBudget that allows no disruption', async () => {
    await c.apply(`apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 3
  selector:
    matchLabels:
      app: web
`);
    const target = live(await pods(c, 'app=web'))[0]!.spec.nodeName!;
    const r = await c.kubectl(['drain', target, '--ignore-daemonsets', '--timeout=3s']);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toContain(
      "Cannot evict pod as it would violate the pod's disruption budget.",
    );
    expect(
      live(await pods(c, 'app=web')).filter((p) => p.spec.nodeName === target).length,
    ).toBeGreaterThan(0);
    await c.ok(['uncordon', target]);
  });
});
