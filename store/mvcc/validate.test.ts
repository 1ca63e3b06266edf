import { StorageError } from '../storage.js';
import type { RequestOp, TxnRequest } from './types.js';
import { checkPutRequest, checkRangeRequest, checkTxn } from './validate.js';

const put = (key: string): RequestOp => ({ put: { key, value: new Uint8Array([1]) } });
const del = (key: string, rangeEnd?: string): RequestOp => ({ deleteRange: { key, rangeEnd } });
const txn = (success: RequestOp[], failure: RequestOp[] = []): RequestOp => ({
  txn: { compare: [], success, failure },
});
const t = (success: RequestOp[], failure: RequestOp[] = []): TxnRequest => ({
  compare: [],
  success,
  failure,
});

function errorOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    return (err as Error).message;
  }
}

const duplicate = 'etcdserver: duplicate key given in txn request';

describe('txn checks (etcd checkTxnRequest / checkIntervals)', () => {
  test.each<[string, TxnRequest, string | undefined]>([
    ['two puts of one key are a duplicate', t([put('a'), put('a')]), duplicate],
    ['a put inside a deleted range is a duplicate', t([del('a', 'c'), put('b')]), duplicate],
    ['a put of a deleted key is a duplicate', t([del('a'), put('a')]), duplicate],
    ['a put next to a deleted range is fine', t([del('a', 'c'), put('c')]), undefined],
    [
      'range end \\0 is taken literally and overlaps nothing',
      t([del('a', '\0'), put('b')]),
      undefined,
    ],
    ['two deletes may overlap', t([del('a', 'c'), del('b')]), undefined],
    ['the two branches are checked separately', t([put('a')], [put('a')]), undefined],
    ['a nested put of an outer put key is a duplicate', t([put('a'), txn([put('a')])]), duplicate],
    [
      'a nested delete covering an outer put is a duplicate',
      t([put('a'), txn([del('a')])]),
      duplicate,
    ],
    ['then and else of a nested txn may put one key', t([txn([put('a')], [put('a')])]), undefined],
    [
      'an else-only key put twice across nested txns is a duplicate',
      t([txn([], [put('a')]), txn([], [put('a')])]),
      duplicate,
    ],
    ['an empty op answers key not found', t([{}]), 'etcdserver: key not found'],
    ['an empty key is rejected', t([put('')]), 'etcdserver: key is not provided'],
    [
      '128 ops per branch are allowed',
      t(Array.from({ length: 128 }, (_, i) => put(`k${i}`))),
      undefined,
    ],
    [
      '129 ops in a branch are too many',
      t(Array.from({ length: 129 }, (_, i) => put(`k${i}`))),
      'etcdserver: too many operations in txn request',
    ],
  ])('%s', (_rule, request, expected) => {
    expect(errorOf(() => checkTxn(request))).toBe(expected);
  });

  test.each([
    ['ignore_value with a value', { ignoreValue: true }, 'etcdserver: value is provided'],
    [
      'ignore_lease with a lease',
      { ignoreLease: true, lease: 5n },
      'etcdserver: lease is provided',
    ],
    ['plain put', {}, undefined],
  ])('put check: %s', (_rule, flags, expected) => {
    expect(errorOf(() => checkPutRequest({ key: 'k', value: new Uint8Array([1]), ...flags }))).toBe(
      expected,
    );
  });

  test('a range needs a key, not a valid sort order (etcd 3.4 does not check it)', () => {
    expect(errorOf(() => checkRangeRequest({ key: '' }))).toBe('etcdserver: key is not provided');
    expect(errorOf(() => checkRangeRequest({ key: 'k', sortOrder: 9 }))).toBeUndefined();
  });
});
