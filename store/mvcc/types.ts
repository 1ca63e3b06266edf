/**
 * The store's request and response model: etcd's `etcdserverpb` messages with keys as byte strings
 * (see keys.ts), revisions as numbers and lease IDs as bigints (etcd's int64). The gRPC server maps
 * protobuf messages onto these one to one; the embedded Storage builds them directly.
 */

/** One stored version of a key (etcd `mvccpb.KeyValue`). A tombstone has `version` 0. */
export interface KeyValueRecord {
  readonly key: string;
  readonly value: Uint8Array;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
  readonly lease: bigint;
}

/** The absence of a lease (etcd `lease.NoLease`). */
export const noLease = 0n;

/** etcd `RangeRequest.SortOrder`. */
export const SortOrder = { None: 0, Ascend: 1, Descend: 2 } as const;
export type SortOrder = (typeof SortOrder)[keyof typeof SortOrder];

/** etcd `RangeRequest.SortTarget`. */
export const SortTarget = { Key: 0, Version: 1, Create: 2, Mod: 3, Value: 4 } as const;
export type SortTarget = (typeof SortTarget)[keyof typeof SortTarget];

/** etcd `Compare.CompareResult`. */
export const CompareResult = { Equal: 0, Greater: 1, Less: 2, NotEqual: 3 } as const;
export type CompareResult = (typeof CompareResult)[keyof typeof CompareResult];

/** etcd `Compare.CompareTarget`. */
export const CompareTarget = { Version: 0, Create: 1, Mod: 2, Value: 3, Lease: 4 } as const;
export type CompareTarget = (typeof CompareTarget)[keyof typeof CompareTarget];

/**
 * `rangeEnd` everywhere is the raw request field: absent or empty = the single key `key`, `"\0"` =
 * every key ≥ `key`, otherwise `[key, rangeEnd)`.
 */
export interface RangeRequest {
  key: string;
  rangeEnd?: string;
  /** 0 = no limit. */
  limit?: number;
  /** ≤ 0 = the current revision. */
  revision?: number;
  sortOrder?: number;
  sortTarget?: number;
  serializable?: boolean;
  keysOnly?: boolean;
  countOnly?: boolean;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface RangeResponse {
  /** Header revision. */
  revision: number;
  kvs: KeyValueRecord[];
  more: boolean;
  count: number;
}

export interface PutRequest {
  key: string;
  value: Uint8Array;
  lease?: bigint;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface PutResponse {
  revision: number;
  prevKv?: KeyValueRecord;
}

export interface DeleteRangeRequest {
  key: string;
  rangeEnd?: string;
  prevKv?: boolean;
}

export interface DeleteRangeResponse {
  revision: number;
  deleted: number;
  prevKvs: KeyValueRecord[];
}

/** etcd `RequestOp`: exactly one member set (none = an empty op, rejected as etcd does). */
export interface RequestOp {
  range?: RangeRequest;
  put?: PutRequest;
  deleteRange?: DeleteRangeRequest;
  txn?: TxnRequest;
}

export type ResponseOp =
  | { range: RangeResponse }
  | { put: PutResponse }
  | { deleteRange: DeleteRangeResponse }
  | { txn: TxnResponse };

/**
 * etcd `Compare`. Only the operand matching `target` is read (a missing one counts as 0 / empty),
 * exactly like etcd's oneof.
 */
export interface Compare {
  key: string;
  rangeEnd?: string;
  target: number;
  result: number;
  version?: number;
  createRevision?: number;
  modRevision?: number;
  value?: Uint8Array;
  lease?: bigint;
}

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface TxnResponse {
  revision: number;
  succeeded: boolean;
  responses: ResponseOp[];
}

/** One change in the event history: a put (`kv.version > 0`) or a delete (a tombstone). */
export interface ChangeEvent {
  readonly kv: KeyValueRecord;
  /** The key's live value before this change, absent for a create. */
  readonly prev?: KeyValueRecord;
}

/** All changes of one revision, in the order they were made. */
export interface RevisionChanges {
  readonly revision: number;
  readonly events: ChangeEvent[];
}
