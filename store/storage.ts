/**
 * The storage interface: what the API server needs from a key-value store with etcd v3 semantics.
 * It is the contract between `apiserver/` and `store/`; three implementations satisfy it and one
 * contract test suite runs against all of them:
 *
 * - the embedded MVCC engine, in-process (no network hop) — the default;
 * - the etcd v3 gRPC client to a real etcd cluster (`--etcd-servers`) — the scale-out path;
 * - the same client to `kuberx etcd`.
 *
 * Guarantees (as etcd's): one global revision, bumped once per successful write; every key has
 * `createRevision`, `modRevision` and `version` (1 on create, +1 per update, history ends on delete);
 * writes are linearizable; reads without `revision` see every write acknowledged before they began.
 * Watches deliver every change in a range in revision order, with no gaps and no duplicates, and
 * never split one revision across two callbacks.
 *
 * Keys and values are opaque bytes to the store; the API server uses string keys laid out like
 * upstream (`/registry/<resource>/<namespace>/<name>`) and JSON values.
 */

/** One stored version of a key. Revisions are positive integers (safe JS numbers). */
export interface KeyValue {
  readonly key: string;
  readonly value: Uint8Array;
  /** Revision of the write that created this incarnation of the key. */
  readonly createRevision: number;
  /** Revision of the write that produced this value. */
  readonly modRevision: number;
  /** 1 on create, +1 on every update of this incarnation. */
  readonly version: number;
  /** Attached lease ID, 0 when none. */
  readonly lease: number;
}

/** Read options shared by {@link Storage.get} and {@link Storage.list}. */
export interface ReadOptions {
  /**
   * Read the state as of this revision (≤ current). 0 or absent = latest. Below the compacted
   * revision → {@link CompactedError}; above the current one → {@link FutureRevisionError}.
   */
  revision?: number;
}

export interface GetResult {
  /** Absent when the key does not exist at the read revision. */
  kv?: KeyValue;
  /** The store's revision at which the read was served. */
  revision: number;
}

export interface ListOptions extends ReadOptions {
  /**
   * Start listing at this key (inclusive) instead of at the prefix; used for `continue` tokens.
   * Must sort at or after `prefix`.
   */
  startKey?: string;
  /** At most this many keys; 0 or absent = no limit. */
  limit?: number;
  /** Return only the count (`kvs` empty). */
  countOnly?: boolean;
  /** Return keys without values. */
  keysOnly?: boolean;
}

export interface ListResult {
  /** Keys with `prefix`, from `startKey`, in byte order of the key. */
  kvs: KeyValue[];
  /** True when `limit` cut the result short. */
  more: boolean;
  /** Number of keys from `startKey` (or the prefix) to the end of the prefix, ignoring `limit`. */
  count: number;
  /** The revision at which the list was served (pass it back to page at the same snapshot). */
  revision: number;
}

export interface WriteOptions {
  /** Attach the key to this lease (deleted when the lease expires or is revoked). 0 = none. */
  lease?: number;
}

/** Outcome of a conditional write. */
export type WriteResult =
  | { succeeded: true; revision: number; kv: KeyValue }
  | {
      succeeded: false;
      /** Current revision of the store. */
      revision: number;
      /** The key's current value, when it exists (for a retrying update to decode). */
      current?: KeyValue;
    };

export type DeleteResult =
  | { succeeded: true; revision: number; prevKv: KeyValue }
  | { succeeded: false; revision: number; current?: KeyValue };

export interface WatchOptions {
  /** A single key, or with `prefix: true` every key starting with it. */
  key: string;
  prefix?: boolean;
  /**
   * First revision to deliver (inclusive). 0 or absent = changes after the current revision.
   * Below the compacted revision the watch ends at once with {@link CompactedError}.
   */
  startRevision?: number;
  /** Include the previous value on every event (needed for DELETE contents and selectors). */
  prevKv?: boolean;
  /**
   * Deliver empty {@link WatchBatch}es with `progress: true` when the watch is idle, so a consumer
   * learns the store revision (etcd's progress_notify). Interval is the implementation's default
   * (etcd: 10 min; embedded: configurable).
   */
  progressNotify?: boolean;
}

export interface WatchEvent {
  type: 'put' | 'delete';
  /** For deletes: the key with `modRevision` = delete revision and an empty value. */
  kv: KeyValue;
  /** Present when `prevKv` was asked for and the key existed before. */
  prevKv?: KeyValue;
}

/** All events of one or more revisions, never splitting a revision. */
export interface WatchBatch {
  events: WatchEvent[];
  /** The store revision this batch brings the watcher up to (≥ every event's modRevision). */
  revision: number;
  /** True for a progress notification (no events). */
  progress?: boolean;
}

/** A running watch. */
export interface Watch {
  /** Stops the watch; no callback runs after `cancel()` returns. Idempotent. */
  cancel(): void;
  /** Asks for a progress notification as soon as the watcher is caught up (etcd RequestProgress). */
  requestProgress(): void;
}

export interface WatchListener {
  /** Events in revision order. */
  onBatch(batch: WatchBatch): void;
  /**
   * The watch ended and will deliver nothing more: compacted start revision, lost connection,
   * the store closing, or a consumer too slow to keep up. The consumer re-watches (or relists).
   */
  onError(err: Error): void;
}

/** The contract. Every method may reject with a {@link StorageError}. */
export interface Storage {
  /** The current revision (the latest write's revision; 1 or more for a fresh store). */
  currentRevision(): Promise<number>;

  get(key: string, options?: ReadOptions): Promise<GetResult>;

  /** Lists the keys starting with `prefix`. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;

  /** Writes `key` only if it does not exist (etcd `Txn(MOD(key) == 0)`). */
  create(key: string, value: Uint8Array, options?: WriteOptions): Promise<WriteResult>;

  /** Writes `key` only if its `modRevision` is `expectedModRevision` (compare-and-swap). */
  update(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    options?: WriteOptions,
  ): Promise<WriteResult>;

  /**
   * Deletes `key` if its `modRevision` is `expectedModRevision`; with `expectedModRevision`
   * undefined, deletes it unconditionally (when it exists).
   */
  delete(key: string, expectedModRevision?: number): Promise<DeleteResult>;

  /** Starts a watch; events are delivered asynchronously to `listener`. */
  watch(options: WatchOptions, listener: WatchListener): Watch;

  /** Discards history below `revision` (reads and watches below it fail with CompactedError). */
  compact(revision: number): Promise<void>;

  /** Grants a lease of `ttlSeconds`; returns its ID. */
  grantLease(ttlSeconds: number): Promise<number>;

  /** Revokes a lease, deleting its keys in one revision. Unknown IDs are ignored. */
  revokeLease(id: number): Promise<void>;

  /** Store health and version (etcd Maintenance.Status). */
  status(): Promise<StorageStatus>;

  /** Releases resources; pending watches end with an error. */
  close(): Promise<void>;
}

export interface StorageStatus {
  /** Store version, e.g. `3.4.23` for etcd, `3.5.13` (emulated) for the embedded store. */
  version: string;
  /** Bytes used by the backend. */
  dbSize: number;
  revision: number;
  compactRevision: number;
}

/** Base class of storage failures. `code` follows the etcd gRPC error the failure maps to. */
export class StorageError extends Error {
  constructor(
    message: string,
    readonly grpcCode: number,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** The requested revision has been compacted (etcd `ErrCompacted`, gRPC OUT_OF_RANGE = 11). */
export class CompactedError extends StorageError {
  constructor(readonly compactRevision: number) {
    super('etcdserver: mvcc: required revision has been compacted', 11);
    this.name = 'CompactedError';
  }
}

/** The requested revision is newer than the store's (etcd `ErrFutureRev`, OUT_OF_RANGE = 11). */
export class FutureRevisionError extends StorageError {
  constructor() {
    super('etcdserver: mvcc: required revision is a future revision', 11);
    this.name = 'FutureRevisionError';
  }
}

/** The store could not be reached or is closed (gRPC UNAVAILABLE = 14). */
export class StorageUnavailableError extends StorageError {
  constructor(message: string) {
    super(message, 14);
    this.name = 'StorageUnavailableError';
  }
}
