/**
 * A small work queue of CRD names with one worker, as client-go's workqueue is used by the
 * apiextensions controllers: a name queued several times before it is processed is processed
 * once; a name is never processed by two syncs at once; a failed sync is retried after an
 * exponential backoff (`retryBaseDelayMs` · 2^failures, at most `retryMaxDelayMs`) on the clock,
 * and a success forgets the failures. {@link SyncQueue.addAfter} queues a name later (polling).
 * After {@link SyncQueue.stop} nothing runs any more.
 */
import type { Clock, Logger, Timer } from '../../common/index.js';
import * as defaults from './defaults.js';

export class SyncQueue {
  private readonly pending = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, Timer>();
  private readonly idle: Array<() => void> = [];
  private running = false;
  private stopped = false;

  constructor(
    private readonly sync: (name: string) => Promise<void>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  add(name: string): void {
    if (this.stopped) return;
    this.pending.add(name);
    if (!this.running) void this.run();
  }

  /** Queues `name` after `ms` (replacing an earlier delayed add of it). */
  addAfter(name: string, ms: number): void {
    if (this.stopped) return;
    this.timers.get(name)?.cancel();
    this.timers.set(
      name,
      this.clock.setTimeout(() => {
        this.timers.delete(name);
        this.add(name);
      }, ms),
    );
  }

  /** Resolves once nothing is queued or running (delayed adds do not count). */
  whenIdle(): Promise<void> {
    if (!this.running && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const r of this.idle.splice(0)) r();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (!this.stopped && this.pending.size > 0) {
        const name = this.pending.values().next().value as string;
        this.pending.delete(name);
        try {
          await this.sync(name);
          this.failures.delete(name);
        } catch (err) {
          const n = (this.failures.get(name) ?? 0) + 1;
          this.failures.set(name, n);
          const delay = Math.min(defaults.retryBaseDelayMs * 2 ** n, defaults.retryMaxDelayMs);
          this.logger.warn({ err, crd: name, retryInMs: delay }, 'CRD sync failed');
          this.addAfter(name, delay);
        }
      }
    } finally {
      this.running = false;
      if (this.pending.size === 0) for (const r of this.idle.splice(0)) r();
    }
  }
}
