import { FakeClock, flushPromises, parseLabelSelector } from '../../common/index.js';
import { openEmbeddedStorage, type Storage } from '../../store/index.js';
import { Cacher } from './cacher.js';
import { cachedObjectFrom } from './entry.js';
import type { CachedObject, WatchEventType } from './types.js';
import type { WatchSink } from './watcher.js';

const prefix = '/registry/configmaps/';
const enc = new TextEncoder();

function cm(ns: string, name: string, labels: Record<string, string> = {}, data = {}) {
  return enc.encode(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: ns, name, labels },
      data,
    }),
  );
}

class RecordingSink implements WatchSink {
  events: Array<{ type: string; name: string; rv: number; initialEnd?: boolean }> = [];
  closed = false;
  event(type: WatchEventType, object: CachedObject): boolean {
    this.events.push({ type, name: object.name, rv: object.rv });
    return true;
  }
  bookmark(rv: number, initialEventsEnd: boolean): void {
    this.events.push({ type: 'BOOKMARK', name: '', rv, initialEnd: initialEventsEnd });
  }
  close(): void {
    this.closed = true;
  }
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await flushPromises();
  if (!cond()) throw new Error('condition not reached');
}

describe('Cacher', () => {
  let storage: Storage;
  let clock: FakeClock;
  let cacher: Cacher;

  beforeEach(async () => {
    clock = new FakeClock();
    storage = await openEmbeddedStorage({ memory: true, clock });
  });

  afterEach(async () => {
    cacher?.stop();
    await storage.close();
  });

  function start(opts: Partial<ConstructorParameters<typeof Cacher>[0]> = {}) {
    cacher = new Cacher({
      storage,
      prefix,
      clock,
      decode: (kv) => cachedObjectFrom(kv, (o) => ({ 'metadata.name': o.metadata?.name ?? '' })),
      ...opts,
    });
    cacher.start();
    return cacher;
  }

  test('it lists what storage holds and becomes ready at the list revision', async () => {
    await storage.create(`${prefix}a/one`, cm('a', 'one'));
    const rev = (await storage.create(`${prefix}b/two`, cm('b', 'two'))) as { revision: number };
    start();
    await cacher.waitReady();
    expect(cacher.revision).toBe(rev.revision);
    expect([...cacher.scan(prefix, prefix)].map((o) => o.name)).toEqual(['one', 'two']);
    expect([...cacher.scan(`${prefix}b/`, `${prefix}b/`)].map((o) => o.name)).toEqual(['two']);
  });

  test('a watcher sees ADDED, MODIFIED and DELETED in revision order', async () => {
    start();
    await cacher.waitReady();
    const sink = new RecordingSink();
    cacher.watch({ prefix, sink, startRv: cacher.revision, allowBookmarks: false });
    const c = await storage.create(`${prefix}a/x`, cm('a', 'x'));
    if (!c.succeeded) throw new Error('create failed');
    const u = await storage.update(`${prefix}a/x`, cm('a', 'x', {}, { k: 'v' }), c.revision);
    if (!u.succeeded) throw new Error('update failed');
    const d = await storage.delete(`${prefix}a/x`);
    await until(() => sink.events.length === 3);
    expect(sink.events).toEqual([
      { type: 'ADDED', name: 'x', rv: c.revision },
      { type: 'MODIFIED', name: 'x', rv: u.revision },
      { type: 'DELETED', name: 'x', rv: d.revision },
    ]);
  });

  test('a selector watcher gets DELETED when an object stops matching and ADDED when it matches again', async () => {
    const c = await storage.create(`${prefix}a/x`, cm('a', 'x', { app: 'web' }));
    if (!c.succeeded) throw new Error();
    start();
    await cacher.waitReady();
    const sel = parseLabelSelector('app=web');
    const sink = new RecordingSink();
    cacher.watch({
      prefix,
      sink,
      startRv: cacher.revision,
      allowBookmarks: false,
      filter: (o) => sel.matches(o.labels),
    });
    const u1 = await storage.update(`${prefix}a/x`, cm('a', 'x', { app: 'db' }), c.revision);
    if (!u1.succeeded) throw new Error();
    const u2 = await storage.update(`${prefix}a/x`, cm('a', 'x', { app: 'web' }), u1.revision);
    await until(() => sink.events.length === 2);
    expect(sink.events.map((e) => e.type)).toEqual(['DELETED', 'ADDED']);
    expect(sink.events[0]!.rv).toBe(u1.revision);
    expect(sink.events[1]!.rv).toBe((u2 as { revision: number }).revision);
  });

  test('a watch from an older revision replays the history after it', async () => {
    start();
    await cacher.waitReady();
    const from = cacher.revision;
    await storage.create(`${prefix}a/1`, cm('a', '1'));
    await storage.create(`${prefix}a/2`, cm('a', '2'));
    await until(() => cacher.size === 2);
    const sink = new RecordingSink();
    cacher.watch({ prefix, sink, startRv: from + 1, allowBookmarks: false });
    expect(sink.events.map((e) => e.name)).toEqual(['2']);
  });

  test('initial events end with the initial-events-end bookmark at the cache revision', async () => {
    await storage.create(`${prefix}a/1`, cm('a', '1'));
    start();
    await cacher.waitReady();
    const sink = new RecordingSink();
    cacher.watch({
      prefix,
      sink,
      startRv: 0,
      allowBookmarks: true,
      initial: true,
      initialEventsEnd: true,
    });
    expect(sink.events).toEqual([
      { type: 'ADDED', name: '1', rv: cacher.revision },
      { type: 'BOOKMARK', name: '', rv: cacher.revision, initialEnd: true },
    ]);
  });

  test('scan at an older revision rebuilds the state of that revision', async () => {
    const a = await storage.create(`${prefix}a/1`, cm('a', '1'));
    start();
    await cacher.waitReady();
    const snapshot = cacher.revision;
    await storage.create(`${prefix}a/0`, cm('a', '0'));
    if (!a.succeeded) throw new Error();
    await storage.update(`${prefix}a/1`, cm('a', '1', { changed: 'yes' }), a.revision);
    await storage.create(`${prefix}a/2`, cm('a', '2'));
    await until(() => cacher.size === 3);
    const then = [...cacher.scan(prefix, prefix, snapshot)];
    expect(then.map((o) => [o.name, o.labels])).toEqual([['1', {}]]);
    const now = [...cacher.scan(prefix, prefix)];
    expect(now.map((o) => o.name)).toEqual(['0', '1', '2']);
  });

  test('waitUntilFresh resolves once a quiet cache learns the store revision', async () => {
    start();
    await cacher.waitReady();
    // A write elsewhere moves the store's revision but not this prefix.
    await storage.create('/registry/secrets/a/s', cm('a', 's'));
    const target = await storage.currentRevision();
    expect(cacher.revision).toBeLessThan(target);
    await cacher.waitUntilFresh(target);
    expect(cacher.revision).toBeGreaterThanOrEqual(target);
  });

  test('waitUntilFresh for a revision the store never reaches fails with 504 after the timeout', async () => {
    start();
    await cacher.waitReady();
    const wait = cacher.waitUntilFresh(cacher.revision + 100, 3000);
    const outcome = wait.catch((e) => e);
    await clock.advance(3000);
    expect(await outcome).toMatchObject({
      status: expect.objectContaining({ code: 504, reason: 'Timeout' }),
    });
  });

  test('bookmarks arrive on the interval at the cache revision, only for watchers that allow them', async () => {
    await storage.close();
    storage = await openEmbeddedStorage({ memory: true, clock, progressNotifyIntervalMs: 5_000 });
    start({ bookmarkIntervalMs: 60_000, bookmarkTickMs: 1000 });
    await cacher.waitReady();
    const withBookmarks = new RecordingSink();
    const without = new RecordingSink();
    cacher.watch({ prefix, sink: withBookmarks, startRv: cacher.revision, allowBookmarks: true });
    cacher.watch({ prefix, sink: without, startRv: cacher.revision, allowBookmarks: false });
    await storage.create(`${prefix}a/1`, cm('a', '1'));
    await until(() => withBookmarks.events.length === 1);
    // A write under another prefix; the store's progress notification brings the cache to it.
    await storage.create('/registry/secrets/a/s', cm('a', 's'));
    await clock.advance(61_000);
    expect(withBookmarks.events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(withBookmarks.events[1]!.rv).toBe(cacher.revision);
    expect(without.events.map((e) => e.type)).toEqual(['ADDED']);
  });

  test('old history is dropped by age and the floor moves up', async () => {
    start({ historyMs: 10_000 });
    await cacher.waitReady();
    const first = await storage.create(`${prefix}a/1`, cm('a', '1'));
    await until(() => cacher.size === 1);
    await clock.advance(20_000);
    await storage.create(`${prefix}a/2`, cm('a', '2'));
    await until(() => cacher.size === 2);
    expect(cacher.floor).toBe((first as { revision: number }).revision);
  });

  test('a failed storage watch closes every watcher and the cache relists', async () => {
    start();
    await cacher.waitReady();
    const sink = new RecordingSink();
    cacher.watch({ prefix, sink, startRv: cacher.revision, allowBookmarks: false });
    await storage.create(`${prefix}a/1`, cm('a', '1'));
    await until(() => cacher.size === 1);
    await storage.compact(await storage.currentRevision());
    // Compaction alone does not break a live watch; closing the store does.
    await storage.close();
    await until(() => sink.closed);
    expect(cacher.isReady()).toBe(false);
    storage = await openEmbeddedStorage({ memory: true, clock });
  });

  test('with unreliable progress notifications only events move the revision', async () => {
    start({ progressReliable: false });
    await cacher.waitReady();
    const before = cacher.revision;
    await storage.create('/registry/secrets/a/s', cm('a', 's'));
    const wait = cacher.waitUntilFresh(await storage.currentRevision(), 3000).catch((e) => e);
    await clock.advance(3000);
    expect((await wait).status.code).toBe(504);
    expect(cacher.revision).toBe(before);
    const c = await storage.create(`${prefix}a/x`, cm('a', 'x'));
    await until(() => cacher.size === 1);
    expect(cacher.revision).toBe((c as { revision: number }).revision);
  });
});
