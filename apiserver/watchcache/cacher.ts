/**
 * The watch cache of one stored resource (upstream `Cacher` + `watchCache` + its reflector). It
 * lists the resource's key prefix from storage once, then follows a storage watch from the list's
 * revision, so lists and watches are served from memory.
 *
 * Guarantees:
 * - Changes are applied and fanned out in revision order; every watcher sees each change under
 *   its prefix at most once and never one at or below its start revision.
 * - {@link Cacher.waitUntilFresh} resolves once the cache has seen revision `rv` (asking storage
 *   for a progress notification so a quiet resource catches up), or rejects after the timeout
 *   with 504 "Too large resource version", as upstream's `waitUntilFreshAndBlock`.
 * - When the storage watch fails (compaction, lost connection, slow consumer), every watcher is
 *   closed (clients re-watch and get 410 if they fell too far behind) and the cache relists with
 *   backoff. Until the first list completes {@link Cacher.isReady} is false and callers read
 *   storage instead.
 * - History keeps every change younger than `historyMs`, at most `maxEvents`; a watch or exact
 *   read below {@link Cacher.floor} is "too old" (410).
 * - {@link Cacher.snapshot} reads the state of any revision since the floor; a snapshot passed to
 *   {@link Cacher.retain} (a paged list's) is kept `snapshotTtlMs` after its last use, so each
 *   page of a list costs O(page + log n) (see `state.ts`).
 */
import {
  type Clock,
  type Logger,
  type Timer,
  StatusError,
  newTooManyRequests,
  realClock,
} from '../../common/index.js';
import type { KeyValue, Storage, Watch, WatchBatch } from '../../store/index.js';
import * as defaults from '../defaults.js';
import { BookmarkScheduler } from './bookmarks.js';
import { PendingWrites, type PendingWrite } from './pending.js';
import { CacheState, type CacheSnapshot } from './state.js';
import type { CacheEvent, CachedObject } from './types.js';
import { CacheWatcher, restamp, type CacheWatcherOptions } from './watcher.js';

export interface CacherOptions {
  storage: Storage;
  /** Key prefix of the resource, ending in `/`. */
  prefix: string;
  /** Builds a cache entry from a stored key-value (decode, labels, field values). */
  decode(kv: KeyValue): CachedObject;
  clock?: Clock;
  logger?: Logger;
  historyMs?: number;
  maxEvents?: number;
  bookmarkIntervalMs?: number;
  bookmarkTickMs?: number;
  /** Page size of the initial list from storage. */
  listPageSize?: number;
  /** See {@link Cacher.retain}; defaults `watchCacheSnapshotTtlMs`, `watchCacheMaxSnapshots`. */
  snapshotTtlMs?: number;
  maxSnapshots?: number;
  /**
   * Whether the store's progress notifications can be trusted to mean "every change up to this
   * revision was delivered" (etcd ≥ 3.4.31 / 3.5.13 and the embedded store; older etcd may send
   * one before the events, etcd-io/etcd#15220). When false, only events move the cache's
   * revision, and consistent reads go to storage (see {@link Cacher.progressReliable}).
   * Default true.
   */
  progressReliable?: boolean;
}

interface Waiter {
  rv: number;
  resolve(): void;
  reject(err: Error): void;
  timer: Timer;
}

/** 504 as upstream's `NewTooLargeResourceVersionError`. */
export function tooLargeResourceVersion(rv: number, current: number): StatusError {
  return new StatusError({
    code: 504,
    reason: 'Timeout',
    message: `Timeout: Too large resource version: ${rv}, current: ${current}`,
    details: {
      retryAfterSeconds: defaults.resourceVersionTooHighRetrySeconds,
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    },
  });
}

export class Cacher {
  readonly prefix: string;
  private readonly state = new CacheState();
  private readonly pending = new PendingWrites(defaults.watchCachePendingWrites);
  private readonly watchers = new Set<CacheWatcher>();
  private readonly waiters: Waiter[] = [];
  private readonly readyWaiters: Array<() => void> = [];
  private readonly clock: Clock;
  private storageWatch?: Watch;
  private ready = false;
  private stopped = false;
  private readonly bookmarks: BookmarkScheduler;
  private retryTimer?: Timer;
  private backoffMs = 100;
  private reliable: boolean;

  constructor(private readonly opts: CacherOptions) {
    this.prefix = opts.prefix;
    this.reliable = opts.progressReliable !== false;
    this.clock = opts.clock ?? realClock;
    this.bookmarks = new BookmarkScheduler({
      clock: this.clock,
      intervalMs: opts.bookmarkIntervalMs,
      tickMs: opts.bookmarkTickMs,
      watchers: this.watchers,
      revision: () => this.state.revision,
    });
  }

  /** Starts the list-and-watch loop. */
  start(): void {
    void this.relist();
  }

  /** Stops following storage and closes every watcher. */
  stop(): void {
    this.stopped = true;
    this.storageWatch?.cancel();
    this.retryTimer?.cancel();
    this.bookmarks.stop();
    this.closeAllWatchers();
    for (const w of this.waiters.splice(0)) {
      w.timer.cancel();
      w.reject(newTooManyRequests('storage is (re)initializing', 1));
    }
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Resolves when the cache is ready, or rejects with 429 after `timeoutMs`. */
  waitReady(timeoutMs = defaults.cacheWaitTimeoutMs): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        const i = this.readyWaiters.indexOf(done);
        if (i >= 0) this.readyWaiters.splice(i, 1);
        reject(newTooManyRequests('storage is (re)initializing', 1));
      }, timeoutMs);
      const done = () => {
        timer.cancel();
        resolve();
      };
      this.readyWaiters.push(done);
    });
  }

  /**
   * False when the store's progress notifications are unreliable: the cache then cannot prove
   * it is as fresh as the store, and consistent reads must go to storage.
   */
  get progressReliable(): boolean {
    return this.reliable;
  }

  /** Sets {@link CacherOptions.progressReliable} (before `start`, once the store's version is known). */
  setProgressReliable(reliable: boolean): void {
    this.reliable = reliable;
  }

  /** The revision the cache is current at. */
  get revision(): number {
    return this.state.revision;
  }

  /** Changes after this revision are all in the history. */
  get floor(): number {
    return this.state.floor;
  }

  get size(): number {
    return this.state.size;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  get(key: string): CachedObject | undefined {
    return this.state.get(key);
  }

  /** Builds a cache entry from a stored key-value (for reads that bypass the cache). */
  decode(kv: KeyValue): CachedObject {
    return this.opts.decode(kv);
  }

  /** Objects under `prefix` from `from` on, at revision `at` (floor ≤ at ≤ revision). */
  scan(prefix: string, from: string, at?: number): IterableIterator<CachedObject> {
    return this.state.snapshotAt(at).scan(prefix, from);
  }

  /**
   * The state at revision `at` (default: the current revision); requires floor ≤ at ≤
   * {@link Cacher.revision}. O(1) for the current revision or a retained snapshot.
   */
  snapshot(at?: number): CacheSnapshot {
    return this.state.snapshotAt(at, { now: this.clock.now(), ttlMs: this.snapshotTtlMs });
  }

  /**
   * Announces a write the caller is about to make to `key`, with its cache entry already built
   * (see `pending.ts`); {@link Cacher.withdraw} it when the write fails.
   */
  announce(key: string, write: PendingWrite): void {
    this.pending.add(key, write);
  }

  withdraw(key: string, write: PendingWrite): void {
    this.pending.remove(key, write);
  }

  /** Keeps `snapshot` for the pages that follow (a `continue` token names its revision). */
  retain(snapshot: CacheSnapshot): void {
    const now = this.clock.now();
    const max = this.opts.maxSnapshots ?? defaults.watchCacheMaxSnapshots;
    this.state.expireSnapshots(now);
    this.state.retain(snapshot, now + this.snapshotTtlMs, max);
  }

  private get snapshotTtlMs(): number {
    return this.opts.snapshotTtlMs ?? defaults.watchCacheSnapshotTtlMs;
  }

  /** Resolves once the cache has reached `rv`; 504 after `timeoutMs`. */
  waitUntilFresh(rv: number, timeoutMs = defaults.cacheWaitTimeoutMs): Promise<void> {
    if (this.ready && this.state.revision >= rv) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        rv,
        resolve,
        reject,
        timer: this.clock.setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(tooLargeResourceVersion(rv, this.state.revision));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
      if (this.progressReliable) this.storageWatch?.requestProgress();
    });
  }

  /**
   * Registers a watcher from revision `opts.startRv` (≥ floor), first replaying the history
   * after it. With `initial`, instead sends the current state as ADDED events and starts at the
   * current revision; `initialEventsEnd` then follows with the watch-list bookmark.
   */
  watch(
    opts: CacheWatcherOptions & { initial?: boolean; initialEventsEnd?: boolean },
  ): CacheWatcher {
    const initial = opts.initial === true;
    const watcher = new CacheWatcher({
      ...opts,
      startRv: initial ? this.state.revision : opts.startRv,
    });
    if (initial) {
      for (const obj of this.state.snapshotAt().scan(opts.prefix)) {
        if (watcher.matches(obj) && !watcher.sendInitial(obj)) return watcher;
      }
      if (opts.initialEventsEnd && opts.allowBookmarks) watcher.bookmark(this.state.revision, true);
    } else {
      for (const e of this.state.eventsAfter(opts.startRv)) watcher.process(e);
    }
    watcher.flush();
    if (watcher.isClosed) return watcher;
    this.watchers.add(watcher);
    this.bookmarks.schedule(watcher);
    return watcher;
  }

  /** Removes a watcher (the client went away). Idempotent. */
  unwatch(watcher: CacheWatcher): void {
    this.watchers.delete(watcher);
  }

  // -------------------------------------------------------------------------------------------
  // Reflector: list, then watch from the list's revision; relist on failure.
  // -------------------------------------------------------------------------------------------

  private async relist(): Promise<void> {
    if (this.stopped) return;
    try {
      const { objects, revision } = await this.listAll();
      if (this.stopped) return;
      this.state.reset(objects, revision);
      this.pending.clear();
      this.ready = true;
      this.backoffMs = 100;
      for (const done of this.readyWaiters.splice(0)) done();
      this.resolveWaiters();
      this.storageWatch = this.opts.storage.watch(
        {
          key: this.prefix,
          prefix: true,
          startRevision: revision + 1,
          prevKv: true,
          progressNotify: true,
        },
        {
          onBatch: (batch) => this.onBatch(batch),
          onError: (err) => this.onWatchError(err),
        },
      );
    } catch (err) {
      this.opts.logger?.warn({ err, prefix: this.prefix }, 'watch cache list failed; retrying');
      this.scheduleRelist();
    }
  }

  private async listAll(): Promise<{ objects: CachedObject[]; revision: number }> {
    const pageSize = this.opts.listPageSize ?? 1000;
    const objects: CachedObject[] = [];
    let revision = 0;
    let startKey: string | undefined;
    for (;;) {
      const page = await this.opts.storage.list(this.prefix, {
        limit: pageSize,
        revision: revision || undefined,
        startKey,
      });
      revision = page.revision;
      for (const kv of page.kvs) objects.push(this.opts.decode(kv));
      if (!page.more || page.kvs.length === 0) return { objects, revision };
      startKey = `${page.kvs[page.kvs.length - 1]!.key}\u0000`;
    }
  }

  private onWatchError(err: Error): void {
    if (this.stopped) return;
    this.opts.logger?.info({ err: err.message, prefix: this.prefix }, 'watch cache relisting');
    this.ready = false;
    this.storageWatch = undefined;
    this.closeAllWatchers();
    this.scheduleRelist();
  }

  private scheduleRelist(): void {
    if (this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
    this.retryTimer = this.clock.setTimeout(() => void this.relist(), delay);
  }

  private onBatch(batch: WatchBatch): void {
    if (this.stopped) return;
    const now = this.clock.now();
    for (const e of batch.events) {
      const prev = this.state.get(e.kv.key);
      let event: CacheEvent;
      if (e.type === 'put') {
        const object = this.pending.take(e.kv) ?? this.opts.decode(e.kv);
        event = prev
          ? { type: 'MODIFIED', rv: object.rv, key: object.key, object, prev, receivedAt: now }
          : { type: 'ADDED', rv: object.rv, key: object.key, object, receivedAt: now };
      } else {
        const last = prev ?? (e.prevKv ? this.opts.decode(e.prevKv) : undefined);
        if (!last) {
          this.state.advance(e.kv.modRevision);
          continue;
        }
        const object = restamp(last, e.kv.modRevision);
        event = {
          type: 'DELETED',
          rv: e.kv.modRevision,
          key: e.kv.key,
          object,
          prev: last,
          receivedAt: now,
        };
      }
      this.state.apply(event);
      for (const w of this.watchers) {
        w.process(event);
        if (w.isClosed) this.watchers.delete(w);
      }
    }
    for (const w of this.watchers) w.flush();
    if (this.progressReliable) this.state.advance(batch.revision);
    this.trim(now);
    this.resolveWaiters();
  }

  private trim(now: number): void {
    const historyMs = this.opts.historyMs ?? defaults.watchCacheHistoryMs;
    const maxEvents = this.opts.maxEvents ?? defaults.watchCacheMaxEvents;
    this.state.trimHistory(
      (e, remaining) => remaining > maxEvents || now - e.receivedAt > historyMs,
    );
    this.state.expireSnapshots(now);
  }

  private resolveWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (this.ready && this.state.revision >= w.rv) {
        this.waiters.splice(i, 1);
        w.timer.cancel();
        w.resolve();
      }
    }
  }

  private closeAllWatchers(): void {
    for (const w of this.watchers) w.close();
    this.watchers.clear();
  }
}
