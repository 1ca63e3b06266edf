/**
 * How requests change and read the key space (etcd `etcdserver/apply.go`, v3.4/3.5 semantics):
 * Range with filters, sorting and limits; Put with prev_kv / ignore_value / ignore_lease;
 * DeleteRange with prev_kv; Txn with compares (evaluated all up front, nested txns included, on
 * the state before the txn), checks of the chosen path, and one revision for all its writes.
 *
 * Requests reaching these functions have passed validate.ts.
 */
import { errCompacted, errFutureRev, errKeyNotFound, errLeaseNotFound } from './errors.js';
import { normalizeRangeEnd } from './keys.js';
import type { KvStore, WriteTxn } from './kv-store.js';
import type {
  Compare,
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValueRecord,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  RequestOp,
  ResponseOp,
  RevisionChanges,
  TxnRequest,
  TxnResponse,
} from './types.js';
import { CompareResult, CompareTarget, SortOrder, SortTarget, noLease } from './types.js';

/** Whether a lease exists (the lessor's `Lookup`). */
export type LeaseLookup = (id: bigint) => boolean;

const emptyValue = new Uint8Array(0);

/**
 * Range over `kv` as of the revision `upTo` is current (the header revision returned).
 * etcd: filters and sorting fetch everything and cut afterwards; `count` ignores filters.
 */
export function applyRange(kv: KvStore, upTo: number, r: RangeRequest): RangeResponse {
  const rev = kv.readRevision(r.revision, upTo);
  const sortOrder0 = r.sortOrder ?? SortOrder.None;
  const sortTarget = r.sortTarget ?? SortTarget.Key;
  const filtered =
    !!r.minModRevision || !!r.maxModRevision || !!r.minCreateRevision || !!r.maxCreateRevision;
  const requested = r.limit && r.limit > 0 ? r.limit : 0;
  let limit = requested;
  if (sortOrder0 !== SortOrder.None || filtered) limit = 0;
  if (limit > 0) limit += 1;
  const rr = kv.rangeKeys(r.key, normalizeRangeEnd(r.rangeEnd), rev, {
    limit,
    countOnly: r.countOnly,
  });
  let kvs = rr.kvs;
  if (filtered) {
    kvs = kvs.filter(
      (x) =>
        !(r.maxModRevision && x.modRevision > r.maxModRevision) &&
        !(r.minModRevision && x.modRevision < r.minModRevision) &&
        !(r.maxCreateRevision && x.createRevision > r.maxCreateRevision) &&
        !(r.minCreateRevision && x.createRevision < r.minCreateRevision),
    );
  }
  let sortOrder = sortOrder0;
  // kvs come sorted by key ascending; any other target sorts ascending by default.
  if (sortTarget !== SortTarget.Key && sortOrder === SortOrder.None) sortOrder = SortOrder.Ascend;
  // Unknown orders fetch everything but sort nothing, as in etcd 3.4.
  const sorted = sortOrder === SortOrder.Ascend || sortOrder === SortOrder.Descend;
  if (sorted && kvs.length > 1) {
    const cmp = comparator(sortTarget);
    kvs = kvs.slice().sort(sortOrder === SortOrder.Descend ? (a, b) => cmp(b, a) : cmp);
  }
  let more = false;
  if (requested > 0 && kvs.length > requested) {
    kvs = kvs.slice(0, requested);
    more = true;
  }
  if (r.keysOnly) kvs = kvs.map((x) => ({ ...x, value: emptyValue }));
  return { revision: upTo, kvs, more, count: rr.count };
}

function comparator(target: number): (a: KeyValueRecord, b: KeyValueRecord) => number {
  switch (target) {
    case SortTarget.Version:
      return (a, b) => a.version - b.version;
    case SortTarget.Create:
      return (a, b) => a.createRevision - b.createRevision;
    case SortTarget.Mod:
      return (a, b) => a.modRevision - b.modRevision;
    case SortTarget.Value:
      return (a, b) => Buffer.compare(a.value, b.value);
    default:
      return (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  }
}

/** Put inside `txn` (the caller checked the lease, as etcd does before opening the txn). */
export function applyPut(txn: WriteTxn, p: PutRequest): PutResponse {
  let prev: KeyValueRecord | undefined;
  if (p.ignoreValue || p.ignoreLease || p.prevKv) prev = txn.range(p.key, undefined).kvs[0];
  if ((p.ignoreValue || p.ignoreLease) && !prev) throw errKeyNotFound();
  const value = p.ignoreValue ? prev!.value : p.value;
  const lease = p.ignoreLease ? prev!.lease : (p.lease ?? noLease);
  txn.put(p.key, value, lease);
  const resp: PutResponse = { revision: txn.revision };
  if (p.prevKv && prev) resp.prevKv = prev;
  return resp;
}

/** DeleteRange inside `txn`. */
export function applyDeleteRange(txn: WriteTxn, d: DeleteRangeRequest): DeleteRangeResponse {
  const end = normalizeRangeEnd(d.rangeEnd);
  const prevKvs = d.prevKv ? txn.range(d.key, end).kvs : [];
  const deleted = txn.deleteRange(d.key, end);
  const revision = deleted > 0 || txn.events.length > 0 ? txn.revision : txn.revision - 1;
  return { revision, deleted, prevKvs };
}

/** The branch each (nested) txn takes, decided before any op runs. */
interface TxnPath {
  succeeded: boolean;
  /** Decisions of the nested txns of the chosen branch, by op index. */
  nested: Map<number, TxnPath>;
}

/**
 * Txn. Compares of every txn on the chosen path are evaluated first, on the state before the txn
 * (etcd `compareToPath`); then the path's puts are checked (key present for ignore_*, lease
 * exists) and its ranges' revisions; then the ops run in order in one write transaction.
 */
export function applyTxn(
  kv: KvStore,
  leaseExists: LeaseLookup,
  rt: TxnRequest,
): { response: TxnResponse; changes?: RevisionChanges } {
  const upTo = kv.currentRevision;
  const path = compareToPath(kv, upTo, rt);
  if (!isReadOnly(rt)) {
    checkPath(rt, path, (op) => {
      const p = op.put;
      if (!p) return;
      if ((p.ignoreValue || p.ignoreLease) && !kv.get(p.key, upTo)) throw errKeyNotFound();
      if ((p.lease ?? noLease) !== noLease && !leaseExists(p.lease!)) throw errLeaseNotFound();
    });
  }
  const firstRev = kv.compactRevision > 0 ? kv.compactRevision : -1;
  checkPath(rt, path, (op) => {
    const rev = op.range?.revision ?? 0;
    if (rev === 0) return;
    if (rev > upTo) throw errFutureRev();
    if (rev < firstRev) throw errCompacted(kv.compactRevision);
  });
  const txn = kv.beginWrite();
  const response = runTxn(kv, txn, rt, path);
  const changes = txn.end();
  response.revision = changes ? txn.revision : txn.revision - 1;
  return changes ? { response, changes } : { response };
}

function runTxn(kv: KvStore, txn: WriteTxn, rt: TxnRequest, path: TxnPath): TxnResponse {
  const ops = path.succeeded ? rt.success : rt.failure;
  const responses: ResponseOp[] = ops.map((op, i) => {
    if (op.range) return { range: applyRange(kv, txn.readRevision, op.range) };
    if (op.put) return { put: applyPut(txn, op.put) };
    if (op.deleteRange) return { deleteRange: applyDeleteRange(txn, op.deleteRange) };
    // Nested txn responses carry an empty header (revision 0), as in etcd.
    return { txn: runTxn(kv, txn, op.txn!, path.nested.get(i)!) };
  });
  return { revision: 0, succeeded: path.succeeded, responses };
}

function compareToPath(kv: KvStore, upTo: number, rt: TxnRequest): TxnPath {
  const succeeded = rt.compare.every((c) => applyCompare(kv, upTo, c));
  const nested = new Map<number, TxnPath>();
  (succeeded ? rt.success : rt.failure).forEach((op, i) => {
    if (op.txn) nested.set(i, compareToPath(kv, upTo, op.txn));
  });
  return { succeeded, nested };
}

function checkPath(rt: TxnRequest, path: TxnPath, check: (op: RequestOp) => void): void {
  (path.succeeded ? rt.success : rt.failure).forEach((op, i) => {
    if (op.txn) checkPath(op.txn, path.nested.get(i)!, check);
    else check(op);
  });
}

function isReadOnly(rt: TxnRequest): boolean {
  const ro = (ops: RequestOp[]): boolean =>
    ops.every((op) => !op.put && !op.deleteRange && (!op.txn || isReadOnly(op.txn)));
  return ro(rt.success) && ro(rt.failure);
}

const absent: KeyValueRecord = {
  key: '',
  value: emptyValue,
  createRevision: 0,
  modRevision: 0,
  version: 0,
  lease: noLease,
};

/** etcd `applyCompare`: every key of the range must satisfy it; a VALUE compare on no key fails. */
export function applyCompare(kv: KvStore, upTo: number, c: Compare): boolean {
  const { kvs } = kv.rangeKeys(c.key, normalizeRangeEnd(c.rangeEnd), upTo);
  if (kvs.length === 0) {
    if (c.target === CompareTarget.Value) return false;
    return compareKv(c, absent);
  }
  return kvs.every((x) => compareKv(c, x));
}

function compareKv(c: Compare, kv: KeyValueRecord): boolean {
  let result: number;
  switch (c.target) {
    case CompareTarget.Value:
      result = Buffer.compare(kv.value, c.value ?? emptyValue);
      break;
    case CompareTarget.Create:
      result = Math.sign(kv.createRevision - (c.createRevision ?? 0));
      break;
    case CompareTarget.Mod:
      result = Math.sign(kv.modRevision - (c.modRevision ?? 0));
      break;
    case CompareTarget.Version:
      result = Math.sign(kv.version - (c.version ?? 0));
      break;
    case CompareTarget.Lease: {
      const want = c.lease ?? noLease;
      result = kv.lease === want ? 0 : kv.lease > want ? 1 : -1;
      break;
    }
    default:
      result = 0;
  }
  switch (c.result) {
    case CompareResult.Equal:
      return result === 0;
    case CompareResult.NotEqual:
      return result !== 0;
    case CompareResult.Greater:
      return result > 0;
    case CompareResult.Less:
      return result < 0;
    default:
      return true;
  }
}
