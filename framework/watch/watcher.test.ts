import type { Subscription } from 'rxjs';
import { FakeClock, flushPromises } from '../../common/index.js';
import { KubeConfigTransport, RestClient, kinds, type KubernetesObject } from '../client/index.js';
import {
  ScriptedServer,
  sendJson,
  sendStatus,
  type WatchStream,
} from '../testing/scripted-server.js';
import { watcher, type WatchErrorInfo, type WatcherConfig, type WatcherEvent } from './watcher.js';

const PODS = '/api/v1/pods';

let server: ScriptedServer;
let transport: KubeConfigTransport;
let subscription: Subscription | undefined;
let clock: FakeClock;

beforeEach(async () => {
  server = await ScriptedServer.start();
  clock = new FakeClock();
  transport = new KubeConfigTransport(server.kubeConfig(), { clock });
});

afterEach(async () => {
  subscription?.unsubscribe();
  subscription = undefined;
  transport.close();
  await server.stop();
});

const pod = (name: string, rv: string): KubernetesObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv },
});

function listOf(rv: string, items: KubernetesObject[], cont?: string) {
  return {
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: { resourceVersion: rv, continue: cont },
    items,
  };
}

/** Starts a watcher; returns the events and errors it produced so far. */
function start(config: WatcherConfig<KubernetesObject> = {}) {
  const events: WatcherEvent<KubernetesObject>[] = [];
  const errors: Array<{ err: any; info: WatchErrorInfo }> = [];
  const rest = new RestClient(transport, { clock });
  subscription = watcher(rest, kinds.Pod, {
    clock,
    random: () => 0,
    onError: (err, info) => errors.push({ err, info }),
    ...config,
  }).subscribe((e) => events.push(e));
  return { events, errors };
}

/** Serves watches: each new watch request hands its stream to the test. */
function serveWatches(): WatchStream[] {
  const streams: WatchStream[] = [];
  server.on('GET', PODS, (req, res) => {
    if (req.query.get('watch') === 'true') streams.push(server.watch(res));
    else sendJson(res, listOf('10', [pod('a', '9')]));
  });
  return streams;
}

async function eventually(cond: () => boolean, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const types = (events: WatcherEvent<KubernetesObject>[]) => events.map((e) => e.type);
const watches = () => server.matching('GET', PODS, true);
const lists = () => server.matching('GET', PODS, false);

test('it lists at resourceVersion 0 in pages of 500, then watches from the list with bookmarks and a jittered timeout', async () => {
  const streams = serveWatches();
  const { events } = start({ random: () => 0.5 });
  await eventually(() => streams.length === 1, 'watch');
  const list = lists()[0]!;
  expect(list.query.get('resourceVersion')).toBe('0');
  expect(list.query.get('limit')).toBe('500');
  const w = watches()[0]!;
  expect(w.query.get('resourceVersion')).toBe('10');
  expect(w.query.get('allowWatchBookmarks')).toBe('true');
  expect(w.query.get('timeoutSeconds')).toBe('450');
  streams[0]!.send('ADDED', pod('b', '11'));
  streams[0]!.send('MODIFIED', pod('a', '12'));
  streams[0]!.send('DELETED', pod('b', '13'));
  await eventually(() => events.length === 6, 'events');
  expect(types(events)).toEqual(['init', 'initApply', 'initDone', 'apply', 'apply', 'delete']);
  expect(events[1]).toEqual({
    type: 'initApply',
    object: { apiVersion: 'v1', kind: 'Pod', ...pod('a', '9') },
  });
});

test('continue tokens are followed and continuation pages carry no resourceVersion', async () => {
  server.on('GET', PODS, (req, res) => {
    if (req.query.get('watch') === 'true') return void server.watch(res);
    if (req.query.get('continue') === 'next') sendJson(res, listOf('20', [pod('b', '2')]));
    else sendJson(res, listOf('20', [pod('a', '1')], 'next'));
  });
  const { events } = start({ pageSize: 1 });
  await eventually(() => watches().length === 1);
  expect(types(events)).toEqual(['init', 'initApply', 'initApply', 'initDone']);
  const second = lists()[1]!;
  expect(second.query.get('continue')).toBe('next');
  expect(second.query.has('resourceVersion')).toBe(false);
  expect(watches()[0]!.query.get('resourceVersion')).toBe('20');
});

test('a clean close re-watches at once from the last resourceVersion, bookmarks included, without relisting', async () => {
  const streams = serveWatches();
  const { events } = start();
  await eventually(() => streams.length === 1);
  streams[0]!.send('MODIFIED', pod('a', '15'));
  streams[0]!.send('BOOKMARK', {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { resourceVersion: '40' },
  });
  await eventually(() => events.length === 5);
  streams[0]!.end();
  await eventually(() => streams.length === 2, 'second watch');
  expect(watches()[1]!.query.get('resourceVersion')).toBe('40');
  expect(lists()).toHaveLength(1);
  expect(events[4]).toEqual({ type: 'bookmark', resourceVersion: '40' });
});

test('a 410 ERROR event relists at the last resourceVersion, not older', async () => {
  const streams = serveWatches();
  const { events } = start();
  await eventually(() => streams.length === 1);
  streams[0]!.send('MODIFIED', pod('a', '30'));
  streams[0]!.send('ERROR', {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code: 410,
    reason: 'Expired',
    message: 'too old resource version: 30 (50)',
  });
  await eventually(() => lists().length === 2, 'relist');
  const relist = lists()[1]!;
  expect(relist.query.get('resourceVersion')).toBe('30');
  expect(relist.query.get('resourceVersionMatch')).toBe('NotOlderThan');
  await eventually(() => streams.length === 2);
  expect(types(events)).toEqual([
    'init',
    'initApply',
    'initDone',
    'apply',
    'init',
    'initApply',
    'initDone',
  ]);
});

test('a 410 when opening the watch relists; a relist that is also expired lists at "" (consistent read)', async () => {
  let listCalls = 0;
  server.on('GET', PODS, (req, res) => {
    if (req.query.get('watch') === 'true') {
      if (watches().length === 1)
        return sendStatus(res, 410, 'Expired', 'too old resource version');
      return void server.watch(res);
    }
    listCalls++;
    if (listCalls === 2) return sendStatus(res, 410, 'Expired', 'too old resource version');
    sendJson(res, listOf('70', []));
  });
  const { events, errors } = start();
  await eventually(() => watches().length === 2, 'watch after relists');
  expect(lists().map((r) => r.query.get('resourceVersion'))).toEqual(['0', '70', '']);
  expect(errors.map((e) => e.err.code)).toEqual([410, 410]);
  expect(types(events).filter((t) => t === 'initDone')).toHaveLength(2);
});

test('a dropped stream backs off 800 ms then resumes from the last resourceVersion', async () => {
  const streams = serveWatches();
  const { errors } = start();
  await eventually(() => streams.length === 1);
  streams[0]!.send('MODIFIED', pod('a', '33'));
  await flushPromises();
  streams[0]!.destroy();
  await eventually(() => errors.length === 1, 'error report');
  expect(errors[0]!.info).toEqual({ phase: 'watch', retryInMs: 800 });
  await clock.advance(799);
  expect(watches()).toHaveLength(1);
  await clock.advance(1);
  await eventually(() => streams.length === 2);
  expect(watches()[1]!.query.get('resourceVersion')).toBe('33');
  expect(lists()).toHaveLength(1);
});

test('a 500 on list is retried with growing backoff, never giving up', async () => {
  let fail = 3;
  server.on('GET', PODS, (req, res) => {
    if (req.query.get('watch') === 'true') return void server.watch(res);
    if (fail-- > 0) return sendStatus(res, 500, 'InternalError', 'etcd is down');
    sendJson(res, listOf('5', []));
  });
  const { errors, events } = start();
  for (const [i, delay] of [800, 1600, 3200].entries()) {
    await eventually(() => errors.length === i + 1);
    expect(errors.at(-1)!.info).toEqual({ phase: 'list', retryInMs: delay });
    await clock.advance(delay);
  }
  await eventually(() => watches().length === 1);
  expect(events.at(-1)).toEqual({ type: 'initDone', resourceVersion: '5' });
});

test('a 429 on watch waits for Retry-After when it is longer than the backoff', async () => {
  server.on('GET', PODS, (req, res) => {
    if (req.query.get('watch') !== 'true') return sendJson(res, listOf('5', []));
    if (watches().length === 1) {
      return sendStatus(res, 429, 'TooManyRequests', 'slow down', { 'Retry-After': '20' });
    }
    server.watch(res);
  });
  const rest = new RestClient(transport, { clock, maxRetries: 0 });
  const errors: WatchErrorInfo[] = [];
  subscription = watcher(rest, kinds.Pod, {
    clock,
    random: () => 0,
    onError: (_e, info) => errors.push(info),
  }).subscribe();
  await eventually(() => errors.length === 1);
  expect(errors[0]).toEqual({ phase: 'watch', retryInMs: 20_000 });
  await clock.advance(19_999);
  expect(watches()).toHaveLength(1);
  await clock.advance(1);
  await eventually(() => watches().length === 2);
  expect(lists()).toHaveLength(1);
});

test('a watch that hangs with no data is abandoned after its timeout plus 5 s and re-opened', async () => {
  const streams = serveWatches();
  const { errors } = start();
  await eventually(() => streams.length === 1);
  await clock.advance(300_000 + 4_999);
  expect(errors).toHaveLength(0);
  await clock.advance(1);
  await eventually(() => errors.length === 1);
  expect(errors[0]!.err.name).toBe('WatchIdleError');
  await clock.advance(800);
  await eventually(() => streams.length === 2);
  expect(streams[0]!.closed).toBe(true);
});

test('a streaming list ends at the initial-events-end bookmark and goes on as a watch', async () => {
  const streams: WatchStream[] = [];
  server.on('GET', PODS, (req, res) => {
    if (req.query.get('watch') === 'true') streams.push(server.watch(res));
    else sendJson(res, listOf('1', []));
  });
  const { events } = start({ initialListStrategy: 'streaming' });
  await eventually(() => streams.length === 1);
  const q = watches()[0]!.query;
  expect(q.get('sendInitialEvents')).toBe('true');
  expect(q.get('resourceVersionMatch')).toBe('NotOlderThan');
  expect(q.get('resourceVersion')).toBe('');
  expect(q.get('allowWatchBookmarks')).toBe('true');
  streams[0]!.send('ADDED', pod('a', '3'));
  streams[0]!.send('BOOKMARK', {
    metadata: { resourceVersion: '8', annotations: { 'k8s.io/initial-events-end': 'true' } },
  });
  streams[0]!.send('MODIFIED', pod('a', '9'));
  await eventually(() => events.length === 4);
  expect(types(events)).toEqual(['init', 'initApply', 'initDone', 'apply']);
  expect(lists()).toHaveLength(0);
});

test.each([
  ['rejects sendInitialEvents with 422', 'reject'],
  ['closes the stream before the bookmark', 'close'],
  ['ignores the parameter (a plain bookmark comes first)', 'ignore'],
])('a server that %s makes the watcher fall back to list for good', async (_name, how) => {
  server.on('GET', PODS, (req, res) => {
    if (req.query.get('sendInitialEvents') === 'true') {
      if (how === 'reject') {
        return sendStatus(res, 422, 'Invalid', 'sendInitialEvents is forbidden for watch');
      }
      const s = server.watch(res);
      s.send('ADDED', pod('a', '3'));
      if (how === 'ignore') return s.send('BOOKMARK', { metadata: { resourceVersion: '3' } });
      return s.end();
    }
    if (req.query.get('watch') === 'true') return void server.watch(res);
    sendJson(res, listOf('4', [pod('a', '3')]));
  });
  const { events } = start({ initialListStrategy: 'streaming' });
  await eventually(() => watches().length === 2);
  expect(lists()).toHaveLength(1);
  expect(events.at(-1)).toEqual({ type: 'initDone', resourceVersion: '4' });
  expect(watches()[1]!.query.has('sendInitialEvents')).toBe(false);
});

test('transform runs on list and watch objects before they are emitted', async () => {
  const streams = serveWatches();
  const { events } = start({
    transform: (o) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      metadata: { name: o.metadata?.name },
    }),
  });
  await eventually(() => streams.length === 1);
  streams[0]!.send('ADDED', { ...pod('b', '11'), spec: {} });
  await eventually(() => events.length === 4);
  const typeMeta = { apiVersion: 'v1', kind: 'Pod' };
  expect((events[1] as any).object).toEqual({ ...typeMeta, metadata: { name: 'a' } });
  expect((events[3] as any).object).toEqual({ ...typeMeta, metadata: { name: 'b' } });
});

test('unsubscribing closes the watch connection', async () => {
  const streams = serveWatches();
  start();
  await eventually(() => streams.length === 1);
  subscription!.unsubscribe();
  await eventually(() => streams[0]!.closed, 'server sees the close');
});

test('namespace, selectors and metadata-only shape the requests', async () => {
  server.on('GET', '/api/v1/namespaces/prod/pods', (req, res) => {
    if (req.query.get('watch') === 'true') return void server.watch(res);
    sendJson(res, listOf('1', []));
  });
  start({
    namespace: 'prod',
    labelSelector: 'app=web',
    fieldSelector: 'spec.nodeName=n1',
    metadataOnly: true,
  });
  await eventually(() => server.matching('GET', '/api/v1/namespaces/prod/pods', true).length === 1);
  const [list, watch] = server.requests;
  expect(list!.query.get('labelSelector')).toBe('app=web');
  expect(watch!.query.get('fieldSelector')).toBe('spec.nodeName=n1');
  expect(list!.headers.accept).toContain('as=PartialObjectMetadataList');
  expect(watch!.headers.accept).toContain('as=PartialObjectMetadata;');
});
