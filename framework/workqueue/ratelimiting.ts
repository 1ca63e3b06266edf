/**
 * The rate-limited queue (client-go `rate_limiting_queue.go`): a delaying queue whose
 * {@link RateLimitingQueue.addRateLimited} waits as long as the rate limiter says.
 * {@link RateLimitingQueue.forget} only clears the limiter's memory of the item; the worker still
 * calls `done`.
 */
import { DelayingQueue, type DelayingQueueInterface } from './delaying.js';
import type { QueueOptions } from './queue.js';
import { defaultControllerRateLimiter, type RateLimiter } from './ratelimiter.js';

export interface RateLimitingQueueInterface<T> extends DelayingQueueInterface<T> {
  /** Adds `item` once the rate limiter allows it. */
  addRateLimited(item: T): void;
  /** Clears the rate limiter's failures for `item`. */
  forget(item: T): void;
  /** Failures the rate limiter counted for `item`. */
  numRequeues(item: T): number;
}

export interface RateLimitingQueueOptions<T> extends QueueOptions {
  /** Default: {@link defaultControllerRateLimiter} on the same clock. */
  rateLimiter?: RateLimiter<T>;
}

export class RateLimitingQueue<T>
  extends DelayingQueue<T>
  implements RateLimitingQueueInterface<T>
{
  readonly rateLimiter: RateLimiter<T>;

  constructor(options: RateLimitingQueueOptions<T> = {}) {
    super(options);
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}
