/**
 * Periodic bookmarks of a watch cache (upstream's `watcherBookmarkTimeBuckets`): every watcher
 * that allows them gets a BOOKMARK at the cache's revision about every `intervalMs`, and one
 * `bookmarkBeforeDeadlineMs` before its deadline, so a client can resume close to where its watch
 * ended. A timer ticks every `tickMs` while any watcher exists; closed watchers found on a tick
 * are dropped from the set.
 */
import type { Clock, Timer } from '../../common/index.js';
import * as defaults from '../defaults.js';
import type { CacheWatcher } from './watcher.js';

export interface BookmarkSchedulerOptions {
  clock: Clock;
  /** Default `defaults.bookmarkIntervalMs`. */
  intervalMs?: number;
  /** Default `defaults.bookmarkTickMs`. */
  tickMs?: number;
  /** The cache's watchers (shared with it). */
  watchers: Set<CacheWatcher>;
  /** The cache's current revision. */
  revision(): number;
}

export class BookmarkScheduler {
  private timer?: Timer;
  private stopped = false;

  constructor(private readonly opts: BookmarkSchedulerOptions) {}

  /** Plans the first bookmark of a watcher just added to the set. */
  schedule(w: CacheWatcher): void {
    w.nextBookmarkAt = this.nextTime(w);
    this.ensureTimer();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private nextTime(w: CacheWatcher): number {
    const interval = this.opts.intervalMs ?? defaults.bookmarkIntervalMs;
    let next = this.opts.clock.now() + interval;
    if (w.deadline !== undefined) {
      next = Math.min(next, w.deadline - defaults.bookmarkBeforeDeadlineMs);
    }
    return next;
  }

  private ensureTimer(): void {
    if (this.timer || this.stopped) return;
    const tick = this.opts.tickMs ?? defaults.bookmarkTickMs;
    this.timer = this.opts.clock.setTimeout(() => {
      this.timer = undefined;
      this.sendDue();
      if (this.opts.watchers.size > 0) this.ensureTimer();
    }, tick);
  }

  private sendDue(): void {
    const now = this.opts.clock.now();
    for (const w of this.opts.watchers) {
      if (w.isClosed) {
        this.opts.watchers.delete(w);
        continue;
      }
      if (!w.allowBookmarks || now < w.nextBookmarkAt) continue;
      w.bookmark(this.opts.revision());
      const next = this.nextTime(w);
      w.nextBookmarkAt = w.deadline !== undefined && next <= now ? Infinity : next;
    }
  }
}
