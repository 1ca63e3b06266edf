import { CacheState, prefixEnd, type CacheSnapshot } from './state.js';
import type { CacheEvent, CachedObject } from './types.js';

const prefix = '/registry/configmaps/';

function obj(ns: string, name: string, rv: number): CachedObject {
  return {
    key: `${prefix}${ns}/${name}`,
    namespace: ns,
    name,
    rv,
    json: `{"metadata":{"name":"${name}","namespace":"${ns}","resourceVersion":"${rv}"}}`,
    labels: {},
    fields: {},
  };
}

/** Applies ADDED/MODIFIED/DELETED events with consecutive revisions, as the cacher does. */
class Writer {
  rv: number;
  constructor(
    readonly state: CacheState,
    start: number,
  ) {
    this.rv = start;
  }
  put(ns: string, name: string): void {
    const object = obj(ns, name, ++this.rv);
    const prev = this.state.get(object.key);
    const type = prev ? 'MODIFIED' : 'ADDED';
    this.state.apply({ type, rv: this.rv, key: object.key, object, prev, receivedAt: this.rv });
  }
  del(ns: string, name: string): void {
    const prev = this.state.get(`${prefix}${ns}/${name}`);
    if (!prev) throw new Error(`no ${name}`);
    const event: CacheEvent = {
      type: 'DELETED',
      rv: ++this.rv,
      key: prev.key,
      object: { ...prev, rv: this.rv },
      prev,
      receivedAt: this.rv,
    };
    this.state.apply(event);
  }
}

/** A state with one object, a snapshot of it retained until `expiresAt`, and a later write. */
function retainedThenWritten(expiresAt: number) {
  const state = new CacheState();
  state.reset([], 1);
  const w = new Writer(state, 1);
  w.put('a', '1');
  const at = state.snapshotAt();
  state.retain(at, expiresAt, 10);
  w.put('a', '2');
  return { state, w, at };
}

const listing = (s: CacheSnapshot, p = prefix, from?: string) =>
  [...s.scan(p, from)].map((o) => `${o.namespace}/${o.name}@${o.rv}`);

describe('CacheState snapshots', () => {
  test.each([
    ['/registry/pods/', '/registry/pods0'],
    ['/registry/pods/ns/', '/registry/pods/ns0'],
    ['a\uffff', 'b'],
    ['', undefined],
  ])('the end of prefix %j is %j', (p, end) => {
    expect(prefixEnd(p)).toBe(end);
  });

  test('a snapshot of the current revision is unchanged by later writes', () => {
    const state = new CacheState();
    state.reset([obj('a', '1', 10), obj('a', '2', 10)], 10);
    const w = new Writer(state, 10);
    const before = state.snapshotAt();
    w.put('a', '3');
    w.del('a', '1');
    w.put('a', '2');
    expect(before.revision).toBe(10);
    expect(listing(before)).toEqual(['a/1@10', 'a/2@10']);
    expect(listing(state.snapshotAt())).toEqual(['a/2@13', 'a/3@11']);
  });

  test('the state of every past revision since the floor is rebuilt exactly', () => {
    const state = new CacheState();
    state.reset([obj('a', 'x', 5)], 5);
    const w = new Writer(state, 5);
    const expected = new Map<number, string[]>([[5, listing(state.snapshotAt())]]);
    const script: Array<[op: 'put' | 'del', ns: string, name: string]> = [
      ['put', 'a', 'y'],
      ['put', 'b', 'z'],
      ['put', 'a', 'x'],
      ['del', 'a', 'y'],
      ['put', 'a', 'y'],
      ['del', 'b', 'z'],
      ['put', 'b', 'a'],
      ['del', 'a', 'x'],
    ];
    for (const [op, ns, name] of script) {
      if (op === 'put') w.put(ns, name);
      else w.del(ns, name);
      expected.set(w.rv, listing(state.snapshotAt()));
    }
    // Keep one snapshot in the middle: older revisions are rebuilt from it, newer from the top.
    state.retain(state.snapshotAt(9), Infinity, 10);
    for (const [rv, items] of expected) {
      expect([rv, listing(state.snapshotAt(rv))]).toEqual([rv, items]);
    }
  });

  test('a retained snapshot is served again for its revision until it expires', () => {
    const { state, at } = retainedThenWritten(1000);
    expect(state.snapshotAt(at.revision)).toBe(at);
    state.expireSnapshots(999);
    expect(state.snapshotAt(at.revision)).toBe(at);
    state.expireSnapshots(1000);
    expect(state.retainedSize).toBe(0);
    const rebuilt = state.snapshotAt(at.revision);
    expect(rebuilt).not.toBe(at);
    expect(listing(rebuilt)).toEqual(listing(at));
  });

  test('reading a retained snapshot with a refresh extends its life', () => {
    const { state, at } = retainedThenWritten(1000);
    state.snapshotAt(at.revision, { now: 900, ttlMs: 500 });
    state.expireSnapshots(1200);
    expect(state.snapshotAt(at.revision)).toBe(at);
  });

  test('at most `max` snapshots are retained, those expiring first are dropped', () => {
    const state = new CacheState();
    state.reset([], 1);
    const w = new Writer(state, 1);
    const taken: CacheSnapshot[] = [];
    for (let i = 0; i < 4; i++) {
      w.put('a', String(i));
      taken.push(state.snapshotAt());
      state.retain(taken[i]!, 100 + i, 3);
    }
    w.put('a', 'later');
    expect(state.retainedSize).toBe(3);
    expect(state.snapshotAt(taken[0]!.revision)).not.toBe(taken[0]);
    for (const s of taken.slice(1)) expect(state.snapshotAt(s.revision)).toBe(s);
  });

  test('history trimmed past a retained snapshot drops it', () => {
    const { state, w } = retainedThenWritten(Infinity);
    w.put('a', '3');
    state.trimHistory((e) => e.rv <= 3);
    expect(state.floor).toBe(3);
    expect(state.retainedSize).toBe(0);
  });

  test('scan and count agree on a namespace, from any start key', () => {
    const state = new CacheState();
    const objects = ['a', 'b', 'c'].flatMap((ns) =>
      Array.from({ length: 300 }, (_, i) => obj(ns, `o${String(i).padStart(3, '0')}`, 2)),
    );
    state.reset(objects.reverse(), 2);
    const s = state.snapshotAt();
    const nsPrefix = `${prefix}b/`;
    expect(s.count(prefix)).toBe(900);
    expect(s.count(nsPrefix)).toBe(300);
    const from = `${nsPrefix}o150\u0000`;
    const rest = listing(s, nsPrefix, from);
    expect(rest[0]).toBe('b/o151@2');
    expect(rest).toHaveLength(149);
    expect(s.count(nsPrefix, from)).toBe(149);
    expect(s.count(nsPrefix, `${prefix}c/`)).toBe(0);
  });
});
