/**
 * Conversions between decoded protobuf messages (snake_case fields, int64 as strings, bytes as
 * Buffers, oneofs with a discriminator) and the store's request model (store/mvcc/types.ts).
 */
import { keyFromBytes, keyToBytes } from '../mvcc/keys.js';
import type {
  Compare,
  KeyValueRecord,
  RangeRequest,
  RequestOp,
  ResponseOp,
  TxnRequest,
  TxnResponse,
} from '../mvcc/types.js';

/** The header every response carries. */
export interface Header {
  cluster_id: string;
  member_id: string;
  revision: number;
  raft_term: number;
}

type Msg = Record<string, unknown>;

const num = (v: unknown): number => (v === undefined || v === null ? 0 : Number(v));
const big = (v: unknown): bigint =>
  v === undefined || v === null || v === '' ? 0n : BigInt(v as string);
const bytesOf = (v: unknown): Buffer => (v instanceof Uint8Array ? (v as Buffer) : Buffer.alloc(0));
const keyOf = (v: unknown): string => keyFromBytes(v as Uint8Array | undefined);

export function decodeRange(m: Msg): RangeRequest {
  return {
    key: keyOf(m.key),
    rangeEnd: keyOf(m.range_end),
    limit: num(m.limit),
    revision: num(m.revision),
    sortOrder: num(m.sort_order),
    sortTarget: num(m.sort_target),
    serializable: !!m.serializable,
    keysOnly: !!m.keys_only,
    countOnly: !!m.count_only,
    minModRevision: num(m.min_mod_revision),
    maxModRevision: num(m.max_mod_revision),
    minCreateRevision: num(m.min_create_revision),
    maxCreateRevision: num(m.max_create_revision),
  };
}

/**
 * A value to store, copied out of the received message: decoded bytes are views into gRPC's
 * pooled 8 KiB read buffers, and keeping the view would keep the whole slab alive.
 */
const ownBytes = (v: unknown): Uint8Array =>
  v instanceof Uint8Array && v.length > 0 ? new Uint8Array(v) : new Uint8Array(0);

export function decodePut(m: Msg) {
  return {
    key: keyOf(m.key),
    value: ownBytes(m.value),
    lease: big(m.lease),
    prevKv: !!m.prev_kv,
    ignoreValue: !!m.ignore_value,
    ignoreLease: !!m.ignore_lease,
  };
}

export function decodeDeleteRange(m: Msg) {
  return { key: keyOf(m.key), rangeEnd: keyOf(m.range_end), prevKv: !!m.prev_kv };
}

function decodeCompare(m: Msg): Compare {
  const c: Compare = {
    key: keyOf(m.key),
    rangeEnd: keyOf(m.range_end),
    target: num(m.target),
    result: num(m.result),
  };
  // Only the oneof member actually sent counts (etcd reads it through a type switch).
  switch (m.target_union) {
    case 'version':
      c.version = num(m.version);
      break;
    case 'create_revision':
      c.createRevision = num(m.create_revision);
      break;
    case 'mod_revision':
      c.modRevision = num(m.mod_revision);
      break;
    case 'value':
      c.value = bytesOf(m.value);
      break;
    case 'lease':
      c.lease = big(m.lease);
      break;
  }
  return c;
}

function decodeOp(m: Msg): RequestOp {
  switch (m.request) {
    case 'request_range':
      return { range: decodeRange(m.request_range as Msg) };
    case 'request_put':
      return { put: decodePut(m.request_put as Msg) };
    case 'request_delete_range':
      return { deleteRange: decodeDeleteRange(m.request_delete_range as Msg) };
    case 'request_txn':
      return { txn: decodeTxn(m.request_txn as Msg) };
    default:
      return {};
  }
}

export function decodeTxn(m: Msg): TxnRequest {
  const list = (v: unknown): Msg[] => (Array.isArray(v) ? (v as Msg[]) : []);
  return {
    compare: list(m.compare).map(decodeCompare),
    success: list(m.success).map(decodeOp),
    failure: list(m.failure).map(decodeOp),
  };
}

/** mvccpb.KeyValue. */
export function encodeKv(kv: KeyValueRecord): Msg {
  return {
    key: keyToBytes(kv.key),
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
    value: kv.value,
    lease: kv.lease === 0n ? 0 : String(kv.lease),
  };
}

/** The header of a nested response: only the revision, as etcd leaves the rest unset inside txns. */
const inner = (revision: number): Msg => ({ revision });

function encodeOp(op: ResponseOp): Msg {
  if ('range' in op) {
    const r = op.range;
    return {
      response_range: {
        header: inner(r.revision),
        kvs: r.kvs.map(encodeKv),
        more: r.more,
        count: r.count,
      },
    };
  }
  if ('put' in op) {
    const p = op.put;
    return {
      response_put: {
        header: inner(p.revision),
        ...(p.prevKv ? { prev_kv: encodeKv(p.prevKv) } : {}),
      },
    };
  }
  if ('deleteRange' in op) {
    const d = op.deleteRange;
    return {
      response_delete_range: {
        header: inner(d.revision),
        deleted: d.deleted,
        prev_kvs: d.prevKvs.map(encodeKv),
      },
    };
  }
  return { response_txn: encodeTxn(op.txn, inner(op.txn.revision)) };
}

export function encodeTxn(t: TxnResponse, header: object): Msg {
  return { header, succeeded: t.succeeded, responses: t.responses.map(encodeOp) };
}
