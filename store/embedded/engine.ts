/**
 * The embedded etcd (etcd's `EtcdServer` minus raft): the MVCC key space, the lessor and the watch
 * hub over a durable {@link Backend}, with etcd's request semantics and errors.
 *
 * Write path (group commit): a write is checked and applied in memory at once — so later writes
 * see it and revisions are assigned in arrival order — then the changes of one event-loop turn are
 * committed to the backend in one transaction. A write's promise resolves only after the commit
 * holding it is durable; watchers are told only then, and reads see only durable revisions. A
 * failed commit stops the engine: every pending and later call fails with UNAVAILABLE.
 *
 * Reads (`range`) are served at the newest durable revision, which every acknowledged write is
 * at or below, so they are linearizable; there is no separate serializable path.
 */
import type { Clock } from '../../common/index.js';
import { createLogger, realClock } from '../../common/index.js';
import { emulatedEtcdVersion, maxTxnOps as defaultMaxTxnOps } from '../defaults.js';
import type { Backend, CommitBatch } from '../backend/backend.js';
import { applyDeleteRange, applyPut, applyRange, applyTxn } from '../mvcc/apply.js';
import {
  errBackendFailed,
  errCompacted,
  errFutureRev,
  errLeaseNotFound,
  errStopped,
} from '../mvcc/errors.js';
import { KvStore } from '../mvcc/kv-store.js';
import { Lessor } from '../mvcc/lessor.js';
import type {
  DeleteRangeRequest,
  DeleteRangeResponse,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  RevisionChanges,
  TxnRequest,
  TxnResponse,
} from '../mvcc/types.js';
import { noLease } from '../mvcc/types.js';
import {
  checkDeleteRequest,
  checkPutRequest,
  checkRangeRequest,
  checkTxn,
} from '../mvcc/validate.js';
import { WatchableStore } from '../mvcc/watchable.js';
import type { StorageError } from '../storage.js';

export interface EngineOptions {
  backend: Backend;
  /** Time for lease TTLs. Default: the real clock. */
  clock?: Clock;
  /** etcd `--max-txn-ops`. Default 128. */
  maxTxnOps?: number;
  /** Minimum lease TTL in seconds. Default 2 (etcd's, from its election timeout). */
  minLeaseTtlSeconds?: number;
}

export interface LeaseTimeToLive {
  id: bigint;
  /** Seconds left. */
  ttl: number;
  grantedTtl: number;
  /** Attached keys, in byte order. */
  keys: string[];
}

export interface EngineStatus {
  version: string;
  dbSize: number;
  revision: number;
  compactRevision: number;
  /** Number of durable commits (reported as raft index). */
  commitIndex: number;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Pending extends CommitBatch {
  ops: number;
  done?: Deferred;
}

const newPending = (): Pending => ({ revisions: [], leaseOps: [], compacted: [], ops: 0 });

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A batch nobody waits for must not surface as an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

export class Engine {
  readonly kv: KvStore;
  readonly lessor: Lessor;
  readonly watchable: WatchableStore;
  readonly clusterId: bigint;
  readonly memberId: bigint;
  private readonly backend: Backend;
  private readonly maxTxnOps: number;
  private readonly log = createLogger({ component: 'store' });
  private committedRev: number;
  private commits = 0;
  private pending: Pending = newPending();
  private inflight: Pending | undefined;
  private flushScheduled = false;
  private failure: StorageError | undefined;
  private closed = false;

  private constructor(options: EngineOptions) {
    this.backend = options.backend;
    this.maxTxnOps = options.maxTxnOps ?? defaultMaxTxnOps;
    this.lessor = new Lessor({
      clock: options.clock ?? realClock,
      minTtlSeconds: options.minLeaseTtlSeconds,
      onExpired: (id) => this.expire(id),
    });
    this.kv = new KvStore(this.lessor);
    const state = this.backend.load();
    this.clusterId = state.clusterId;
    this.memberId = state.memberId;
    // Leases first, so restored keys attach to them.
    for (const l of state.leases) this.lessor.restore(l.id, l.ttl);
    for (const kv of state.records) this.kv.restore(kv, state.compactRevision);
    this.kv.finishRestore(state.compactRevision);
    this.committedRev = this.kv.currentRevision;
    this.watchable = new WatchableStore({
      kv: this.kv,
      committedRevision: () => this.committedRev,
    });
  }

  /** Loads the backend's state and starts serving. */
  static open(options: EngineOptions): Engine {
    return new Engine(options);
  }

  /** The newest durable revision. */
  get revision(): number {
    return this.committedRev;
  }

  get compactRevision(): number {
    return this.kv.compactRevision;
  }

  range(r: RangeRequest): RangeResponse {
    this.ensureOpen();
    checkRangeRequest(r);
    return applyRange(this.kv, this.committedRev, r);
  }

  async put(p: PutRequest): Promise<PutResponse> {
    this.ensureOpen();
    checkPutRequest(p);
    const lease = p.lease ?? noLease;
    if (lease !== noLease && !this.lessor.exists(lease)) throw errLeaseNotFound();
    const txn = this.kv.beginWrite();
    const resp = applyPut(txn, p);
    this.record(txn.end());
    await this.durable();
    return resp;
  }

  async deleteRange(d: DeleteRangeRequest): Promise<DeleteRangeResponse> {
    this.ensureOpen();
    checkDeleteRequest(d);
    const txn = this.kv.beginWrite();
    const resp = applyDeleteRange(txn, d);
    this.record(txn.end());
    await this.durable();
    return resp;
  }

  async txn(t: TxnRequest): Promise<TxnResponse> {
    this.ensureOpen();
    checkTxn(t, this.maxTxnOps);
    const { response, changes } = applyTxn(this.kv, this.lessor.exists, t);
    if (changes) this.record(changes);
    await this.durable();
    return response;
  }

  /** etcd Compact: returns the header revision. */
  async compact(revision: number): Promise<number> {
    this.ensureOpen();
    if (revision <= this.kv.compactRevision) throw errCompacted(this.kv.compactRevision);
    if (revision > this.kv.currentRevision) throw errFutureRev();
    // Readers are served at the durable revision: never compact above it.
    await this.durable();
    this.ensureOpen();
    const removed = this.kv.compact(revision);
    this.pending.compacted.push(...removed);
    this.pending.compactRevision = revision;
    this.record(undefined, true);
    await this.durable();
    return this.committedRev;
  }

  /** etcd LeaseGrant; `id` 0 = choose one. */
  async leaseGrant(id: bigint, ttlSeconds: number): Promise<{ id: bigint; ttl: number }> {
    this.ensureOpen();
    const leaseId = id === noLease ? this.lessor.newId() : id;
    const lease = this.lessor.grant(leaseId, ttlSeconds);
    this.pending.leaseOps.push({ op: 'grant', id: leaseId, ttl: lease.ttl });
    this.record(undefined, true);
    await this.durable();
    return { id: leaseId, ttl: lease.ttl };
  }

  /** etcd LeaseRevoke: deletes the attached keys in one revision. */
  async leaseRevoke(id: bigint): Promise<void> {
    this.ensureOpen();
    this.revoke(id);
    await this.durable();
  }

  /** One keep-alive; returns the TTL. Unknown or expired → ErrLeaseNotFound. */
  async leaseRenew(id: bigint): Promise<number> {
    this.ensureOpen();
    const ttl = this.lessor.renew(id);
    await this.durable();
    return ttl;
  }

  leaseTimeToLive(id: bigint): LeaseTimeToLive {
    this.ensureOpen();
    const lease = this.lessor.lookup(id);
    if (!lease) throw errLeaseNotFound();
    return {
      id,
      ttl: this.lessor.remainingSeconds(lease),
      grantedTtl: lease.ttl,
      keys: [...lease.keys].sort(),
    };
  }

  leases(): bigint[] {
    this.ensureOpen();
    return this.lessor.list();
  }

  status(): EngineStatus {
    this.ensureOpen();
    return {
      version: emulatedEtcdVersion,
      dbSize: this.backend.sizeBytes(),
      revision: this.committedRev,
      compactRevision: this.kv.compactRevision,
      commitIndex: this.commits,
    };
  }

  /** Resolves once everything applied so far is durable. */
  durable(): Promise<void> {
    if (this.pending.ops > 0) return (this.pending.done ??= deferred()).promise;
    if (this.inflight) return (this.inflight.done ??= deferred()).promise;
    if (this.failure) return Promise.reject(this.failure);
    return Promise.resolve();
  }

  /** Commits what is pending, ends every watch and closes the backend. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    await this.durable().catch(() => {});
    this.closed = true;
    this.lessor.stop();
    this.watchable.closeAll(errStopped());
    await this.backend.close();
  }

  private ensureOpen(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw errStopped();
  }

  private revoke(id: bigint): void {
    const keys = this.lessor.remove(id);
    const txn = this.kv.beginWrite();
    for (const key of keys) txn.deleteRange(key, undefined);
    this.pending.leaseOps.push({ op: 'revoke', id });
    this.record(txn.end(), true);
  }

  private expire(id: bigint): void {
    if (this.failure || this.closed) return;
    try {
      this.revoke(id);
    } catch (err) {
      this.log.warn({ err, lease: String(id) }, 'failed to revoke expired lease');
    }
  }

  private record(changes: RevisionChanges | undefined, force = false): void {
    if (!changes && !force) return;
    if (changes) this.pending.revisions.push(changes);
    this.pending.ops++;
    if (this.backend.commitMode === 'inline') this.flush();
    else if (!this.flushScheduled && !this.inflight) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  private flush(): void {
    if (this.inflight || this.failure || this.pending.ops === 0) return;
    const batch = this.pending;
    this.pending = newPending();
    this.inflight = batch;
    let result: Promise<void> | void;
    try {
      result = this.backend.commit(batch);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (result)
      result.then(
        () => this.committed(batch, true),
        (err) => this.fail(err),
      );
    else this.committed(batch, false);
  }

  private committed(batch: Pending, async: boolean): void {
    this.inflight = undefined;
    this.commits++;
    const last = batch.revisions[batch.revisions.length - 1];
    if (last) this.committedRev = last.revision;
    this.watchable.notify(batch.revisions);
    batch.done?.resolve();
    if (this.pending.ops > 0) {
      // What arrived during an asynchronous commit forms the next batch at once; after a
      // synchronous one, let the event loop read the requests that queued meanwhile first.
      if (this.backend.commitMode === 'inline' || async) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    }
  }

  private fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.log.error({ err }, 'backend commit failed; the store stops serving');
    this.failure = errBackendFailed(message);
    for (const batch of [this.inflight, this.pending]) batch?.done?.reject(this.failure);
    this.inflight = undefined;
    this.lessor.stop();
    this.watchable.closeAll(this.failure);
  }
}
