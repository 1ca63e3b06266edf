import { applyCompare, applyRange, applyTxn } from './apply.js';
import { KvStore } from './kv-store.js';
import type { Compare } from './types.js';
import { CompareResult as R, CompareTarget as T, SortOrder, SortTarget } from './types.js';

const noLeases = { attach: () => {}, detach: () => {} };
const v = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** k1: created at 2, updated at 4 (version 2, value "b"); k2: created at 3 ("a"). */
function store(): KvStore {
  const kv = new KvStore(noLeases);
  for (const [k, val] of [
    ['k1', 'a'],
    ['k2', 'a'],
    ['k1', 'b'],
  ]) {
    const txn = kv.beginWrite();
    txn.put(k!, v(val!), 0n);
    txn.end();
  }
  return kv;
}

const cmp = (c: Partial<Compare>): Compare => ({
  key: 'k1',
  target: T.Version,
  result: R.Equal,
  ...c,
});

describe('txn compares (etcd applyCompare)', () => {
  test.each<[string, Partial<Compare>, boolean]>([
    ['VERSION = current version', { target: T.Version, version: 2 }, true],
    ['VERSION > lower', { target: T.Version, result: R.Greater, version: 1 }, true],
    ['VERSION < lower is false', { target: T.Version, result: R.Less, version: 1 }, false],
    ['VERSION != other', { target: T.Version, result: R.NotEqual, version: 7 }, true],
    ['CREATE = create revision', { target: T.Create, createRevision: 2 }, true],
    ['MOD = mod revision', { target: T.Mod, modRevision: 4 }, true],
    ['MOD > 0 means "exists"', { target: T.Mod, result: R.Greater, modRevision: 0 }, true],
    ['VALUE = value', { target: T.Value, value: v('b') }, true],
    ['VALUE < byte-greater value', { target: T.Value, result: R.Less, value: v('c') }, true],
    ['LEASE = 0 without a lease', { target: T.Lease, lease: 0n }, true],
    ['an operand for another target counts as 0', { target: T.Mod, version: 4 }, false],
    ['a missing key has version 0', { key: 'nope', target: T.Version, version: 0 }, true],
    [
      'a missing key has create revision 0',
      { key: 'nope', target: T.Create, createRevision: 0 },
      true,
    ],
    [
      'a VALUE compare on a missing key is false',
      { key: 'nope', target: T.Value, value: v('') },
      false,
    ],
    [
      'a range compare needs every key to match',
      { key: 'k', rangeEnd: 'l', target: T.Value, value: v('a') },
      false,
    ],
    [
      'a range compare holds when all keys match',
      { key: 'k', rangeEnd: 'l', target: T.Version, result: R.Greater, version: 0 },
      true,
    ],
  ])('%s', (_rule, c, expected) => {
    const kv = store();
    expect(applyCompare(kv, kv.currentRevision, cmp(c))).toBe(expected);
  });
});

describe('range (etcd Range)', () => {
  test('count ignores limit and filters; more is set when limit cut the result', () => {
    const kv = store();
    const r = applyRange(kv, kv.currentRevision, { key: 'k', rangeEnd: 'l', limit: 1 });
    expect(r.kvs.map((x) => x.key)).toEqual(['k1']);
    expect(r).toMatchObject({ more: true, count: 2, revision: 4 });
    const f = applyRange(kv, kv.currentRevision, { key: 'k', rangeEnd: 'l', minModRevision: 4 });
    expect(f.kvs.map((x) => x.key)).toEqual(['k1']);
    expect(f.count).toBe(2);
  });

  test('a sort target without an order sorts ascending; keys_only drops values', () => {
    const kv = store();
    const r = applyRange(kv, kv.currentRevision, {
      key: 'k',
      rangeEnd: 'l',
      sortTarget: SortTarget.Mod,
      keysOnly: true,
    });
    expect(r.kvs.map((x) => [x.key, x.value.length])).toEqual([
      ['k2', 0],
      ['k1', 0],
    ]);
    const d = applyRange(kv, kv.currentRevision, {
      key: 'k',
      rangeEnd: 'l',
      sortOrder: SortOrder.Descend,
      sortTarget: SortTarget.Create,
    });
    expect(d.kvs.map((x) => x.key)).toEqual(['k2', 'k1']);
  });

  test('reading the past: the header carries the current revision', () => {
    const kv = store();
    const r = applyRange(kv, kv.currentRevision, { key: 'k1', revision: 2 });
    expect(text(r.kvs[0]!.value)).toBe('a');
    expect(r.revision).toBe(4);
  });
});

describe('txn (etcd Txn)', () => {
  test('all writes of a txn share one revision and reads in it see its own writes', () => {
    const kv = store();
    const { response, changes } = applyTxn(kv, () => true, {
      compare: [],
      success: [
        { put: { key: 'a', value: v('1') } },
        { range: { key: 'a' } },
        { deleteRange: { key: 'k2' } },
      ],
      failure: [],
    });
    expect(response.revision).toBe(5);
    expect(changes!.events.map((e) => [e.kv.key, e.kv.modRevision])).toEqual([
      ['a', 5],
      ['k2', 5],
    ]);
    const seen = response.responses[1]!;
    expect('range' in seen && seen.range.kvs.map((x) => x.key)).toEqual(['a']);
  });

  test('a txn that changes nothing does not bump the revision', () => {
    const kv = store();
    const { response, changes } = applyTxn(kv, () => true, {
      compare: [{ key: 'k1', target: T.Value, result: R.Equal, value: v('zzz') }],
      success: [{ put: { key: 'x', value: v('1') } }],
      failure: [{ deleteRange: { key: 'missing' } }],
    });
    expect(response.succeeded).toBe(false);
    expect(changes).toBeUndefined();
    expect(response.revision).toBe(4);
    expect(kv.currentRevision).toBe(4);
  });
});
