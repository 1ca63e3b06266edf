/**
 * The basic work queue, with client-go's guarantees (`k8s.io/client-go/util/workqueue`):
 *
 * - **Fair**: items are handed out in the order they were first added.
 * - **Stingy**: an item added several times before it is handed out is handed out once; an item is
 *   never handed to two workers at once. An item added again while it is being processed is marked
 *   dirty and handed out again after {@link Queue.done}.
 * - **Shutdown**: after {@link Queue.shutDown} adds are ignored, but {@link Queue.get} keeps handing
 *   out what is queued and reports `shutdown` only once the queue is empty.
 *   {@link Queue.shutDownWithDrain} additionally resolves only when every queued item has been
 *   handed out and marked done; workers must therefore always call `done`.
 *
 * Items are compared with `===` / `SameValueZero` (use strings such as `namespace/name`).
 */
import type { Clock } from '../../common/index.js';
import { realClock } from '../../common/index.js';
import {
  noopQueueMetrics,
  type ProcessingProbe,
  type QueueMetrics,
  type WorkqueueMetricsProvider,
} from './metrics.js';

/** What {@link Queue.get} resolves to. */
export type GetResult<T> = { item: T; shutdown: false } | { item?: undefined; shutdown: true };

export interface QueueOptions {
  /** Names the queue in metrics; an unnamed queue reports none. */
  name?: string;
  /** The controller that owns the queue (the `controller` metric label; default `name`). */
  controller?: string;
  /** Where metrics go (see `framework/metrics`); ignored without `name`. */
  metricsProvider?: WorkqueueMetricsProvider;
  /** Time source for latencies and delays. Default: the real clock. */
  clock?: Clock;
}

/** The interface every queue in this module implements (client-go `TypedInterface`). */
export interface QueueInterface<T> {
  add(item: T): void;
  len(): number;
  get(): Promise<GetResult<T>>;
  /** Hands out the next item now, or `undefined` when none is ready (never waits). */
  tryGet(): T | undefined;
  done(item: T): void;
  shutDown(): void;
  shutDownWithDrain(): Promise<void>;
  shuttingDown(): boolean;
}

/** A FIFO of unique items with O(1) push and shift. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** The clock and metrics a queue runs with, resolved from its options. */
export function queueRuntime(options: QueueOptions): { clock: Clock; metrics: QueueMetrics } {
  return {
    clock: options.clock ?? realClock,
    metrics:
      options.name && options.metricsProvider
        ? options.metricsProvider.newQueueMetrics(options.name, options.controller)
        : noopQueueMetrics,
  };
}

/** Reads in-flight work from a map of item → processing start (ms). */
export function processingProbe(clock: Clock, started: Map<unknown, number>): ProcessingProbe {
  return {
    unfinishedWorkSeconds: () => {
      const now = clock.now();
      let total = 0;
      for (const at of started.values()) total += now - at;
      return total / 1000;
    },
    longestRunningProcessorSeconds: () => {
      const now = clock.now();
      let oldest = now;
      for (const at of started.values()) oldest = Math.min(oldest, at);
      return (now - oldest) / 1000;
    },
  };
}

/** Shutdown bookkeeping shared by the queues: waiting gets and drain waiters. */
export class ShutdownLatch<R> {
  shuttingDown = false;
  readonly waiters: Array<(r: R) => void> = [];
  private drainWaiters: Array<() => void> = [];

  /** Marks the queue as shutting down; false when it already was. */
  begin(): boolean {
    if (this.shuttingDown) return false;
    this.shuttingDown = true;
    return true;
  }

  /** Answers every waiting get with `result`. */
  release(result: R): void {
    for (const w of this.waiters.splice(0)) w(result);
  }

  /** Resolves once {@link settle} is called with `idle` after shutdown began. */
  drained(): Promise<void> {
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  settle(idle: boolean): void {
    if (!this.shuttingDown || !idle) return;
    for (const w of this.drainWaiters.splice(0)) w();
  }
}

export class Queue<T> implements QueueInterface<T> {
  protected readonly clock: Clock;
  protected readonly metrics: QueueMetrics;
  private readonly fifo = new Fifo<T>();
  private readonly dirty = new Set<T>();
  private readonly processing = new Map<T, number>();
  private readonly addedAt = new Map<T, number>();
  private readonly latch = new ShutdownLatch<GetResult<T>>();

  constructor(options: QueueOptions = {}) {
    ({ clock: this.clock, metrics: this.metrics } = queueRuntime(options));
    this.metrics.trackProcessing(processingProbe(this.clock, this.processing));
  }

  /** Marks `item` as needing processing. Ignored after shutdown. */
  add(item: T): void {
    if (this.latch.shuttingDown) return;
    if (this.dirty.has(item)) return;
    this.metrics.add();
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.enqueue(item);
  }

  /** Items waiting to be handed out (not counting those being processed). */
  len(): number {
    return this.fifo.length;
  }

  /**
   * Resolves with the next item, waiting while the queue is empty. Resolves `{shutdown: true}`
   * once the queue is shut down and empty. The caller must call {@link done} with the item.
   */
  get(): Promise<GetResult<T>> {
    const item = this.tryGet();
    if (item !== undefined) return Promise.resolve({ item, shutdown: false });
    if (this.latch.shuttingDown) return Promise.resolve({ shutdown: true });
    return new Promise((resolve) => this.latch.waiters.push(resolve));
  }

  tryGet(): T | undefined {
    if (this.fifo.length === 0) return undefined;
    const item = this.fifo.shift()!;
    this.handOut(item);
    return item;
  }

  /** Marks `item` processed; if it was added again meanwhile, it is queued again. */
  done(item: T): void {
    const started = this.processing.get(item);
    if (started === undefined) return;
    this.metrics.workDuration((this.clock.now() - started) / 1000);
    this.processing.delete(item);
    if (this.dirty.has(item)) this.enqueue(item);
    else this.settle();
  }

  /** Stops accepting adds; waiting `get`s resolve `{shutdown: true}` once the queue is empty. */
  shutDown(): void {
    if (!this.latch.begin()) return;
    this.onShutDown();
    if (this.fifo.length === 0) this.latch.release({ shutdown: true });
    this.settle();
  }

  /**
   * Shuts down and resolves when every queued item has been handed out and marked done. It never
   * resolves if items stay queued with no worker to take them, or a worker never calls `done`.
   */
  shutDownWithDrain(): Promise<void> {
    const drained = this.latch.drained();
    this.shutDown();
    this.settle();
    return drained;
  }

  shuttingDown(): boolean {
    return this.latch.shuttingDown;
  }

  /** Number of items handed out and not yet marked done. */
  processingCount(): number {
    return this.processing.size;
  }

  /** Hook for subclasses (the delaying queue stops its timer). */
  protected onShutDown(): void {}

  private enqueue(item: T): void {
    this.metrics.depth(1);
    if (!this.addedAt.has(item)) this.addedAt.set(item, this.clock.now());
    const waiter = this.latch.waiters.shift();
    if (waiter) {
      this.handOut(item);
      waiter({ item, shutdown: false });
      return;
    }
    this.fifo.push(item);
  }

  private handOut(item: T): void {
    const now = this.clock.now();
    this.metrics.depth(-1);
    const added = this.addedAt.get(item);
    if (added !== undefined) {
      this.metrics.queueLatency((now - added) / 1000);
      this.addedAt.delete(item);
    }
    this.processing.set(item, now);
    this.dirty.delete(item);
    if (this.latch.shuttingDown && this.fifo.length === 0) this.latch.release({ shutdown: true });
  }

  private settle(): void {
    this.latch.settle(this.processing.size === 0 && this.fifo.length === 0);
  }
}
