import { FakeClock, flushPromises } from '../../common/index.js';
import {
  ApiClient,
  KubeConfigTransport,
  RestClient,
  kinds,
  type KubernetesObject,
  type Pod,
} from '../client/index.js';
import {
  ScriptedServer,
  sendJson,
  sendStatus,
  type WatchStream,
} from '../testing/scripted-server.js';
import { SharedInformerFactory } from './factory.js';
import { SharedIndexInformer } from './informer.js';
import type { InformerEvent } from './types.js';

const PODS = '/api/v1/pods';
let server: ScriptedServer;
let transport: KubeConfigTransport;
let rest: RestClient;
let clock: FakeClock;
let informer: SharedIndexInformer<Pod> | undefined;
let streams: WatchStream[];
let listItems: KubernetesObject[];
let listRV: string;

const pod = (name: string, rv: string, extra: Record<string, unknown> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', resourceVersion: rv, labels: { app: name } },
  ...extra,
});

beforeEach(async () => {
  server = await ScriptedServer.start();
  clock = new FakeClock();
  transport = new KubeConfigTransport(server.kubeConfig(), { clock });
  rest = new RestClient(transport, { clock });
  streams = [];
  listItems = [pod('a', '1'), pod('b', '2')];
  listRV = '10';
  server.on('GET', PODS, (req, res) => {
    if (req.query.get('watch') === 'true') streams.push(server.watch(res));
    else sendJson(res, { metadata: { resourceVersion: listRV }, items: listItems });
  });
});

afterEach(async () => {
  informer?.stop();
  informer = undefined;
  transport.close();
  await server.stop();
});

async function eventually(cond: () => boolean, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    handler: {
      onAdd: (o: Pod, initial: boolean) =>
        void calls.push(
          `add ${o.metadata?.name}@${o.metadata?.resourceVersion}${initial ? ' initial' : ''}`,
        ),
      onUpdate: (old: Pod, o: Pod) =>
        void calls.push(
          `update ${o.metadata?.name} ${old.metadata?.resourceVersion}->${o.metadata?.resourceVersion}`,
        ),
      onDelete: (o: Pod, unknown: boolean) =>
        void calls.push(`delete ${o.metadata?.name}${unknown ? ' unknown' : ''}`),
    },
  };
}

async function startInformer(options = {}) {
  informer = new SharedIndexInformer<Pod>(rest, kinds.Pod, { clock, random: () => 0, ...options });
  informer.start();
  await informer.synced();
  await eventually(() => streams.length === 1, 'watch');
  return informer;
}

test('after the first list it has synced; objects are frozen and stripped of managedFields', async () => {
  listItems = [
    pod('a', '1', {
      metadata: { name: 'a', namespace: 'ns', resourceVersion: '1', managedFields: [{}] },
    }),
  ];
  const inf = await startInformer();
  expect(inf.hasSynced()).toBe(true);
  const a = inf.store.getByName('ns', 'a')!;
  expect(a.metadata?.managedFields).toBeUndefined();
  expect(Object.isFrozen(a.metadata)).toBe(true);
  expect(inf.lastSyncResourceVersion()).toBe('10');
});

test('handlers get the initial list as initial adds, then watch changes as updates and deletes', async () => {
  informer = new SharedIndexInformer<Pod>(rest, kinds.Pod, { clock });
  const { calls, handler } = recorder();
  const reg = informer.addEventHandler(handler);
  informer.start();
  await reg.synced();
  await eventually(() => streams.length === 1);
  streams[0]!.send('MODIFIED', pod('a', '11'));
  streams[0]!.send('ADDED', pod('c', '12'));
  streams[0]!.send('DELETED', pod('b', '13'));
  await eventually(() => calls.length === 5);
  expect(calls).toEqual([
    'add a@1 initial',
    'add b@2 initial',
    'update a 1->11',
    'add c@12',
    'delete b',
  ]);
  expect(informer.store.listKeys().sort()).toEqual(['ns/a', 'ns/c']);
});

test('a relist swaps the cache, reports vanished objects as deleted and skips unchanged ones', async () => {
  const inf = await startInformer();
  const { calls, handler } = recorder();
  inf.addEventHandler(handler);
  const events: InformerEvent<Pod>[] = [];
  inf.events().subscribe((e) => events.push(e));
  calls.length = 0;
  events.length = 0;
  listItems = [pod('a', '1'), pod('b', '20'), pod('d', '21')];
  listRV = '30';
  streams[0]!.send('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' });
  await eventually(() => events.some((e) => e.type === 'initDone'));
  expect(calls).toEqual(['update b 2->20', 'add d@21']);
  expect(events.map((e) => e.type)).toEqual([
    'init',
    'initApply',
    'initApply',
    'initApply',
    'initDone',
  ]);
  listItems = [pod('a', '1')];
  listRV = '40';
  await eventually(() => streams.length === 2);
  streams[1]!.send('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' });
  await eventually(() => calls.length === 4);
  expect(calls.slice(2).sort()).toEqual(['delete b unknown', 'delete d unknown']);
  expect(inf.store.listKeys()).toEqual(['ns/a']);
});

test('a handler added after start gets a replay and its own synced signal', async () => {
  const inf = await startInformer();
  const { calls, handler } = recorder();
  const reg = inf.addEventHandler(handler);
  expect(reg.hasSynced()).toBe(true); // synchronous handler: replay delivered at once
  expect(calls).toEqual(['add a@1 initial', 'add b@2 initial']);
});

test('a slow handler does not hold back a fast one, and its buffer merges per object', async () => {
  const inf = await startInformer();
  const fast = recorder();
  inf.addEventHandler(fast.handler);
  let release!: () => void;
  const slowSeen: string[] = [];
  const slow = inf.addEventHandler({
    onUpdate: (_old, o) => {
      slowSeen.push(o.metadata!.resourceVersion!);
      if (slowSeen.length === 1) return new Promise<void>((r) => (release = r));
    },
  });
  for (let rv = 11; rv <= 30; rv++) streams[0]!.send('MODIFIED', pod('a', String(rv)));
  await eventually(() => fast.calls.length === 22);
  expect(slow.pending()).toBe(1);
  release();
  await flushPromises();
  expect(slowSeen).toEqual(['11', '30']);
});

test('resync re-delivers every cached object as an update each period', async () => {
  const inf = await startInformer();
  const { calls, handler } = recorder();
  inf.addEventHandler(handler, { resyncPeriodMs: 60_000 });
  calls.length = 0;
  clock.step(59_999);
  expect(calls).toEqual([]);
  clock.step(1);
  expect(calls).toEqual(['update a 1->1', 'update b 2->2']);
  clock.step(60_000);
  expect(calls).toHaveLength(4);
});

test('an index added after start covers existing objects and follows changes', async () => {
  const inf = await startInformer();
  inf.addIndexers({ app: (o) => [o.metadata?.labels?.app ?? ''] });
  expect(inf.store.indexKeys('app', 'a')).toEqual(['ns/a']);
  streams[0]!.send('MODIFIED', {
    ...pod('a', '11'),
    metadata: { ...pod('a', '11').metadata, labels: { app: 'z' } },
  });
  await eventually(() => inf.store.indexKeys('app', 'z').length === 1);
  expect(inf.store.indexKeys('app', 'a')).toEqual([]);
});

test('a metadata-only informer caches only apiVersion, kind and metadata', async () => {
  listItems = [pod('a', '1', { spec: { nodeName: 'n1' }, status: { phase: 'Running' } })];
  const inf = await startInformer({ metadataOnly: true });
  expect(inf.store.getByName('ns', 'a')).toEqual({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'a', namespace: 'ns', resourceVersion: '1', labels: { app: 'a' } },
  });
});

test('read-your-writes: a recorded write is visible at once and older watch events do not undo it', async () => {
  const inf = await startInformer();
  const { calls, handler } = recorder();
  inf.addEventHandler(handler);
  calls.length = 0;
  inf.recordWrite(pod('a', '50', { spec: { nodeName: 'mine' } }));
  expect(inf.store.getByName('ns', 'a')?.metadata?.resourceVersion).toBe('50');
  expect(calls).toEqual([]);
  streams[0]!.send('MODIFIED', pod('a', '40'));
  await eventually(() => calls.length === 1);
  expect(calls).toEqual(['update a 1->40']);
  expect(inf.store.getByName('ns', 'a')?.metadata?.resourceVersion).toBe('50');
  streams[0]!.send('MODIFIED', pod('a', '50', { spec: { nodeName: 'mine' } }));
  streams[0]!.send('MODIFIED', pod('a', '60'));
  await eventually(() => calls.length === 3);
  expect(calls.slice(1)).toEqual(['update a 40->50', 'update a 50->60']);
  expect(inf.store.getByName('ns', 'a')?.metadata?.resourceVersion).toBe('60');
});

test('a write recorded after the watch reported the deletion does not resurrect the object', async () => {
  const inf = await startInformer();
  streams[0]!.send('DELETED', pod('a', '30'));
  await eventually(() => inf.store.getByName('ns', 'a') === undefined, 'the deletion');
  inf.recordWrite(
    pod('a', '29', {
      metadata: {
        name: 'a',
        namespace: 'ns',
        resourceVersion: '29',
        deletionTimestamp: '2026-01-01T00:00:00Z',
      },
    }),
  );
  inf.recordWrite(pod('a', '30'));
  expect(inf.store.getByName('ns', 'a')).toBeUndefined();
  inf.recordWrite(pod('a', '31'));
  expect(inf.store.getByName('ns', 'a')?.metadata?.resourceVersion).toBe('31');
});

test('recordWrite ignores objects older than the cache and objects outside the scope', async () => {
  const inf = await startInformer({ labelSelector: 'app=a' });
  inf.recordWrite(pod('a', '0'));
  inf.recordWrite(pod('zz', '99'));
  expect(inf.store.getByName('ns', 'a')?.metadata?.resourceVersion).toBe('1');
  expect(inf.store.getByName('ns', 'zz')).toBeUndefined();
});

describe('SharedInformerFactory', () => {
  test('one informer and one watch per kind and scope, however many ask', async () => {
    const client = new ApiClient(rest);
    const factory = new SharedInformerFactory(client, { clock });
    const one = await factory.informerFor(kinds.Pod);
    const two = await factory.informerFor(kinds.Pod);
    const other = await factory.informerFor(kinds.Pod, { labelSelector: 'app=a' });
    expect(one).toBe(two);
    expect(other).not.toBe(one);
    await factory.start();
    await factory.waitForCacheSync();
    await eventually(() => streams.length === 2);
    const late = await factory.informerFor(kinds.Pod, { metadataOnly: true });
    await late.synced();
    await factory.stop();
  });

  test('an informer that never syncs keeps waitForCacheSync pending (the caller sets the timeout)', async () => {
    server.on('GET', PODS, (_req, res) => sendStatus(res, 403, 'Forbidden', 'pods is forbidden'));
    const factory = new SharedInformerFactory(new ApiClient(rest), { clock });
    const inf = await factory.informerFor(kinds.Pod);
    await factory.start();
    let synced = false;
    void factory.waitForCacheSync().then(() => (synced = true));
    await server.waitFor(() => true, 1);
    await flushPromises();
    expect(synced).toBe(false);
    expect(inf.hasSynced()).toBe(false);
    await factory.stop();
  });
});
