/**
 * The delaying queue (client-go `delaying_queue.go`): {@link DelayingQueue.addAfter} adds an item
 * once a delay has passed. While an item waits, a second `addAfter` keeps the **earlier** ready
 * time. Waiting items are independent of the queue proper: an item can be queued now and also be
 * waiting to be added again later. Time comes from the injected clock, so tests drive it.
 */
import type { Timer } from '../../common/index.js';
import { Heap, type HeapEntry } from './heap.js';
import { Queue, type QueueInterface, type QueueOptions } from './queue.js';

export interface DelayingQueueInterface<T> extends QueueInterface<T> {
  /** Adds `item` after `delayMs` milliseconds (at once when ≤ 0). Ignored after shutdown. */
  addAfter(item: T, delayMs: number): void;
}

interface Waiting<T> extends HeapEntry {
  item: T;
  readyAt: number;
  seq: number;
}

export class DelayingQueue<T> extends Queue<T> implements DelayingQueueInterface<T> {
  private readonly waiting = new Map<T, Waiting<T>>();
  private readonly heap = new Heap<Waiting<T>>(
    (a, b) => a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq),
  );
  private timer: Timer | undefined;
  private timerAt = Infinity;
  private seq = 0;

  constructor(options: QueueOptions = {}) {
    super(options);
  }

  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown()) return;
    this.metrics.retry();
    if (delayMs <= 0) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + delayMs;
    const existing = this.waiting.get(item);
    if (existing) {
      if (readyAt < existing.readyAt) {
        existing.readyAt = readyAt;
        this.heap.fix(existing);
      }
    } else {
      const entry: Waiting<T> = { item, readyAt, seq: this.seq++, index: -1 };
      this.waiting.set(item, entry);
      this.heap.push(entry);
    }
    this.schedule();
  }

  /** Items waiting for their delay to pass. */
  waitingCount(): number {
    return this.waiting.size;
  }

  protected override onShutDown(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private schedule(): void {
    const head = this.heap.peek();
    if (!head) return;
    if (this.timer && this.timerAt <= head.readyAt) return;
    this.timer?.cancel();
    this.timerAt = head.readyAt;
    this.timer = this.clock.setTimeout(() => this.fire(), head.readyAt - this.clock.now());
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.shuttingDown()) return;
    const now = this.clock.now();
    for (let head = this.heap.peek(); head && head.readyAt <= now; head = this.heap.peek()) {
      this.heap.pop();
      this.waiting.delete(head.item);
      this.add(head.item);
    }
    this.schedule();
  }
}
