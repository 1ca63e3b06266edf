import { FakeClock } from '../../common/index.js';
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  WithMaxWaitRateLimiter,
  defaultControllerRateLimiter,
} from './ratelimiter.js';

describe('ItemExponentialFailureRateLimiter', () => {
  test.each([
    [1, 5],
    [2, 10],
    [3, 20],
    [4, 40],
    [11, 5120],
    [18, 655_360],
    [19, 1_000_000], // 2^18 · 5 ms = 1310 s is past the 1000 s cap
    [60, 1_000_000],
    [2000, 1_000_000], // 2^1999 overflows to Infinity and still answers the cap
  ])('failure #%i of one item waits %i ms with the 5 ms → 1000 s defaults', (n, expected) => {
    const limiter = new ItemExponentialFailureRateLimiter<string>();
    let delay = 0;
    for (let i = 0; i < n; i++) delay = limiter.when('a');
    expect(delay).toBe(expected);
    expect(limiter.numRequeues('a')).toBe(n);
  });

  test('items back off independently and forget resets one item only', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>({
      baseDelayMs: 1,
      maxDelayMs: 1000,
    });
    limiter.when('a');
    limiter.when('a');
    expect(limiter.when('b')).toBe(1);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(1);
    expect(limiter.numRequeues('b')).toBe(1);
  });
});

describe('ItemFastSlowRateLimiter', () => {
  test.each([
    [1, 5],
    [3, 5],
    [4, 10_000],
  ])('attempt #%i with 3 fast attempts waits %i ms', (n, expected) => {
    const limiter = new ItemFastSlowRateLimiter<string>({
      fastDelayMs: 5,
      slowDelayMs: 10_000,
      maxFastAttempts: 3,
    });
    let delay = 0;
    for (let i = 0; i < n; i++) delay = limiter.when('x');
    expect(delay).toBe(expected);
  });
});

describe('BucketRateLimiter', () => {
  test('the first 100 items pass at once and the 101st waits 100 ms (10 qps, burst 100)', () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter<number>({ clock });
    for (let i = 0; i < 100; i++) expect(limiter.when(i)).toBe(0);
    expect(limiter.when(100)).toBeCloseTo(100);
    expect(limiter.when(101)).toBeCloseTo(200);
  });

  test('tokens refill at qps as the clock moves, up to the burst', () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter<number>({ clock, qps: 10, burst: 2 });
    limiter.when(1);
    limiter.when(2);
    expect(limiter.when(3)).toBeCloseTo(100);
    clock.step(10_000);
    expect(limiter.when(4)).toBe(0);
    expect(limiter.when(5)).toBe(0);
    expect(limiter.when(6)).toBeCloseTo(100);
  });
});

describe('combinators', () => {
  test('MaxOf answers the longest delay and the most requeues', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter<string>(clock);
    // After 100 fast failures the bucket is empty: the bucket's delay beats the item's 5 ms.
    for (let i = 0; i < 100; i++) limiter.when(`k${i}`);
    expect(limiter.when('fresh')).toBeCloseTo(100);
    expect(limiter.numRequeues('fresh')).toBe(1);
  });

  test('MaxOf forgets in every limiter', () => {
    const a = new ItemExponentialFailureRateLimiter<string>();
    const b = new ItemFastSlowRateLimiter<string>({
      fastDelayMs: 1,
      slowDelayMs: 2,
      maxFastAttempts: 1,
    });
    const max = new MaxOfRateLimiter(a, b);
    max.when('x');
    max.when('x');
    max.forget('x');
    expect(a.numRequeues('x')).toBe(0);
    expect(b.numRequeues('x')).toBe(0);
  });

  test('WithMaxWait caps the wrapped limiter', () => {
    const limiter = new WithMaxWaitRateLimiter(
      new ItemExponentialFailureRateLimiter<string>({ baseDelayMs: 1000, maxDelayMs: 100_000 }),
      1500,
    );
    expect(limiter.when('x')).toBe(1000);
    expect(limiter.when('x')).toBe(1500);
    expect(limiter.numRequeues('x')).toBe(2);
  });
});
