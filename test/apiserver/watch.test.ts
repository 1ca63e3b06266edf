import { FakeClock } from '../../common/index.js';
import { openEmbeddedStorage } from '../../store/index.js';
import { startTestServer, type TestServer } from './harness.js';
import { openWatch, type TestWatch } from './watchclient.js';

const cms = '/api/v1/namespaces/default/configmaps';

describe('watch', () => {
  let s: TestServer;
  const open: TestWatch[] = [];
  const watch = async (path: string, headers?: Record<string, string>) => {
    const w = await openWatch(s.url + path, headers);
    open.push(w);
    return w;
  };
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterEach(() => {
    for (const w of open.splice(0)) w.close();
  });
  afterAll(async () => {
    await s.stop();
  });

  test('a watch streams ADDED, MODIFIED and DELETED as newline-delimited JSON', async () => {
    const list = await s.request('GET', cms);
    const w = await watch(
      `${cms}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
    );
    expect(w.status).toBe(200);
    expect(w.headers.get('content-type')).toBe('application/json');
    const c = await s.request('POST', cms, { body: { metadata: { name: 'w1' } } });
    const u = await s.request('PUT', `${cms}/w1`, { body: { ...c.body, data: { a: 'b' } } });
    await s.request('DELETE', `${cms}/w1`);
    const e1 = await w.next();
    const e2 = await w.next();
    const e3 = await w.next();
    expect([e1.type, e2.type, e3.type]).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(e1.object.metadata.resourceVersion).toBe(c.body.metadata.resourceVersion);
    expect(e2.object.metadata.resourceVersion).toBe(u.body.metadata.resourceVersion);
    expect(Number(e3.object.metadata.resourceVersion)).toBeGreaterThan(
      Number(u.body.metadata.resourceVersion),
    );
    expect(e3.object.data).toEqual({ a: 'b' });
  });

  test('without a resourceVersion the current objects come first as ADDED', async () => {
    await s.request('POST', cms, {
      body: { metadata: { name: 'existing', labels: { set: 'init' } } },
    });
    const w = await watch(`${cms}?watch=1&labelSelector=set%3Dinit`);
    const e = await w.next();
    expect(e).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'existing' } } });
  });

  test('the /watch/ path prefix is a watch too', async () => {
    const w = await watch(`/api/v1/watch/namespaces/default/configmaps?labelSelector=set%3Dinit`);
    expect((await w.next()).type).toBe('ADDED');
  });

  test('an object that stops matching the selector is DELETED for that watcher', async () => {
    const c = await s.request('POST', cms, {
      body: { metadata: { name: 'sel', labels: { app: 'web' } } },
    });
    const w = await watch(
      `${cms}?watch=true&labelSelector=app%3Dweb&resourceVersion=${c.body.metadata.resourceVersion}`,
    );
    const u = await s.request('PUT', `${cms}/sel`, {
      body: { ...c.body, metadata: { ...c.body.metadata, labels: { app: 'db' } } },
    });
    const e = await w.next();
    expect(e.type).toBe('DELETED');
    expect(e.object.metadata.labels).toEqual({ app: 'web' });
    expect(e.object.metadata.resourceVersion).toBe(u.body.metadata.resourceVersion);
  });

  test('fieldSelector metadata.name= watches one object, as kubectl wait does', async () => {
    const c = await s.request('POST', cms, { body: { metadata: { name: 'one' } } });
    await s.request('POST', cms, { body: { metadata: { name: 'other' } } });
    const w = await watch(
      `${cms}?watch=true&fieldSelector=metadata.name%3Done&resourceVersion=${c.body.metadata.resourceVersion}`,
    );
    await s.request('PUT', `${cms}/other`, {
      body: { metadata: { name: 'other' }, data: { x: '1' } },
    });
    await s.request('PUT', `${cms}/one`, { body: { metadata: { name: 'one' }, data: { x: '1' } } });
    const e = await w.next();
    expect(e.object.metadata.name).toBe('one');
  });

  test('timeoutSeconds ends the stream', async () => {
    const w = await watch(
      `${cms}?watch=true&timeoutSeconds=1&resourceVersion=0&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    );
    await w.ended;
  });

  test('sendInitialEvents without resourceVersionMatch is refused at once with 422', async () => {
    const r = await s.request('GET', `${cms}?watch=true&sendInitialEvents=true`);
    expect(r.status).toBe(422);
    expect(r.body.message).toContain(
      'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
  });

  test('sendInitialEvents streams the state then the initial-events-end bookmark', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'wl', labels: { set: 'wl' } } } });
    const w = await watch(
      `${cms}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&labelSelector=set%3Dwl`,
    );
    const added = await w.next();
    expect(added).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'wl' } } });
    const bookmark = await w.next();
    expect(bookmark.type).toBe('BOOKMARK');
    expect(bookmark.object).toMatchObject({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } },
    });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number(added.object.metadata.resourceVersion),
    );
  });

  test('a watch asking for Table gets column definitions on the first event only', async () => {
    const list = await s.request('GET', cms);
    const w = await watch(
      `${cms}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
      {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      },
    );
    await s.request('POST', cms, { body: { metadata: { name: 't1' } } });
    await s.request('POST', cms, { body: { metadata: { name: 't2' } } });
    const e1 = await w.next();
    const e2 = await w.next();
    expect(e1.object.kind).toBe('Table');
    expect(e1.object.columnDefinitions.length).toBeGreaterThan(0);
    expect(e1.object.rows[0].cells[0]).toBe('t1');
    expect(e2.object.columnDefinitions).toBeNull();
    expect(e2.object.rows[0].cells[0]).toBe('t2');
  });

  test('watchers sharing encoded events each get their own Table header and the same rows', async () => {
    const table = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
    const list = await s.request('GET', cms);
    const from = `${cms}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`;
    const early = await watch(from, table);
    const plainA = await watch(from);
    const plainB = await watch(from);
    await s.request('POST', cms, { body: { metadata: { name: 's1' } } });
    const e1 = await early.next();
    // A Table watcher that starts after s1 was shared without headers still gets them first.
    const late = await watch(
      `${cms}?watch=true&resourceVersion=${e1.object.metadata.resourceVersion}`,
      table,
    );
    await s.request('POST', cms, { body: { metadata: { name: 's2' } } });
    const e2 = await early.next();
    const l2 = await late.next();
    expect(e1.object.columnDefinitions.length).toBeGreaterThan(0);
    expect(e2.object.columnDefinitions).toBeNull();
    expect(l2.object.columnDefinitions).toEqual(e1.object.columnDefinitions);
    expect(l2.object.rows).toEqual(e2.object.rows);
    const [a1, a2, b1, b2] = [
      await plainA.next(),
      await plainA.next(),
      await plainB.next(),
      await plainB.next(),
    ];
    expect([a1, a2]).toEqual([b1, b2]);
    expect([a1.object.metadata.name, a2.object.metadata.name]).toEqual(['s1', 's2']);
  });

  test('GET on a named object with watch=true watches that name', async () => {
    const c = await s.request('POST', cms, { body: { metadata: { name: 'named' } } });
    const w = await watch(
      `${cms}/named?watch=true&resourceVersion=${c.body.metadata.resourceVersion}`,
    );
    await s.request('POST', cms, { body: { metadata: { name: 'named2' } } });
    await s.request('DELETE', `${cms}/named`);
    const e = await w.next();
    expect(e).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'named' } } });
  });
});

describe('watch history', () => {
  test('a resourceVersion older than the history ends in one ERROR event with 410 Expired', async () => {
    const clock = new FakeClock();
    const storage = await openEmbeddedStorage({ memory: true, clock });
    const s = await startTestServer({ storage, clock, watchCache: { historyMs: 10_000 } });
    try {
      const old = await s.request('POST', cms, { body: { metadata: { name: 'old' } } });
      await clock.advance(60_000);
      await s.request('POST', cms, { body: { metadata: { name: 'new' } } });
      const w = await openWatch(
        `${s.url}${cms}?watch=true&resourceVersion=${Number(old.body.metadata.resourceVersion) - 1}`,
      );
      expect(w.status).toBe(200);
      const e = await w.next();
      expect(e.type).toBe('ERROR');
      expect(e.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
      expect(e.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
      await w.ended;
    } finally {
      await s.stop();
    }
  });
});

describe('watch bookmarks', () => {
  test('a watcher that allows bookmarks gets one per interval at the cache revision', async () => {
    const clock = new FakeClock();
    const storage = await openEmbeddedStorage({
      memory: true,
      clock,
      progressNotifyIntervalMs: 5_000,
    });
    const s = await startTestServer({ storage, clock, watchCache: { bookmarkIntervalMs: 60_000 } });
    const w = await openWatch(
      `${s.url}${cms}?watch=true&allowWatchBookmarks=true&resourceVersion=${await storage.currentRevision()}&timeoutSeconds=600`,
    );
    try {
      await s.request('POST', '/api/v1/namespaces/default/secrets', {
        body: { metadata: { name: 's' } },
      });
      for (let i = 0; i < 70; i++) await clock.advance(1000);
      const e = await w.next();
      expect(e.type).toBe('BOOKMARK');
      expect(e.object).toEqual({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: {
          resourceVersion: String(await storage.currentRevision()),
          creationTimestamp: null,
        },
      });
    } finally {
      w.close();
      await s.stop();
    }
  });
});
