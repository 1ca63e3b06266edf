import { FakeClock } from '../../../common/index.js';
import { makePod, updatedPod } from '../fixtures.js';
import { PodInfo } from '../podinfo.js';
import { NodeResourcesFit } from '../plugins/noderesources.js';
import { InterPodAffinity } from '../plugins/interpodaffinity/index.js';
import { SchedulingGates } from '../plugins/schedulinggates.js';
import { Action, assignedPodAdd, assignedPodDelete, nodeAdd } from './events.js';
import { SchedulingQueue, type QueuedPodInfo } from './scheduling-queue.js';

const gates = new SchedulingGates();

function newQueue(clock = new FakeClock()) {
  const q = new SchedulingQueue({
    clock,
    preEnqueue: (p) => gates.preEnqueue(p)?.withPlugin(gates.name),
    pluginEvents: new Map([
      ['NodeResourcesFit', new NodeResourcesFit().eventsToRegister()],
      ['InterPodAffinity', new InterPodAffinity(undefined as never).eventsToRegister()],
    ]),
  });
  return { q, clock };
}

/** Pops the pod and reports it failed, rejected by `plugins` (none = an error). */
function fail(q: SchedulingQueue, plugins: string[] = []): QueuedPodInfo {
  const qpi = q.tryPop()!;
  const cycle = q.cycle;
  qpi.unschedulablePlugins = new Set(plugins);
  q.addUnschedulableIfNotPresent(qpi, cycle);
  return qpi;
}

const pi = (name: string, priority?: number) => new PodInfo(makePod(name, { priority }));

describe('scheduling queue (internal/queue/scheduling_queue_test.go)', () => {
  test('activeQ pops the highest priority first, then the oldest (PrioritySort)', async () => {
    const { q, clock } = newQueue();
    q.add(pi('low', 1));
    clock.step(1);
    q.add(pi('high-late', 10));
    q.add(pi('high-later', 10));
    const names = [q.tryPop(), q.tryPop(), q.tryPop()].map((x) => x!.podInfo.name);
    expect(names).toEqual(['high-late', 'high-later', 'low']);
  });

  test('pop waits for a pod and close wakes it with undefined', async () => {
    const { q } = newQueue();
    const waiting = q.pop();
    q.add(pi('a'));
    expect((await waiting)!.podInfo.name).toBe('a');
    const idle = q.pop();
    q.close();
    expect(await idle).toBeUndefined();
  });

  test('an unschedulable pod moves on an event its rejecting plugin registered, not on others', () => {
    const { q } = newQueue();
    const a = pi('a');
    q.add(a);
    fail(q, ['NodeResourcesFit']);
    expect(q.whereIs(a.key)).toBe('unschedulable');
    q.moveAllToActiveOrBackoffQueue(assignedPodAdd); // only InterPodAffinity registered it
    expect(q.whereIs(a.key)).toBe('unschedulable');
    q.moveAllToActiveOrBackoffQueue(nodeAdd);
    expect(q.whereIs(a.key)).toBe('backoff');
  });

  test('backoff is 1 s after the first attempt and doubles up to 10 s', () => {
    const { q, clock } = newQueue();
    q.add(pi('a'));
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      const qpi = fail(q); // an error: straight to backoffQ
      expect(qpi.attempts).toBe(attempt);
      let waited = 0;
      while (q.pendingCounts().active === 0) {
        clock.step(500);
        waited += 500;
        q.flushBackoffQCompleted();
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  test('a failure without rejecting plugins (an error) goes to backoffQ', () => {
    const { q } = newQueue();
    q.add(pi('a'));
    fail(q, []);
    expect(q.pendingCounts()).toEqual({ active: 0, backoff: 1, unschedulable: 0, gated: 0 });
  });

  test('a move request during the attempt sends the failed pod to backoffQ (moveRequestCycle)', () => {
    const { q } = newQueue();
    q.add(pi('a'));
    const qpi = q.tryPop()!;
    const cycle = q.cycle;
    q.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: Action.UpdateNodeLabel });
    qpi.unschedulablePlugins = new Set(['NodeResourcesFit']);
    q.addUnschedulableIfNotPresent(qpi, cycle);
    expect(q.pendingCounts().backoff).toBe(1);
  });

  test('a pod moved by an event after its backoff goes straight to activeQ', () => {
    const { q, clock } = newQueue();
    q.add(pi('a'));
    fail(q, ['NodeResourcesFit']);
    clock.step(1500);
    q.moveAllToActiveOrBackoffQueue(assignedPodDelete);
    expect(q.pendingCounts().active).toBe(1);
  });

  test('unschedulable pods are retried after 5 minutes at the latest, on the 30 s flush', async () => {
    const { q, clock } = newQueue();
    q.run();
    q.add(pi('a'));
    fail(q, ['NodeResourcesFit']);
    await clock.advance(5 * 60_000);
    expect(q.pendingCounts().unschedulable).toBe(1);
    await clock.advance(30_000);
    expect(q.pendingCounts()).toEqual({ active: 1, backoff: 0, unschedulable: 0, gated: 0 });
    q.close();
  });

  test('the backoff flush runs every second on the clock', async () => {
    const { q, clock } = newQueue();
    q.run();
    q.add(pi('a'));
    fail(q);
    await clock.advance(999);
    expect(q.pendingCounts().backoff).toBe(1);
    await clock.advance(1000);
    expect(q.pendingCounts().active).toBe(1);
    q.close();
  });

  test('a gated pod waits until an update removes its gates; events do not move it', () => {
    const { q } = newQueue();
    const gated = makePod('g', { spec: { schedulingGates: [{ name: 'example.com/wait' }] } });
    const g = new PodInfo(gated);
    q.add(g);
    expect(q.pendingCounts()).toEqual({ active: 0, backoff: 0, unschedulable: 0, gated: 1 });
    q.moveAllToActiveOrBackoffQueue(nodeAdd);
    expect(q.pendingCounts().gated).toBe(1);
    const ungated = new PodInfo(updatedPod(gated, (p) => (p.spec!.schedulingGates = [])));
    q.update(g, ungated);
    expect(q.pendingCounts()).toEqual({ active: 1, backoff: 0, unschedulable: 0, gated: 0 });
  });

  test('an unschedulable pod whose spec changes is retried (isPodUpdated)', () => {
    const { q, clock } = newQueue();
    const pod = makePod('a');
    const before = new PodInfo(pod);
    q.add(before);
    fail(q, ['NodeResourcesFit']);
    clock.step(2000);
    const statusOnly = new PodInfo(
      updatedPod(pod, (p) => (p.status = { phase: 'Pending', message: 'x' })),
    );
    q.update(before, statusOnly);
    expect(q.pendingCounts().unschedulable).toBe(1);
    const labelled = new PodInfo(updatedPod(pod, (p) => (p.metadata!.labels = { new: 'label' })));
    q.update(statusOnly, labelled);
    expect(q.pendingCounts().active).toBe(1);
  });

  test('delete removes a pod from whichever queue holds it', () => {
    const { q } = newQueue();
    const a = pi('a');
    q.add(a);
    q.delete(a);
    expect(q.tryPop()).toBeUndefined();
  });

  test('activate moves an unschedulable pod to activeQ at once', () => {
    const { q } = newQueue();
    const a = pi('a');
    q.add(a);
    fail(q, ['NodeResourcesFit']);
    q.activate([a.key]);
    expect(q.whereIs(a.key)).toBe('active');
  });
});
