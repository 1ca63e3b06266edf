/**
 * The manager against kuberx's in-process API server: metrics and probe endpoints, graceful stop,
 * failures, dependency injection, and the cached client's read-your-writes and helpers.
 */
import {
  Client,
  ConfigMap,
  CoreEvent,
  FakeClock,
  controllerManagedBy,
  createOrPatch,
  createOrUpdate,
  inject,
  injectable,
  type Manager,
} from '../../framework/index.js';
import { eventually, startTestEnv, type TestEnv } from '../../framework/testing/index.js';

let env: TestEnv;

beforeAll(async () => {
  env = await startTestEnv();
});

afterAll(async () => {
  await env.stop();
});

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

async function started(manager: Manager): Promise<{ done: Promise<void> }> {
  const done = manager.start();
  await manager.elected();
  return { done };
}

test('/metrics shows controller-runtime and workqueue metrics; /healthz and /readyz answer', async () => {
  const manager = env.newManager({ metricsBindAddress: '127.0.0.1:0' });
  let reconciled = 0;
  controllerManagedBy(manager)
    .for(ConfigMap)
    .named('cm-metrics')
    .complete({ reconcile: () => void reconciled++ });
  manager.addReadyzCheck('custom', () => {
    if (reconciled === 0) throw new Error('nothing reconciled yet');
  });
  const { done } = await started(manager);
  const failing = await fetch(`${manager.url}/readyz`);
  if (reconciled === 0) {
    expect(failing.status).toBe(500);
    expect(await failing.text()).toContain('[-]custom failed: nothing reconciled yet');
  }
  await env.client.create(cm('metrics-probe'));
  await eventually(() => reconciled > 0, 'a reconcile');
  const metrics = await (await fetch(`${manager.url}/metrics`)).text();
  expect(metrics).toMatch(
    /controller_runtime_reconcile_total\{controller="cm-metrics",result="success"\} [1-9]/,
  );
  expect(metrics).toContain(
    'controller_runtime_max_concurrent_reconciles{controller="cm-metrics"} 1',
  );
  expect(metrics).toMatch(
    /workqueue_adds_total\{name="cm-metrics",controller="cm-metrics"\} [1-9]/,
  );
  expect(metrics).toContain('workqueue_longest_running_processor_seconds');
  expect(metrics).toMatch(
    /rest_client_requests_total\{code="200",method="GET",host="127\.0\.0\.1:\d+"\}/,
  );
  expect(await (await fetch(`${manager.url}/healthz`)).text()).toBe('ok');
  const ready = await fetch(`${manager.url}/readyz?verbose`);
  expect(ready.status).toBe(200);
  expect(await ready.text()).toContain('[+]informers ok');
  manager.stop();
  await done;
});

test('stop waits for a running reconcile to finish', async () => {
  const manager = env.newManager();
  let release!: () => void;
  let finished = false;
  controllerManagedBy(manager)
    .for(ConfigMap)
    .named('slow')
    .complete({
      reconcile: async (req) => {
        if (req.name !== 'slow-one') return;
        await new Promise<void>((r) => (release = r));
        finished = true;
      },
    });
  const { done } = await started(manager);
  await env.client.create(cm('slow-one'));
  await eventually(() => release !== undefined, 'the reconcile to start');
  let stopped = false;
  manager.stop();
  void done.then(() => (stopped = true));
  await new Promise((r) => setTimeout(r, 50));
  expect(stopped).toBe(false);
  release();
  await done;
  expect(finished).toBe(true);
});

test('a reconcile stuck past the graceful shutdown timeout does not block the stop', async () => {
  const clock = new FakeClock(Date.now());
  const manager = env.newManager({ clock, gracefulShutdownTimeoutMs: 30_000 });
  let entered = false;
  controllerManagedBy(manager)
    .for(ConfigMap)
    .named('stuck')
    .complete({
      reconcile: (req) => {
        if (req.name !== 'stuck-one') return;
        entered = true;
        return new Promise(() => {}); // never settles
      },
    });
  const { done } = await started(manager);
  await env.client.create(cm('stuck-one'));
  await eventually(() => entered, 'the stuck reconcile');
  manager.stop();
  await new Promise((r) => setTimeout(r, 20));
  await clock.advance(30_000);
  await done;
});

test('a failing runnable stops the manager and start() rejects with its error', async () => {
  const manager = env.newManager();
  manager.add({ start: async () => Promise.reject(new Error('broken runnable')) });
  await expect(manager.start()).rejects.toThrow('broken runnable');
});

test('injectable classes get the manager client from the container', async () => {
  @injectable()
  class NeedsClient {
    constructor(@inject(Client) readonly client: Client) {}
  }
  const manager = env.newManager();
  manager.container.bind(NeedsClient).toSelf();
  expect(manager.container.get(NeedsClient).client).toBe(manager.client);
});

describe('the cached client', () => {
  let manager: Manager;
  let done: Promise<void>;
  beforeAll(async () => {
    manager = env.newManager();
    ({ done } = await started(manager));
  });
  afterAll(async () => {
    manager.stop();
    await done;
  });

  test('sees its own creates and updates on the next read', async () => {
    await manager.client.list(ConfigMap, { namespace: 'default' }); // starts and syncs the informer
    await manager.client.create(cm('ryw', { v: '1' }));
    expect((await manager.client.get(ConfigMap, 'ryw', { namespace: 'default' })).data).toEqual({
      v: '1',
    });
    const current = await manager.client.get(ConfigMap, 'ryw', { namespace: 'default' });
    await manager.client.update({ ...structuredClone(current), data: { v: '2' } });
    expect((await manager.client.get(ConfigMap, 'ryw', { namespace: 'default' })).data).toEqual({
      v: '2',
    });
  });

  test('a missing object is a 404 StatusError from the cache', async () => {
    await expect(
      manager.client.get(ConfigMap, 'nope', { namespace: 'default' }),
    ).rejects.toMatchObject({
      code: 404,
      message: 'configmaps "nope" not found',
    });
  });

  test('cached objects are frozen', async () => {
    await manager.client.create(cm('frozen', { a: 'b' }));
    const obj = await manager.client.get(ConfigMap, 'frozen', { namespace: 'default' });
    expect(() => {
      (obj.data as Record<string, string>).a = 'c';
    }).toThrow(TypeError);
  });

  test('lists can use an index added after the informer started', async () => {
    const informer = await manager.informers.informerFor(ConfigMap);
    informer.addIndexers({ byKey: (o) => Object.keys((o as ConfigMap).data ?? {}) });
    await manager.client.create(cm('indexed', { special: 'x' }));
    const found = await manager.client.list(ConfigMap, {
      index: { name: 'byKey', value: 'special' },
    });
    expect(found.map((o) => o.metadata?.name)).toEqual(['indexed']);
  });

  test('createOrUpdate creates, leaves alone, then updates', async () => {
    const mutate = (v: string) => (o: ConfigMap) => void (o.data = { v });
    expect((await createOrUpdate(manager.client, cm('cou'), mutate('1'))).result).toBe('created');
    expect((await createOrUpdate(manager.client, cm('cou'), mutate('1'))).result).toBe('unchanged');
    const { result, object } = await createOrUpdate(manager.client, cm('cou'), mutate('2'));
    expect(result).toBe('updated');
    expect(object.data).toEqual({ v: '2' });
  });

  test('createOrPatch sends a merge patch of what changed', async () => {
    await createOrPatch(manager.client, cm('cop'), (o) => void (o.data = { a: '1', b: '2' }));
    const { result } = await createOrPatch(manager.client, cm('cop'), (o) => void delete o.data!.b);
    expect(result).toBe('updated');
    const fresh = await env.client.get(ConfigMap, 'cop', { namespace: 'default' });
    expect(fresh.data).toEqual({ a: '1' });
  });

  test('the event recorder writes an Event and counts a repeat instead of duplicating it', async () => {
    const target = await env.client.create(cm('evented'));
    const recorder = manager.eventRecorderFor('test-controller');
    await recorder.event(target, 'Normal', 'Synced', 'all good');
    await recorder.event(target, 'Normal', 'Synced', 'all good');
    const events = (await env.client.list(CoreEvent, { namespace: 'default' })).items.filter(
      (e) => e.involvedObject?.name === 'evented',
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      reason: 'Synced',
      message: 'all good',
      type: 'Normal',
      count: 2,
      source: { component: 'test-controller' },
      involvedObject: { kind: 'ConfigMap', name: 'evented', uid: target.metadata!.uid },
    });
  });
});
