import { FakeClock, flushPromises, newConflict } from '../../common/index.js';
import { makeNode, makePod, updatedPod } from './fixtures.js';
import { StaticListers } from './listers.js';
import { InMemorySchedulerClient, type InMemoryClientOptions } from './memory-client.js';
import { Scheduler } from './scheduler.js';

async function settle(rounds = 6) {
  for (let i = 0; i < rounds; i++) await flushPromises();
}

function start(clientOptions: InMemoryClientOptions = {}) {
  const clock = new FakeClock();
  const client = new InMemorySchedulerClient(clientOptions);
  const scheduler = new Scheduler({ client, clock, random: () => 0 });
  const ctl = new AbortController();
  const running = scheduler.run(ctl.signal);
  return {
    scheduler,
    client,
    clock,
    h: scheduler.handlers,
    stop: async () => {
      ctl.abort();
      await running;
    },
  };
}

const condition = (client: InMemorySchedulerClient, name: string) =>
  client.statusPatches.filter((p) => p.pod.name === name).at(-1)?.patch.condition;

describe('scheduling one pod (schedule_one_test.go, test/integration/scheduler)', () => {
  test('a pending pod is bound and a Scheduled event says where', async () => {
    const { h, client, stop } = start();
    h.onNodeAdd(makeNode('node-2', { cpu: '2' }));
    h.onPodAdd(makePod('web-1', { cpu: '100m' }));
    await settle();
    expect(client.boundNode('default', 'web-1')).toBe('node-2');
    expect(client.events).toContainEqual({
      namespace: 'default',
      name: 'web-1',
      type: 'Normal',
      reason: 'Scheduled',
      message: 'Successfully assigned default/web-1 to node-2',
    });
    await stop();
  });

  test('pods naming another scheduler are left alone', async () => {
    const { h, client, stop } = start();
    h.onNodeAdd(makeNode('n'));
    h.onPodAdd(makePod('other', { spec: { schedulerName: 'my-scheduler' } }));
    await settle();
    expect(client.bindings).toEqual([]);
    await stop();
  });

  test('the assume cache makes the next pod see the capacity the previous one took', async () => {
    const { h, client, stop } = start();
    h.onNodeAdd(makeNode('a', { cpu: '1' }));
    h.onNodeAdd(makeNode('b', { cpu: '1' }));
    h.onPodAdd(makePod('p1', { cpu: '600m' }));
    h.onPodAdd(makePod('p2', { cpu: '600m' }));
    await settle();
    const nodes = new Set([client.boundNode('default', 'p1'), client.boundNode('default', 'p2')]);
    expect(nodes).toEqual(new Set(['a', 'b']));
    await stop();
  });

  test('LeastAllocated: a new pod goes to the emptier node', async () => {
    const { h, client, stop } = start();
    h.onNodeAdd(makeNode('loaded', { cpu: '4', memory: '8Gi' }));
    h.onNodeAdd(makeNode('empty', { cpu: '4', memory: '8Gi' }));
    h.onPodAdd(makePod('existing', { nodeName: 'loaded', cpu: '3', memory: '6Gi' }));
    h.onPodAdd(makePod('new', { cpu: '100m', memory: '128Mi' }));
    await settle();
    expect(client.boundNode('default', 'new')).toBe('empty');
    await stop();
  });

  test('an unschedulable pod gets PodScheduled=False/Unschedulable and a FailedScheduling event', async () => {
    const { h, client, stop } = start();
    for (const n of ['n1', 'n2', 'n3']) h.onNodeAdd(makeNode(n, { cpu: '1' }));
    h.onPodAdd(makePod('big', { cpu: '2' }));
    await settle();
    const message =
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    expect(condition(client, 'big')).toMatchObject({
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
    });
    expect(client.events).toContainEqual({
      namespace: 'default',
      name: 'big',
      type: 'Warning',
      reason: 'FailedScheduling',
      message,
    });
    await stop();
  });

  test('with no nodes the message says so', async () => {
    const { h, client, stop } = start();
    h.onPodAdd(makePod('lonely'));
    await settle();
    expect(condition(client, 'lonely')?.message).toBe('no nodes available to schedule pods');
    await stop();
  });

  test('an unschedulable pod is retried when a node that fits is added', async () => {
    const { h, client, clock, stop } = start();
    h.onNodeAdd(makeNode('small', { cpu: '1' }));
    h.onPodAdd(makePod('big', { cpu: '2' }));
    await settle();
    expect(client.bindings).toEqual([]);
    h.onNodeAdd(makeNode('large', { cpu: '4' }));
    await clock.advance(1000); // the first backoff is 1 s
    await settle();
    expect(client.boundNode('default', 'big')).toBe('large');
    await stop();
  });

  test('a failed binding forgets the assumed pod and retries after backoff (SchedulerError)', async () => {
    let fail = true;
    const { h, client, clock, stop } = start({
      failBind: (pod) =>
        fail ? newConflict({ group: '', resource: 'pods/binding' }, pod.name, 'boom') : undefined,
    });
    h.onNodeAdd(makeNode('n', { cpu: '1' }));
    h.onPodAdd(makePod('p', { cpu: '800m' }));
    await settle();
    expect(condition(client, 'p')?.reason).toBe('SchedulerError');
    fail = false;
    await clock.advance(1000);
    await settle();
    // Had the failed assumption stayed in the cache, 800m + 800m would not fit on 1 cpu.
    expect(client.boundNode('default', 'p')).toBe('n');
    await stop();
  });

  test('a plugin error is a SchedulerError, retried after backoff — not a crash', async () => {
    const clock = new FakeClock();
    const client = new InMemorySchedulerClient();
    const listers = new StaticListers();
    let broken = true;
    listers.serviceSelectorsFor = () => {
      if (broken) throw new Error('service lister down');
      return [];
    };
    const scheduler = new Scheduler({ client, clock, listers, random: () => 0 });
    const ctl = new AbortController();
    const running = scheduler.run(ctl.signal);
    scheduler.handlers.onNodeAdd(makeNode('a'));
    scheduler.handlers.onNodeAdd(makeNode('b'));
    scheduler.handlers.onPodAdd(makePod('p', { labels: { app: 'x' } }));
    await settle();
    expect(condition(client, 'p')).toMatchObject({
      reason: 'SchedulerError',
      message: 'running PreScore plugin "PodTopologySpread": service lister down',
    });
    broken = false;
    await clock.advance(1000);
    await settle();
    expect(client.boundNode('default', 'p')).toBeDefined();
    ctl.abort();
    await running;
  });

  test('a pod being deleted is skipped with an event', async () => {
    const { h, client, stop } = start();
    h.onNodeAdd(makeNode('n'));
    h.onPodAdd(makePod('gone', { deletionTimestamp: '2026-01-01T00:00:00Z' }));
    await settle();
    expect(client.bindings).toEqual([]);
    expect(client.events.map((e) => e.message)).toEqual([
      'skip schedule deleting pod: default/gone',
    ]);
    await stop();
  });

  test('a gated pod is not scheduled until its gates are removed', async () => {
    const { h, client, stop } = start();
    h.onNodeAdd(makeNode('n'));
    const gated = makePod('g', { spec: { schedulingGates: [{ name: 'example.com/hold' }] } });
    h.onPodAdd(gated);
    await settle();
    expect(client.bindings).toEqual([]);
    expect(client.statusPatches).toEqual([]);
    h.onPodUpdate(
      gated,
      updatedPod(gated, (p) => (p.spec!.schedulingGates = [])),
    );
    await settle();
    expect(client.boundNode('default', 'g')).toBe('n');
    await stop();
  });

  test('required anti-affinity on hostname: the third pod of two nodes stays pending', async () => {
    const { h, client, stop } = start();
    h.onNodeAdd(makeNode('n1'));
    h.onNodeAdd(makeNode('n2'));
    const anti = {
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
    for (const name of ['w1', 'w2', 'w3']) {
      h.onPodAdd(makePod(name, { labels: { app: 'web' }, spec: anti }));
    }
    await settle(10);
    expect(client.bindings.map((b) => b.node).sort()).toEqual(['n1', 'n2']);
    const pending = ['w1', 'w2', 'w3'].find((n) => !client.boundNode('default', n))!;
    expect(condition(client, pending)?.message).toBe(
      "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
    );
    await stop();
  });

  test('an unchanged failure does not patch the status again', async () => {
    const { h, scheduler, client, stop } = start();
    h.onNodeAdd(makeNode('n', { cpu: '1' }));
    const big = makePod('big', { cpu: '2' });
    h.onPodAdd(big);
    await settle();
    const first = condition(client, 'big')!;
    // The pod as the informer would now report it, with the condition written.
    h.onPodUpdate(
      big,
      updatedPod(big, (p) => (p.status = { phase: 'Pending', conditions: [first as never] })),
    );
    scheduler.queue.activate([big.metadata!.uid!]);
    await settle();
    expect(client.statusPatches.filter((p) => p.pod.name === 'big')).toHaveLength(1);
    expect(client.events.filter((e) => e.name === 'big').length).toBeGreaterThanOrEqual(2);
    await stop();
  });

  test('a pod deleted before its binding was observed no longer holds its room', async () => {
    const { h, scheduler, client, stop } = start();
    h.onNodeAdd(makeNode('n', { cpu: '1' }));
    const first = makePod('first', { cpu: '800m' });
    h.onPodAdd(first);
    await settle();
    expect(client.boundNode('default', 'first')).toBe('n');
    expect(scheduler.cache.isAssumed(first.metadata!.uid!)).toBe(true);
    h.onPodDelete(first); // the informer only ever saw it pending
    h.onPodAdd(makePod('second', { cpu: '800m' }));
    await settle();
    expect(client.boundNode('default', 'second')).toBe('n');
    await stop();
  });

  test('a pod bound by someone else leaves the queue and counts on its node', async () => {
    const { h, scheduler, client, stop } = start();
    h.onNodeAdd(makeNode('n', { cpu: '1' }));
    const p = makePod('p', { cpu: '2' });
    h.onPodAdd(p);
    await settle();
    h.onPodUpdate(
      p,
      updatedPod(p, (x) => (x.spec!.nodeName = 'n')),
    );
    expect(scheduler.queue.pendingCounts()).toEqual({
      active: 0,
      backoff: 0,
      unschedulable: 0,
      gated: 0,
    });
    expect(scheduler.cache.nodeInfo('n')!.requestedMilliCPU).toBe(2000);
    expect(client.bindings).toEqual([]);
    await stop();
  });
});
