/**
 * The watch cache's view of one stored resource: the current objects in key order, plus a bounded
 * history of the changes that led there, so that the state at any revision since the history's
 * floor can be rebuilt (for `continue` pages and `resourceVersionMatch=Exact` lists) and watches
 * can resume from any such revision.
 *
 * Invariants: `revision` never decreases; history events are in revision order; every event with
 * a revision above {@link CacheState.floor} is in the history.
 */
import type { CacheEvent, CachedObject } from './types.js';

export class CacheState {
  private readonly objects = new Map<string, CachedObject>();
  /** Keys of `objects`, sorted by code unit (= byte order for the ASCII keys Kubernetes uses). */
  private readonly keys: string[] = [];
  private readonly history: CacheEvent[] = [];
  private historyStart = 0;
  private floorRv = 0;
  private rv = 0;

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

  /** Replaces everything with a fresh list read at `revision`; history restarts there. */
  reset(objects: CachedObject[], revision: number): void {
    this.objects.clear();
    this.keys.length = 0;
    for (const o of objects) this.objects.set(o.key, o);
    this.keys.push(...[...this.objects.keys()].sort(compareKeys));
    this.history.length = 0;
    this.historyStart = 0;
    this.floorRv = revision;
    this.rv = revision;
  }

  get(key: string): CachedObject | undefined {
    return this.objects.get(key);
  }

  /** Applies one change (events must come in revision order) and records it. */
  apply(event: CacheEvent): void {
    if (event.type === 'DELETED') {
      if (this.objects.delete(event.key)) {
        const i = lowerBound(this.keys, event.key);
        if (this.keys[i] === event.key) this.keys.splice(i, 1);
      }
    } else {
      if (!this.objects.has(event.key)) {
        this.keys.splice(lowerBound(this.keys, event.key), 0, event.key);
      }
      this.objects.set(event.key, event.object);
    }
    this.history.push(event);
    if (event.rv > this.rv) this.rv = event.rv;
  }

  /** Moves the revision forward without a change (a progress notification). */
  advance(revision: number): void {
    if (revision > this.rv) this.rv = revision;
  }

  /**
   * Drops the oldest events while `evict(event, remaining)` says so (e.g. by age and count); the
   * floor moves up to the last dropped event's revision.
   */
  trimHistory(evict: (event: CacheEvent, remaining: number) => boolean): void {
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
  }

  /** Events with revision > `rv`, oldest first. Requires `rv >= floor`. */
  eventsAfter(rv: number): CacheEvent[] {
    let lo = this.historyStart;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.history[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  /**
   * Objects with keys in [`from`, end of `prefix`) in key order, as they were at revision `at`
   * (current when `at` is the state's revision). Requires `floor <= at <= revision`.
   */
  *scan(prefix: string, from: string, at: number = this.rv): Generator<CachedObject> {
    const start = from > prefix ? from : prefix;
    if (at >= this.rv) {
      for (let i = lowerBound(this.keys, start); i < this.keys.length; i++) {
        const key = this.keys[i]!;
        if (!key.startsWith(prefix)) return;
        yield this.objects.get(key)!;
      }
      return;
    }
    // Undo the changes after `at`, newest first: the oldest change's `prev` is the state at `at`.
    const overrides = new Map<string, CachedObject | null>();
    const later = this.eventsAfter(at);
    for (let i = later.length - 1; i >= 0; i--) {
      const e = later[i]!;
      overrides.set(e.key, e.prev ?? null);
    }
    const keys = new Set<string>();
    for (let i = lowerBound(this.keys, start); i < this.keys.length; i++) {
      const key = this.keys[i]!;
      if (!key.startsWith(prefix)) break;
      keys.add(key);
    }
    for (const key of overrides.keys()) if (key >= start && key.startsWith(prefix)) keys.add(key);
    for (const key of [...keys].sort(compareKeys)) {
      const o = overrides.has(key) ? overrides.get(key) : this.objects.get(key);
      if (o) yield o;
    }
  }
}

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First index whose key is >= `key`. */
function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
