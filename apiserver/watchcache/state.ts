/**
 * The watch cache's view of one stored resource: the current objects in a {@link BTree} keyed by
 * storage key, plus a bounded history of the changes that led there, so that watches can resume
 * from any revision since the history's floor and lists can read the state of any such revision
 * (for `continue` pages and `resourceVersionMatch=Exact`).
 *
 * Invariants: `revision` never decreases; history events are in revision order; every event with
 * a revision above {@link CacheState.floor} is in the history.
 *
 * Reading a past revision: {@link CacheState.snapshotAt} of the current revision is O(1) (the
 * tree's copy-on-write snapshot). A past revision is rebuilt from the nearest newer retained
 * snapshot (or the current state) by undoing the events between them, O(events × log n), once:
 * callers {@link CacheState.retain} the snapshots a `continue` token will come back to, so every
 * later page of that list costs O(page + log n).
 */
import { BTree } from './btree.js';
import type { CacheEvent, CachedObject } from './types.js';

/** The cache's objects as they were at one revision. It never changes. */
export interface CacheSnapshot {
  /** The revision the snapshot shows the state of (a list's resourceVersion). */
  readonly revision: number;
  /** Objects with keys under `prefix` from `from` (inclusive; default: the prefix) on, in key order. */
  scan(prefix: string, from?: string): IterableIterator<CachedObject>;
  /** How many objects {@link CacheSnapshot.scan} would yield. O(log n). */
  count(prefix: string, from?: string): number;
}

/** The first string after every string that starts with `prefix` (undefined: none is). */
export function prefixEnd(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xffff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return undefined;
}

class Snapshot implements CacheSnapshot {
  constructor(
    readonly revision: number,
    /** A private clone, never written to. */
    readonly tree: BTree<CachedObject>,
  ) {}

  scan(prefix: string, from = prefix): IterableIterator<CachedObject> {
    return this.tree.values(from > prefix ? from : prefix, prefixEnd(prefix));
  }

  count(prefix: string, from = prefix): number {
    const start = from > prefix ? from : prefix;
    const end = prefixEnd(prefix);
    return end === undefined ? this.tree.size - this.tree.rank(start) : this.tree.count(start, end);
  }
}

interface Retained {
  snapshot: Snapshot;
  /** Clock ms after which it is dropped (refreshed on every use). */
  expiresAt: number;
}

export class CacheState {
  private objects = new BTree<CachedObject>();
  private readonly history: CacheEvent[] = [];
  private historyStart = 0;
  private floorRv = 0;
  private rv = 0;
  /** Snapshots kept for `continue` pages, by revision. */
  private readonly retained = new Map<number, Retained>();

  /** The revision the state is current at. */
  get revision(): number {
    return this.rv;
  }

  /** History covers every change after this revision. */
  get floor(): number {
    return this.floorRv;
  }

  get size(): number {
    return this.objects.size;
  }

  /** Number of events in the history. */
  get historySize(): number {
    return this.history.length - this.historyStart;
  }

  /** Number of retained snapshots. */
  get retainedSize(): number {
    return this.retained.size;
  }

  /** Replaces everything with a fresh list read at `revision`; history restarts there. */
  reset(objects: CachedObject[], revision: number): void {
    const byKey = new Map<string, CachedObject>();
    for (const o of objects) byKey.set(o.key, o);
    const entries = [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.objects = BTree.fromSorted(entries);
    this.history.length = 0;
    this.historyStart = 0;
    this.retained.clear();
    this.floorRv = revision;
    this.rv = revision;
  }

  get(key: string): CachedObject | undefined {
    return this.objects.get(key);
  }

  /** Applies one change (events must come in revision order) and records it. */
  apply(event: CacheEvent): void {
    if (event.type === 'DELETED') this.objects.delete(event.key);
    else this.objects.set(event.key, event.object);
    this.history.push(event);
    if (event.rv > this.rv) this.rv = event.rv;
  }

  /** Moves the revision forward without a change (a progress notification). */
  advance(revision: number): void {
    if (revision > this.rv) this.rv = revision;
  }

  /**
   * Drops the oldest events while `evict(event, remaining)` says so (e.g. by age and count); the
   * floor moves up to the last dropped event's revision, and retained snapshots below it go.
   */
  trimHistory(evict: (event: CacheEvent, remaining: number) => boolean): void {
    const floor = this.floorRv;
    while (this.historyStart < this.history.length) {
      const e = this.history[this.historyStart]!;
      if (!evict(e, this.history.length - this.historyStart)) break;
      this.floorRv = e.rv;
      this.historyStart++;
    }
    if (this.historyStart > 1024 && this.historyStart * 2 > this.history.length) {
      this.history.splice(0, this.historyStart);
      this.historyStart = 0;
    }
    if (this.floorRv !== floor) {
      for (const rv of this.retained.keys()) if (rv < this.floorRv) this.retained.delete(rv);
    }
  }

  /** Events with revision > `rv`, oldest first. Requires `rv >= floor`. */
  eventsAfter(rv: number): CacheEvent[] {
    return this.history.slice(this.firstAfter(rv));
  }

  /** Index in `history` of the first event with revision > `rv`. */
  private firstAfter(rv: number): number {
    let lo = this.historyStart;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.history[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The state at revision `at` (default: the current one). Requires `floor <= at <= revision`.
   * A retained snapshot of `at` is refreshed until `now + ttlMs` when both are given.
   */
  snapshotAt(at: number = this.rv, refresh?: { now: number; ttlMs: number }): CacheSnapshot {
    const first = this.firstAfter(at);
    if (first >= this.history.length) return new Snapshot(at, this.objects.clone());
    const kept = this.retained.get(at);
    if (kept) {
      if (refresh) kept.expiresAt = refresh.now + refresh.ttlMs;
      return kept.snapshot;
    }
    // Undo, newest first, the events between `at` and the nearest newer known state.
    let base: { revision: number; tree: BTree<CachedObject> } = {
      revision: this.rv,
      tree: this.objects,
    };
    for (const [rv, r] of this.retained) {
      if (rv > at && rv < base.revision) base = r.snapshot;
    }
    const tree = base.tree.clone();
    for (let i = this.firstAfter(base.revision) - 1; i >= first; i--) {
      const e = this.history[i]!;
      if (e.prev) tree.set(e.key, e.prev);
      else tree.delete(e.key);
    }
    return new Snapshot(at, tree);
  }

  /**
   * Keeps `snapshot` (from {@link CacheState.snapshotAt}) for later reads of its revision until
   * `expiresAt`; at most `max` are kept, those expiring first are dropped first.
   */
  retain(snapshot: CacheSnapshot, expiresAt: number, max: number): void {
    const existing = this.retained.get(snapshot.revision);
    if (existing) {
      existing.expiresAt = Math.max(existing.expiresAt, expiresAt);
      return;
    }
    this.retained.set(snapshot.revision, { snapshot: snapshot as Snapshot, expiresAt });
    while (this.retained.size > max) {
      let oldest: number | undefined;
      let at = Infinity;
      for (const [rv, r] of this.retained) {
        if (r.expiresAt < at) [oldest, at] = [rv, r.expiresAt];
      }
      this.retained.delete(oldest!);
    }
  }

  /** Drops retained snapshots that expired at `now`. */
  expireSnapshots(now: number): void {
    for (const [rv, r] of this.retained) if (r.expiresAt <= now) this.retained.delete(rv);
  }
}
