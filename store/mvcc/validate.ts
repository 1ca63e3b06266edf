/**
 * Request checks done before anything is applied (etcd `v3rpc/key.go`): empty keys, contradictory
 * put flags, the 128-op txn limit, and a txn writing one key twice (etcd `checkIntervals`).
 */
import { maxTxnOps as defaultMaxTxnOps } from '../defaults.js';
import {
  errDuplicateKey,
  errEmptyKey,
  errKeyNotFound,
  errLeaseProvided,
  errTooManyOps,
  errValueProvided,
} from './errors.js';
import type {
  DeleteRangeRequest,
  PutRequest,
  RangeRequest,
  RequestOp,
  TxnRequest,
} from './types.js';
import { noLease } from './types.js';

/** etcd 3.4 checks only the key (unknown sort orders and targets then mean "no sorting"). */
export function checkRangeRequest(r: RangeRequest): void {
  if (!r.key) throw errEmptyKey();
}

export function checkPutRequest(r: PutRequest): void {
  if (!r.key) throw errEmptyKey();
  if (r.ignoreValue && r.value.length !== 0) throw errValueProvided();
  if (r.ignoreLease && (r.lease ?? noLease) !== noLease) throw errLeaseProvided();
}

export function checkDeleteRequest(r: DeleteRangeRequest): void {
  if (!r.key) throw errEmptyKey();
}

/** etcd `checkTxnRequest` followed by `checkIntervals` on both branches. */
export function checkTxn(r: TxnRequest, maxTxnOps = defaultMaxTxnOps): void {
  checkTxnRequest(r, maxTxnOps);
  checkIntervals(r.success);
  checkIntervals(r.failure);
}

function checkTxnRequest(r: TxnRequest, maxTxnOps: number): void {
  const opc = Math.max(r.compare.length, r.success.length, r.failure.length);
  if (opc > maxTxnOps) throw errTooManyOps();
  for (const c of r.compare) if (!c.key) throw errEmptyKey();
  for (const op of r.success) checkRequestOp(op, maxTxnOps - opc);
  for (const op of r.failure) checkRequestOp(op, maxTxnOps - opc);
}

function checkRequestOp(op: RequestOp, maxTxnOps: number): void {
  if (op.range) checkRangeRequest(op.range);
  else if (op.put) checkPutRequest(op.put);
  else if (op.deleteRange) checkDeleteRequest(op.deleteRange);
  else if (op.txn) checkTxnRequest(op.txn, maxTxnOps);
  // An empty op: etcd answers ErrGRPCKeyNotFound.
  else throw errKeyNotFound();
}

/** A delete's interval as etcd's `adt` sees it: [begin, end), end '' = unbounded. */
interface Interval {
  begin: string;
  end: string;
}

function intersects(dels: Interval[], key: string): boolean {
  return dels.some((iv) => key >= iv.begin && (iv.end === '' || key < iv.end));
}

/**
 * etcd `checkIntervals`: within one branch (and the branches nested in it) no key may be put twice
 * or both put and deleted. A nested txn's then/else branches may put the same key (only one runs).
 * Returns this level's puts and deletes for the enclosing level.
 */
function checkIntervals(reqs: RequestOp[]): { puts: Set<string>; dels: Interval[] } {
  const dels: Interval[] = [];
  for (const req of reqs) {
    const d = req.deleteRange;
    if (!d) continue;
    // A point is [key, key+"\0"); note that range_end "\0" is taken literally here, as etcd does.
    dels.push(d.rangeEnd ? { begin: d.key, end: d.rangeEnd } : { begin: d.key, end: d.key + '\0' });
  }
  const puts = new Set<string>();
  for (const req of reqs) {
    if (!req.txn) continue;
    const then = checkIntervals(req.txn.success);
    const otherwise = checkIntervals(req.txn.failure);
    for (const k of then.puts) {
      if (puts.has(k) || intersects(dels, k)) throw errDuplicateKey();
      puts.add(k);
    }
    for (const k of otherwise.puts) {
      if (puts.has(k) && !then.puts.has(k)) throw errDuplicateKey();
      if (intersects(dels, k)) throw errDuplicateKey();
      puts.add(k);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const req of reqs) {
    if (!req.put) continue;
    const k = req.put.key;
    if (puts.has(k) || intersects(dels, k)) throw errDuplicateKey();
    puts.add(k);
  }
  return { puts, dels };
}
