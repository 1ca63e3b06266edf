import { FakeClock, flushPromises } from '../../common/index.js';
import { openEmbeddedStorage, type KeyValue, type Storage } from '../../store/index.js';
import { Cacher } from './cacher.js';
import { cachedObjectFrom } from './entry.js';
import { PendingWrites, type PendingWrite } from './pending.js';
import type { CachedObject } from './types.js';

const enc = new TextEncoder();
const prefix = '/registry/configmaps/';

function kv(key: string, text: string, modRevision = 5): KeyValue {
  return { key, value: enc.encode(text), createRevision: 1, modRevision, version: 1, lease: 0 };
}

function write(text: string, marker: string): PendingWrite {
  return {
    value: enc.encode(text),
    entry: (k) =>
      ({ key: k.key, name: marker, namespace: '', rv: k.modRevision, json: text }) as CachedObject,
  };
}

describe('PendingWrites', () => {
  test('a put with the announced bytes takes the prepared entry, once', () => {
    const p = new PendingWrites(10);
    p.add('/k', write('{"a":1}', 'prepared'));
    expect(p.take(kv('/k', '{"a":1}'))?.name).toBe('prepared');
    expect(p.take(kv('/k', '{"a":1}'))).toBeUndefined();
  });

  test.each([
    ['other bytes for the key', '/k', '{"a":2}'],
    ['the same bytes under another key', '/other', '{"a":1}'],
  ])('%s are not taken', (_, key, text) => {
    const p = new PendingWrites(10);
    p.add('/k', write('{"a":1}', 'prepared'));
    expect(p.take(kv(key, text))).toBeUndefined();
    expect(p.size).toBe(1);
  });

  test('a withdrawn announcement is gone unless a later one replaced it', () => {
    const p = new PendingWrites(10);
    const first = write('{"a":1}', 'first');
    const second = write('{"a":2}', 'second');
    p.add('/k', first);
    p.add('/k', second);
    p.remove('/k', first);
    expect(p.take(kv('/k', '{"a":2}'))?.name).toBe('second');
    p.add('/k', first);
    p.remove('/k', first);
    expect(p.size).toBe(0);
  });

  test('beyond `max` the oldest announcement is forgotten', () => {
    const p = new PendingWrites(2);
    for (const k of ['/a', '/b', '/c']) p.add(k, write('{}', k));
    expect(p.size).toBe(2);
    expect(p.take(kv('/a', '{}'))).toBeUndefined();
    expect(p.take(kv('/c', '{}'))?.name).toBe('/c');
  });
});

describe('Cacher with announced writes', () => {
  let storage: Storage;
  let cacher: Cacher;
  const decode = (k: KeyValue) => cachedObjectFrom(k, () => ({}));

  beforeEach(async () => {
    const clock = new FakeClock();
    storage = await openEmbeddedStorage({ memory: true, clock });
    cacher = new Cacher({ storage, prefix, clock, decode });
    cacher.start();
    await cacher.waitReady();
  });
  afterEach(async () => {
    cacher.stop();
    await storage.close();
  });

  async function settle(key: string, rv: number): Promise<CachedObject> {
    for (let i = 0; i < 1000 && (cacher.get(key)?.rv ?? 0) < rv; i++) await flushPromises();
    return cacher.get(key)!;
  }

  test('the event of an announced write is cached from the prepared entry', async () => {
    const key = `${prefix}ns/a`;
    const text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"ns"}}';
    const announced = write(text, 'prepared');
    cacher.announce(key, announced);
    const res = await storage.create(key, enc.encode(text));
    if (!res.succeeded) throw new Error('create failed');
    const entry = await settle(key, res.revision);
    expect(entry.name).toBe('prepared');
  });

  test('an announcement for other bytes leaves the event to be decoded', async () => {
    const key = `${prefix}ns/b`;
    cacher.announce(key, write('{"other":true}', 'prepared'));
    const text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"ns"}}';
    const res = await storage.create(key, enc.encode(text));
    if (!res.succeeded) throw new Error('create failed');
    const entry = await settle(key, res.revision);
    expect(entry).toEqual(decode(res.kv));
  });
});
