import { FakeClock, flushPromises } from '../../../../common/index.js';
import type { PodDisruptionBudget } from '../../../../framework/index.js';
import { makeNode, makePod } from '../../fixtures.js';
import { StaticListers } from '../../listers.js';
import { InMemorySchedulerClient } from '../../memory-client.js';
import { PodInfo } from '../../podinfo.js';
import { Scheduler } from '../../scheduler.js';
import { splitByPDBViolation } from './victims.js';
import { numCandidates, pickOneCandidate } from './candidates.js';

async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i++) await flushPromises();
}

function cluster(options: { pdbs?: PodDisruptionBudget[] } = {}) {
  const clock = new FakeClock();
  const listers = new StaticListers();
  listers.pdbs = options.pdbs ?? [];
  const holder: { scheduler?: Scheduler } = {};
  const client = new InMemorySchedulerClient({
    // Victims go away at once, as a zero-grace delete would.
    onPreempt: (victim) => holder.scheduler!.handlers.onPodDelete(victim.pod),
  });
  const scheduler = new Scheduler({ client, clock, listers, random: () => 0 });
  holder.scheduler = scheduler;
  const ctl = new AbortController();
  const running = scheduler.run(ctl.signal);
  const stop = async () => {
    ctl.abort();
    await running;
  };
  return { scheduler, client, clock, stop };
}

const lowPod = (
  name: string,
  node: string,
  cpu: string,
  priority = 0,
  labels?: Record<string, string>,
) =>
  makePod(name, {
    nodeName: node,
    cpu,
    priority,
    labels,
    status: { phase: 'Running', startTime: '2025-01-01T00:00:00Z' },
  });

describe('DefaultPreemption (default_preemption_test.go, test/integration/scheduler/preemption)', () => {
  test('evicts the lower-priority pods of the node with the lowest victims and nominates the pod there', async () => {
    const { scheduler, client, clock, stop } = cluster();
    scheduler.handlers.onNodeAdd(makeNode('node1', { cpu: '1' }));
    scheduler.handlers.onNodeAdd(makeNode('node2', { cpu: '1' }));
    scheduler.handlers.onPodAdd(lowPod('victim-a', 'node1', '500m', 0));
    scheduler.handlers.onPodAdd(lowPod('victim-b', 'node1', '500m', 0));
    scheduler.handlers.onPodAdd(lowPod('medium', 'node2', '1', 50));
    scheduler.handlers.onPodAdd(makePod('preemptor', { cpu: '600m', priority: 100 }));
    await settle();

    expect(client.preempted.map((p) => `${p.victim.name}@${p.node}`).sort()).toEqual([
      'victim-a@node1',
      'victim-b@node1',
    ]);
    expect(client.preempted[0]!.message).toBe(
      'default-scheduler: preempting to accommodate a higher priority pod',
    );
    const patch = client.statusPatches.find((p) => p.pod.name === 'preemptor')!.patch;
    expect(patch.nominatedNodeName).toBe('node1');
    expect(patch.condition?.message).toBe('0/2 nodes are available: 2 Insufficient cpu.');

    // The victims are gone; once activated the preemptor binds to its nominated node.
    await clock.advance(1000);
    await settle();
    expect(client.boundNode('default', 'preemptor')).toBe('node1');
    await stop();
  });

  test('prefers the node whose victims do not violate a PodDisruptionBudget', async () => {
    const pdb: PodDisruptionBudget = {
      metadata: { name: 'protect', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'db' } } },
      status: { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 },
    };
    const { scheduler, client, stop } = cluster({ pdbs: [pdb] });
    scheduler.handlers.onNodeAdd(makeNode('node1', { cpu: '1' }));
    scheduler.handlers.onNodeAdd(makeNode('node2', { cpu: '1' }));
    scheduler.handlers.onPodAdd(lowPod('db-0', 'node1', '1', 0, { app: 'db' }));
    scheduler.handlers.onPodAdd(lowPod('batch', 'node2', '1', 10));
    scheduler.handlers.onPodAdd(makePod('preemptor', { cpu: '600m', priority: 100 }));
    await settle();
    expect(client.preempted.map((p) => p.victim.name)).toEqual(['batch']);
    await stop();
  });

  test.each([
    [
      'preemptionPolicy Never',
      makePod('p', { cpu: '2', priority: 100, spec: { preemptionPolicy: 'Never' } }),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    ],
    [
      'no lower-priority pods to evict',
      makePod('p', { cpu: '600m', priority: 0 }),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    ],
    [
      'a request larger than the node cannot be helped',
      makePod('p', { cpu: '2', priority: 100 }),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    ],
  ])('reports why preemption did not help: %s', async (_name, pod, message) => {
    const { scheduler, client, stop } = cluster();
    scheduler.handlers.onNodeAdd(makeNode('node1', { cpu: '1' }));
    scheduler.handlers.onPodAdd(lowPod('busy', 'node1', '1', 10));
    scheduler.handlers.onPodAdd(pod);
    await settle();
    expect(client.preempted).toEqual([]);
    const failed = client.events.find((e) => e.reason === 'FailedScheduling')!;
    expect(failed.message).toBe(message);
    await stop();
  });
});

describe('preemption helpers', () => {
  const p = (name: string, priority: number, labels: Record<string, string> = { app: 'x' }) =>
    new PodInfo(
      makePod(name, {
        priority,
        labels,
        status: { phase: 'Running', startTime: '2025-01-01T00:00:00Z' },
      }),
    );

  test('PDB violations are counted against disruptionsAllowed in order (filterPodsWithPDBViolation)', () => {
    const pdb: PodDisruptionBudget = {
      metadata: { name: 'b', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'x' } } },
      status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
    };
    const { violating, nonViolating } = splitByPDBViolation(
      [p('a', 1), p('b', 1), p('c', 1)],
      [pdb],
    );
    expect(nonViolating.map((x) => x.name)).toEqual(['a']);
    expect(violating.map((x) => x.name)).toEqual(['b', 'c']);
  });

  test.each([
    [50, 50],
    [200, 100],
    [2000, 200],
  ])('numCandidates(%i) = %i (10 %%, at least 100, at most all)', (n, expected) => {
    expect(numCandidates(n)).toBe(expected);
  });

  test('pickOneNodeForPreemption orders by PDB violations, top priority, priority sum, count', () => {
    const now = Date.UTC(2026, 0, 1);
    const c = (node: string, v: PodInfo[], pdb = 0) => ({
      node,
      victims: v,
      numPDBViolations: pdb,
    });
    expect(pickOneCandidate([c('a', [p('x', 1)], 1), c('b', [p('y', 9)], 0)], now).node).toBe('b');
    expect(pickOneCandidate([c('a', [p('x', 5)]), c('b', [p('y', 3), p('z', 3)])], now).node).toBe(
      'b',
    );
    expect(
      pickOneCandidate([c('a', [p('x', 3), p('w', 3)]), c('b', [p('y', 3), p('z', 1)])], now).node,
    ).toBe('b');
    expect(pickOneCandidate([c('a', [p('x', 3), p('w', 3)]), c('b', [p('y', 3)])], now).node).toBe(
      'b',
    );
  });
});
