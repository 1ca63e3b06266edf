/**
 * Rate limiters (client-go `default_rate_limiters.go`). A limiter answers how long to wait before
 * an item may be retried. `when` records a failure; `forget` clears an item's history (call it on
 * success); `numRequeues` reports the failures counted so far. All delays are milliseconds.
 */
import type { Clock } from '../../common/index.js';
import { realClock } from '../../common/index.js';
import {
  defaultBucketBurst,
  defaultBucketQps,
  defaultItemBaseDelayMs,
  defaultItemMaxDelayMs,
} from './defaults.js';

export interface RateLimiter<T> {
  /** Milliseconds to wait before `item` is retried; counts one more failure for it. */
  when(item: T): number;
  /** Forgets `item`'s failures (it succeeded). */
  forget(item: T): void;
  /** Failures counted for `item` since it was last forgotten. */
  numRequeues(item: T): number;
}

export interface ItemExponentialFailureOptions {
  /** Delay after the first failure. Default 5 ms. */
  baseDelayMs?: number;
  /** Cap. Default 1000 s. */
  maxDelayMs?: number;
}

/**
 * Per-item exponential backoff: the n-th consecutive failure of an item waits `base · 2ⁿ⁻¹`,
 * capped at `max` (5 ms → 1000 s by default; the cap is reached at the 19th failure).
 */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: ItemExponentialFailureOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? defaultItemBaseDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? defaultItemMaxDelayMs;
  }

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const backoff = this.baseDelayMs * Math.pow(2, exp);
    return Number.isFinite(backoff) && backoff < this.maxDelayMs ? backoff : this.maxDelayMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

export interface ItemFastSlowOptions {
  fastDelayMs: number;
  slowDelayMs: number;
  /** Failures answered with the fast delay before switching to the slow one. */
  maxFastAttempts: number;
}

/** Retries quickly a few times, then slowly (client-go `ItemFastSlowRateLimiter`). */
export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(private readonly options: ItemFastSlowOptions) {}

  when(item: T): number {
    const attempts = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, attempts);
    return attempts <= this.options.maxFastAttempts
      ? this.options.fastDelayMs
      : this.options.slowDelayMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

export interface BucketOptions {
  /** Tokens added per second. Default 10. */
  qps?: number;
  /** Bucket size (and initial fill). Default 100. */
  burst?: number;
  clock?: Clock;
}

/**
 * An overall token bucket shared by all items (client-go `BucketRateLimiter` over
 * `golang.org/x/time/rate`): each `when` takes a token, going into debt when the bucket is empty,
 * and waits until the debt is repaid. It keeps no per-item state.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(options: BucketOptions = {}) {
    this.qps = options.qps ?? defaultBucketQps;
    this.burst = options.burst ?? defaultBucketBurst;
    this.clock = options.clock ?? realClock;
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  when(_item: T): number {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
    }
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The worst (longest) answer of several limiters (client-go `MaxOfRateLimiter`). */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let longest = 0;
    for (const l of this.limiters) longest = Math.max(longest, l.when(item));
    return longest;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    let most = 0;
    for (const l of this.limiters) most = Math.max(most, l.numRequeues(item));
    return most;
  }
}

/** Caps another limiter's delay at `maxDelayMs` (client-go `WithMaxWaitRateLimiter`). */
export class WithMaxWaitRateLimiter<T> implements RateLimiter<T> {
  constructor(
    private readonly limiter: RateLimiter<T>,
    private readonly maxDelayMs: number,
  ) {}

  when(item: T): number {
    return Math.min(this.limiter.when(item), this.maxDelayMs);
  }

  forget(item: T): void {
    this.limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }
}

/**
 * client-go's `DefaultTypedControllerRateLimiter`: per-item 5 ms → 1000 s exponential backoff,
 * and an overall 10 qps / burst 100 bucket; the longer delay wins.
 */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>(),
    new BucketRateLimiter<T>({ clock }),
  );
}
