/**
 * A priority queue with controller-runtime's semantics (`pkg/controller/priorityqueue`), the
 * controller's default queue:
 *
 * - Each item is queued at most once. Adding an item that is already queued keeps the **highest**
 *   priority and the **earliest** ready time of the two adds.
 * - Ready items are handed out highest priority first, then in the order they were first added.
 *   Initial-list and resync events are added with {@link lowPriority} so fresh changes overtake them.
 * - An item is never handed to two workers at once: an item added while it is being processed is
 *   held and becomes available after {@link PriorityQueue.done}.
 * - Delays (`after`, or the rate limiter's answer for `rateLimited`) run on the injected clock.
 * - Shutdown behaves as {@link Queue}'s: ready items are still handed out, delayed ones are dropped,
 *   and {@link PriorityQueue.shutDownWithDrain} resolves once everything ready was marked done.
 */
import type { Clock, Timer } from '../../common/index.js';
import { defaultPriority } from './defaults.js';
import { Heap, type HeapEntry } from './heap.js';
import type { QueueMetrics } from './metrics.js';
import {
  ShutdownLatch,
  processingProbe,
  queueRuntime,
  type GetResult,
  type QueueOptions,
} from './queue.js';
import type { RateLimitingQueueInterface } from './ratelimiting.js';
import { ItemExponentialFailureRateLimiter, type RateLimiter } from './ratelimiter.js';

/** Options of one {@link PriorityQueue.addWithOpts} call. */
export interface AddOpts {
  /** Milliseconds before the item becomes ready. */
  after?: number;
  /** Wait as the rate limiter says (the shorter of that and `after` wins when both are set). */
  rateLimited?: boolean;
  /** Higher is handed out first. Default 0. */
  priority?: number;
}

export interface PriorityQueueOptions<T> extends QueueOptions {
  /** Default: per-item exponential 5 ms → 1000 s, without the overall bucket (as controller-runtime). */
  rateLimiter?: RateLimiter<T>;
}

interface Entry<T> extends HeapEntry {
  item: T;
  priority: number;
  /** Undefined when ready. */
  readyAt: number | undefined;
  seq: number;
  where: 'ready' | 'delayed' | 'held';
  addedAt: number;
}

export class PriorityQueue<T> implements RateLimitingQueueInterface<T> {
  readonly rateLimiter: RateLimiter<T>;
  private readonly clock: Clock;
  private readonly metrics: QueueMetrics;
  private readonly entries = new Map<T, Entry<T>>();
  private readonly locked = new Map<T, number>();
  private readonly ready = new Heap<Entry<T>>(
    (a, b) => a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq),
  );
  private readonly delayed = new Heap<Entry<T>>(
    (a, b) => a.readyAt! < b.readyAt! || (a.readyAt === b.readyAt && a.seq < b.seq),
  );
  private readonly latch = new ShutdownLatch<GetResult<T> & { priority?: number }>();
  private timer: Timer | undefined;
  private timerAt = Infinity;
  private seq = 0;

  constructor(options: PriorityQueueOptions<T> = {}) {
    ({ clock: this.clock, metrics: this.metrics } = queueRuntime(options));
    this.metrics.trackProcessing(processingProbe(this.clock, this.locked));
    this.rateLimiter = options.rateLimiter ?? new ItemExponentialFailureRateLimiter<T>();
  }

  /** Adds `items` with one set of options (see {@link AddOpts}). Ignored after shutdown. */
  addWithOpts(opts: AddOpts, ...items: T[]): void {
    if (this.latch.shuttingDown) return;
    const priority = opts.priority ?? defaultPriority;
    for (const item of items) {
      let after = opts.after ?? 0;
      if (opts.rateLimited) {
        const limited = this.rateLimiter.when(item);
        if (after <= 0 || limited < after) after = limited;
      }
      const now = this.clock.now();
      const readyAt = after > 0 ? now + after : undefined;
      if (readyAt !== undefined) this.metrics.retry();
      const existing = this.entries.get(item);
      if (!existing) {
        const entry: Entry<T> = {
          item,
          priority,
          readyAt,
          seq: this.seq++,
          where: 'held',
          addedAt: now,
          index: -1,
        };
        this.entries.set(item, entry);
        this.place(entry);
        continue;
      }
      const raised = priority > existing.priority;
      const sooner =
        existing.readyAt !== undefined && (readyAt === undefined || readyAt < existing.readyAt);
      if (!raised && !sooner) continue;
      this.unplace(existing);
      if (raised) existing.priority = priority;
      if (sooner) existing.readyAt = readyAt;
      this.place(existing);
    }
    this.dispatch();
    this.schedule();
  }

  add(item: T): void {
    this.addWithOpts({}, item);
  }

  addAfter(item: T, delayMs: number): void {
    this.addWithOpts({ after: delayMs }, item);
  }

  addRateLimited(item: T): void {
    this.addWithOpts({ rateLimited: true }, item);
  }

  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  /** Items ready to be handed out (not counting delayed or held ones). */
  len(): number {
    return this.ready.size;
  }

  /** Resolves with the next ready item and its priority (see `Queue.get`). */
  getWithPriority(): Promise<GetResult<T> & { priority?: number }> {
    const entry = this.takeReady();
    if (entry)
      return Promise.resolve({ item: entry.item, shutdown: false, priority: entry.priority });
    if (this.latch.shuttingDown) return Promise.resolve({ shutdown: true });
    return new Promise((resolve) => this.latch.waiters.push(resolve));
  }

  get(): Promise<GetResult<T>> {
    return this.getWithPriority();
  }

  tryGet(): T | undefined {
    return this.takeReady()?.item;
  }

  done(item: T): void {
    const started = this.locked.get(item);
    if (started === undefined) return;
    this.locked.delete(item);
    this.metrics.workDuration((this.clock.now() - started) / 1000);
    const held = this.entries.get(item);
    if (held && held.where === 'held') {
      this.place(held);
      this.dispatch();
      this.schedule();
    }
    this.settle();
  }

  shutDown(): void {
    if (!this.latch.begin()) return;
    this.timer?.cancel();
    this.timer = undefined;
    if (this.ready.size === 0) this.latch.release({ shutdown: true });
    this.settle();
  }

  shutDownWithDrain(): Promise<void> {
    const drained = this.latch.drained();
    this.shutDown();
    return drained;
  }

  shuttingDown(): boolean {
    return this.latch.shuttingDown;
  }

  /** Items waiting for a delay to pass. */
  waitingCount(): number {
    return this.delayed.size;
  }

  private place(entry: Entry<T>): void {
    if (this.locked.has(entry.item)) {
      entry.where = 'held';
      return;
    }
    if (entry.readyAt !== undefined && entry.readyAt > this.clock.now()) {
      entry.where = 'delayed';
      this.delayed.push(entry);
      return;
    }
    entry.readyAt = undefined;
    entry.where = 'ready';
    this.ready.push(entry);
    this.metrics.add();
    this.metrics.depth(1, entry.priority);
  }

  private unplace(entry: Entry<T>): void {
    if (entry.where === 'ready') {
      this.ready.remove(entry);
      this.metrics.depth(-1, entry.priority);
    } else if (entry.where === 'delayed') {
      this.delayed.remove(entry);
    }
    entry.where = 'held';
  }

  private takeReady(): Entry<T> | undefined {
    const entry = this.ready.pop();
    if (!entry) return undefined;
    const now = this.clock.now();
    this.entries.delete(entry.item);
    this.metrics.depth(-1, entry.priority);
    this.metrics.queueLatency((now - entry.addedAt) / 1000);
    this.locked.set(entry.item, now);
    if (this.latch.shuttingDown && this.ready.size === 0) this.latch.release({ shutdown: true });
    return entry;
  }

  private dispatch(): void {
    while (this.latch.waiters.length > 0 && this.ready.size > 0) {
      const entry = this.takeReady()!;
      this.latch.waiters.shift()!({ item: entry.item, shutdown: false, priority: entry.priority });
    }
  }

  private schedule(): void {
    if (this.latch.shuttingDown) return;
    const head = this.delayed.peek();
    if (!head) return;
    if (this.timer && this.timerAt <= head.readyAt!) return;
    this.timer?.cancel();
    this.timerAt = head.readyAt!;
    this.timer = this.clock.setTimeout(() => this.fire(), head.readyAt! - this.clock.now());
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.latch.shuttingDown) return;
    const now = this.clock.now();
    for (let head = this.delayed.peek(); head && head.readyAt! <= now; head = this.delayed.peek()) {
      this.delayed.pop();
      this.place(head);
    }
    this.dispatch();
    this.schedule();
  }

  private settle(): void {
    this.latch.settle(this.locked.size === 0 && this.ready.size === 0);
  }
}
