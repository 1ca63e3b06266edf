/**
 * The multi-version key space (etcd `mvcc.store`): one global revision, a per-key history, ordered
 * keys for ranges, and the event history by revision for watchers.
 *
 * Guarantees: a write transaction bumps the revision once, and only when it changed something;
 * every change of one transaction carries that revision. Reads at any revision in
 * `[compactRevision, currentRevision]` see exactly the state after that revision. Everything is
 * synchronous and in memory; durability is the caller's (see embedded/engine.ts).
 */
import { errCompacted, errFutureRev } from './errors.js';
import { KeyHistory } from './key-index.js';
import { OrderedKeys } from './ordered-keys.js';
import type { ChangeEvent, KeyValueRecord, RevisionChanges } from './types.js';
import { noLease } from './types.js';

/** Who tracks which keys are attached to which lease (the lessor). */
export interface LeaseAttachments {
  attach(lease: bigint, key: string): void;
  detach(lease: bigint, key: string): void;
}

export interface RangeKeysOptions {
  /** At most this many kvs (0 = all); `count` is unaffected. */
  limit?: number;
  /** Only count. */
  countOnly?: boolean;
}

export interface RangeKeysResult {
  kvs: KeyValueRecord[];
  count: number;
}

const emptyValue = new Uint8Array(0);

export class KvStore {
  private readonly index = new Map<string, KeyHistory>();
  private readonly keys = new OrderedKeys<KeyHistory>();
  /** log[i] holds the changes of revision logStart + i. */
  private log: RevisionChanges[] = [];
  private logStart = 2;
  private rev = 1;
  private compactRev = 0;
  private approxBytes = 0;

  constructor(private readonly leases: LeaseAttachments) {}

  /** The latest revision (1 for an empty store, like etcd). */
  get currentRevision(): number {
    return this.rev;
  }

  /** The revision of the last compaction, 0 when never compacted. */
  get compactRevision(): number {
    return this.compactRev;
  }

  /** Rough bytes held by keys and values (the in-memory "db size"). */
  get sizeBytes(): number {
    return this.approxBytes;
  }

  /** Number of keys with a history (live or deleted but not yet compacted). */
  get keyCount(): number {
    return this.keys.size;
  }

  /**
   * Checks that `revision` can be read when the latest readable revision is `upTo`: above it →
   * ErrFutureRev, below the compacted one → ErrCompacted. Returns the revision to read at.
   */
  readRevision(revision: number | undefined, upTo: number): number {
    if (revision === undefined || revision <= 0) return upTo;
    if (revision > upTo) throw errFutureRev();
    if (revision < this.compactRev) throw errCompacted(this.compactRev);
    return revision;
  }

  /** The live version of `key` at `revision`. */
  get(key: string, revision: number): KeyValueRecord | undefined {
    return this.index.get(key)?.at(revision);
  }

  /**
   * Keys of the normalised range (`end` undefined = the single key, '' = no upper bound) that are
   * live at `revision`, ascending by key.
   */
  rangeKeys(key: string, end: string | undefined, revision: number, opts: RangeKeysOptions = {}) {
    const result: RangeKeysResult = { kvs: [], count: 0 };
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    if (end === undefined) {
      const kv = this.get(key, revision);
      if (kv) {
        result.count = 1;
        if (!opts.countOnly && limit > 0) result.kvs.push(kv);
      }
      return result;
    }
    if (end !== '' && end <= key) return result;
    this.keys.forEachInRange(key, end, (h) => {
      const kv = h.at(revision);
      if (!kv) return;
      result.count++;
      if (!opts.countOnly && result.kvs.length < limit) result.kvs.push(kv);
    });
    return result;
  }

  /** Starts the next write transaction. Only one may be open at a time. */
  beginWrite(): WriteTxn {
    return new WriteTxn(this, this.rev + 1);
  }

  /**
   * The changes of revisions `[from, min(to, from + maxRevisions - 1)]`. `from` must be ≥ the
   * compacted revision (callers check).
   */
  changes(from: number, to: number, maxRevisions: number): RevisionChanges[] {
    const start = Math.max(from, this.logStart) - this.logStart;
    const stop = Math.min(to, from + maxRevisions - 1, this.rev) - this.logStart + 1;
    return stop > start ? this.log.slice(start, stop) : [];
  }

  /**
   * Discards history below `revision` (etcd `Compact`): reads below it fail with ErrCompacted,
   * each key keeps its newest version at or below it (unless that is a tombstone). Returns the
   * discarded versions so a backend can delete them.
   */
  compact(revision: number): KeyValueRecord[] {
    if (revision <= this.compactRev) throw errCompacted(this.compactRev);
    if (revision > this.rev) throw errFutureRev();
    const touched = new Set<string>();
    for (const changes of this.changes(this.logStart, revision, Infinity)) {
      for (const e of changes.events) touched.add(e.kv.key);
    }
    const removed: KeyValueRecord[] = [];
    for (const key of touched) {
      const h = this.index.get(key);
      if (!h) continue;
      for (const kv of h.compact(revision)) {
        removed.push(kv);
        this.approxBytes -= kv.key.length + kv.value.length;
      }
      if (h.empty) {
        this.index.delete(key);
        this.keys.delete(key);
      }
    }
    this.trimLog(revision);
    this.compactRev = revision;
    return removed;
  }

  /** Replays one persisted version during recovery; records must come in (revision, order) order. */
  restore(kv: KeyValueRecord, compactRevision: number): void {
    const h = this.history(kv.key);
    const prev = h.latest();
    this.link(h, kv, prev);
    const rev = kv.modRevision;
    if (rev >= compactRevision && rev >= this.logStart) {
      while (this.logStart + this.log.length <= rev) {
        this.log.push({ revision: this.logStart + this.log.length, events: [] });
      }
      this.log[rev - this.logStart]!.events.push(prev ? { kv, prev } : { kv });
    }
    if (rev > this.rev) this.rev = rev;
  }

  /** Ends recovery: sets the compacted revision (and the current one when it is higher). */
  finishRestore(compactRevision: number): void {
    this.compactRev = compactRevision;
    if (compactRevision > this.rev) this.rev = compactRevision;
    while (this.logStart + this.log.length <= this.rev) {
      this.log.push({ revision: this.logStart + this.log.length, events: [] });
    }
    this.trimLog(compactRevision);
  }

  /** @internal Used by WriteTxn. */
  history(key: string): KeyHistory {
    let h = this.index.get(key);
    if (!h) {
      h = new KeyHistory(key);
      this.index.set(key, h);
      this.keys.insert(h);
    }
    return h;
  }

  /** @internal Appends a version and keeps lease attachments and size in step. */
  link(h: KeyHistory, kv: KeyValueRecord, prev: KeyValueRecord | undefined): void {
    h.push(kv);
    this.approxBytes += kv.key.length + kv.value.length;
    if (prev && prev.lease !== noLease && prev.lease !== kv.lease) {
      this.leases.detach(prev.lease, kv.key);
    }
    if (kv.lease !== noLease && kv.lease !== prev?.lease) this.leases.attach(kv.lease, kv.key);
  }

  /** @internal Publishes a finished write transaction. */
  commitWrite(changes: RevisionChanges): void {
    this.log.push(changes);
    this.rev = changes.revision;
  }

  /** @internal */
  forEachKey(key: string, end: string, visit: (h: KeyHistory) => void): void {
    this.keys.forEachInRange(key, end, visit);
  }

  private trimLog(revision: number): void {
    if (revision <= this.logStart) return;
    const drop = Math.min(revision - this.logStart, this.log.length);
    this.log.splice(0, drop);
    this.logStart += drop;
    const atCompacted = this.log[0];
    if (atCompacted && atCompacted.revision === revision) {
      // Tombstones at the compacted revision are gone from the histories (etcd drops them too).
      this.log[0] = {
        revision,
        events: atCompacted.events.filter((e) => e.kv.version > 0),
      };
    }
  }
}

/**
 * One write transaction (etcd `storeTxnWrite`). Reads through it see its own writes. `end()`
 * publishes the changes under one new revision, or nothing when nothing changed.
 */
export class WriteTxn {
  readonly events: ChangeEvent[] = [];

  constructor(
    private readonly store: KvStore,
    /** The revision this transaction writes at. */
    readonly revision: number,
  ) {}

  /** The revision reads see: this one once something changed, else the previous. */
  get readRevision(): number {
    return this.events.length > 0 ? this.revision : this.revision - 1;
  }

  range(key: string, end: string | undefined, opts?: RangeKeysOptions): RangeKeysResult {
    return this.store.rangeKeys(key, end, this.readRevision, opts);
  }

  put(key: string, value: Uint8Array, lease: bigint): KeyValueRecord {
    const h = this.store.history(key);
    const prev = h.latest();
    const kv: KeyValueRecord = {
      key,
      value,
      createRevision: prev ? prev.createRevision : this.revision,
      modRevision: this.revision,
      version: prev ? prev.version + 1 : 1,
      lease,
    };
    this.store.link(h, kv, prev);
    this.events.push(prev ? { kv, prev } : { kv });
    return kv;
  }

  /** Deletes the live keys of the normalised range; returns how many. */
  deleteRange(key: string, end: string | undefined): number {
    const targets: KeyValueRecord[] = [];
    if (end === undefined) {
      const kv = this.store.get(key, this.readRevision);
      if (kv) targets.push(kv);
    } else if (end === '' || end > key) {
      const rev = this.readRevision;
      this.store.forEachKey(key, end, (h) => {
        const kv = h.at(rev);
        if (kv) targets.push(kv);
      });
    }
    for (const prev of targets) {
      const tombstone: KeyValueRecord = {
        key: prev.key,
        value: emptyValue,
        createRevision: 0,
        modRevision: this.revision,
        version: 0,
        lease: noLease,
      };
      this.store.link(this.store.history(prev.key), tombstone, prev);
      this.events.push({ kv: tombstone, prev });
    }
    return targets.length;
  }

  /** Publishes the changes; returns them, or undefined when nothing changed. */
  end(): RevisionChanges | undefined {
    if (this.events.length === 0) return undefined;
    const changes: RevisionChanges = { revision: this.revision, events: this.events };
    this.store.commitWrite(changes);
    return changes;
  }
}
