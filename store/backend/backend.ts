/**
 * The durability contract between the engine and a backend. The engine applies every change in
 * memory first, collects the changes of one "tick" into a {@link CommitBatch}, and acknowledges
 * them to clients only after `commit` has made the whole batch durable (group commit). A failed
 * commit is fatal: the engine stops serving rather than diverge from what is on disk.
 */
import type { KeyValueRecord, RevisionChanges } from '../mvcc/types.js';

export type LeaseOp = { op: 'grant'; id: bigint; ttl: number } | { op: 'revoke'; id: bigint };

/** Everything to persist in one atomic step, in order. */
export interface CommitBatch {
  /** New revisions, in increasing order. */
  revisions: RevisionChanges[];
  /** Lease grants and revokes, in the order they happened. */
  leaseOps: LeaseOp[];
  /** Versions discarded by compactions in this batch. */
  compacted: KeyValueRecord[];
  /** The newest compaction revision in this batch, if any. */
  compactRevision?: number;
}

/** What a backend hands back at start-up. */
export interface PersistedState {
  /** The newest compaction, 0 when none. */
  compactRevision: number;
  /** Every stored version, in (revision, order within the revision) order. */
  records: Iterable<KeyValueRecord>;
  leases: { id: bigint; ttl: number }[];
  /** Stable identity of this store (etcd cluster and member IDs), below 2^63. */
  clusterId: bigint;
  memberId: bigint;
}

export interface Backend {
  /**
   * `inline`: `commit` finishes synchronously and cheaply (memory) — the engine commits every
   * change immediately. `tick`: the engine batches the changes of one event-loop turn (or of the
   * time the previous commit took) into one commit.
   */
  readonly commitMode: 'inline' | 'tick';
  load(): PersistedState;
  /** Makes the batch durable (all or nothing). Rejects/throws on I/O failure. */
  commit(batch: CommitBatch): Promise<void> | void;
  /** Bytes used on disk (or in memory). */
  sizeBytes(): number;
  close(): Promise<void>;
}

/** A random 63-bit identity. */
export function randomId(): bigint {
  const bytes = new BigUint64Array(1);
  globalThis.crypto.getRandomValues(bytes);
  return bytes[0]! & ((1n << 63n) - 1n) || 1n;
}
