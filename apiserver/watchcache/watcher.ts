/**
 * One watch served from the cache (upstream `cacheWatcher`). It sees every change under its key
 * prefix with a revision above its start and turns it into what the client should see, applying
 * its filter (label and field selectors) to both the old and the new state:
 *
 * | old matches | new matches | sent                                                   |
 * | ----------- | ----------- | ------------------------------------------------------ |
 * | no          | yes         | ADDED (new)                                            |
 * | yes         | yes         | MODIFIED (new), or DELETED for a deletion              |
 * | yes         | no          | DELETED (old content stamped with the change's revision) |
 * | no          | no          | nothing                                                |
 *
 * Events reach the sink in revision order, each exactly once. Bookmarks carry a revision no event
 * sent later can be at or below. A watcher whose sink refuses an event (too slow) is closed
 * without an ERROR event, as upstream's, and the client re-watches.
 */
import type { CacheEvent, CachedObject, WatchEventType } from './types.js';

export interface WatchSink {
  /**
   * Delivers an event. `source` is the cache event it came from (absent for initial events), so
   * a sink can reuse serialisations shared by all watchers. Returns false when the consumer is
   * too slow: the watcher then closes.
   */
  event(type: WatchEventType, object: CachedObject, source?: CacheEvent): boolean;
  /** A BOOKMARK at `rv`; `initialEventsEnd` marks the end of `sendInitialEvents`. */
  bookmark(rv: number, initialEventsEnd: boolean): void;
  /**
   * The events delivered since the last flush are all there is for now (the end of a batch of
   * changes, of the initial events or of a replay): a sink may hold events back until then to
   * write them together, and must not hold them longer.
   */
  flush?(): void;
  /** The cache ended this watch (slow consumer, cache re-initialised, server stopping). */
  close(): void;
}

export interface CacheWatcherOptions {
  /** Key prefix watched (a resource, or a resource in one namespace, or one object's key). */
  prefix: string;
  /** Selector filter; default: everything. */
  filter?: (obj: CachedObject) => boolean;
  sink: WatchSink;
  /** Only changes with a revision above this are delivered. */
  startRv: number;
  allowBookmarks: boolean;
  /** Clock ms after which the watch ends (the handler closes it); bookmarks precede it. */
  deadline?: number;
}

let nextId = 1;

export class CacheWatcher {
  readonly id = nextId++;
  readonly prefix: string;
  readonly allowBookmarks: boolean;
  readonly deadline?: number;
  /** Highest revision delivered (event or bookmark). */
  lastRv: number;
  /** Clock ms when the next periodic bookmark is due (set by the cacher). */
  nextBookmarkAt = 0;
  private closed = false;
  /** Events went to the sink since the last {@link CacheWatcher.flush}. */
  private unflushed = false;
  private readonly filter: (obj: CachedObject) => boolean;
  private readonly sink: WatchSink;

  constructor(opts: CacheWatcherOptions) {
    this.prefix = opts.prefix;
    this.filter = opts.filter ?? (() => true);
    this.sink = opts.sink;
    this.lastRv = opts.startRv;
    this.allowBookmarks = opts.allowBookmarks;
    this.deadline = opts.deadline;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Whether `obj` passes the filter (used for initial events). */
  matches(obj: CachedObject): boolean {
    return obj.key.startsWith(this.prefix) && this.filter(obj);
  }

  /** Sends a synthetic ADDED for an initial object; false when the watcher had to close. */
  sendInitial(obj: CachedObject): boolean {
    if (this.closed) return false;
    this.unflushed = true;
    if (!this.sink.event('ADDED', obj)) {
      this.close();
      return false;
    }
    return true;
  }

  /** Processes one change from the cache. */
  process(event: CacheEvent): void {
    if (this.closed || event.rv <= this.lastRv || !event.key.startsWith(this.prefix)) return;
    const curPasses = event.type !== 'DELETED' && this.filter(event.object);
    const oldPasses = event.prev !== undefined && this.filter(event.prev);
    let type: WatchEventType | undefined;
    let object = event.object;
    if (event.type === 'DELETED') {
      if (oldPasses || (event.prev === undefined && this.filter(event.object))) type = 'DELETED';
    } else if (curPasses && !oldPasses) {
      type = 'ADDED';
    } else if (curPasses && oldPasses) {
      type = 'MODIFIED';
    } else if (!curPasses && oldPasses) {
      type = 'DELETED';
      object = restamp(event.prev!, event.rv);
    }
    this.lastRv = event.rv;
    if (!type) return;
    this.unflushed = true;
    if (!this.sink.event(type, object, object === event.object ? event : undefined)) this.close();
  }

  /** Tells the sink the events sent so far are complete for now (see `WatchSink.flush`). */
  flush(): void {
    if (!this.unflushed) return;
    this.unflushed = false;
    if (!this.closed) this.sink.flush?.();
  }

  /** Sends a bookmark at `rv` if it moves the watcher forward. */
  bookmark(rv: number, initialEventsEnd = false): void {
    if (this.closed || (!initialEventsEnd && rv <= this.lastRv)) return;
    this.flush();
    if (rv > this.lastRv) this.lastRv = rv;
    this.sink.bookmark(rv, initialEventsEnd);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.close();
  }
}

/** A copy of `obj` carrying revision `rv` (for DELETED events). */
export function restamp(obj: CachedObject, rv: number): CachedObject {
  const parsed = JSON.parse(obj.json) as { metadata?: Record<string, unknown> };
  (parsed.metadata ??= {}).resourceVersion = String(rv);
  return { ...obj, rv, json: JSON.stringify(parsed) };
}
