import { FakeClock, flushPromises } from '../../common/index.js';
import { DelayingQueue } from './delaying.js';
import { Queue } from './queue.js';
import { RateLimitingQueue } from './ratelimiting.js';
import { ItemExponentialFailureRateLimiter } from './ratelimiter.js';

describe('Queue', () => {
  test('items come out in the order they were first added', () => {
    const q = new Queue<string>();
    for (const k of ['a', 'b', 'c', 'a', 'b']) q.add(k);
    expect(q.len()).toBe(3);
    expect([q.tryGet(), q.tryGet(), q.tryGet(), q.tryGet()]).toEqual(['a', 'b', 'c', undefined]);
  });

  test('an item added while it is processed is handed out again only after done', () => {
    const q = new Queue<string>();
    q.add('a');
    expect(q.tryGet()).toBe('a');
    q.add('a');
    q.add('a');
    expect(q.tryGet()).toBeUndefined();
    q.done('a');
    expect(q.tryGet()).toBe('a');
    q.done('a');
    expect(q.tryGet()).toBeUndefined();
  });

  test('a waiting get resolves when an item is added', async () => {
    const q = new Queue<string>();
    const got = q.get();
    q.add('x');
    await expect(got).resolves.toEqual({ item: 'x', shutdown: false });
  });

  test('waiting gets are served in the order they started', async () => {
    const q = new Queue<string>();
    const first = q.get();
    const second = q.get();
    q.add('a');
    q.add('b');
    expect((await first).item).toBe('a');
    expect((await second).item).toBe('b');
  });

  test('after shutDown adds are ignored but queued items are still handed out', async () => {
    const q = new Queue<string>();
    q.add('a');
    q.shutDown();
    q.add('b');
    await expect(q.get()).resolves.toEqual({ item: 'a', shutdown: false });
    await expect(q.get()).resolves.toEqual({ shutdown: true });
  });

  test('shutDown releases waiting gets with shutdown', async () => {
    const q = new Queue<string>();
    const waiting = q.get();
    q.shutDown();
    await expect(waiting).resolves.toEqual({ shutdown: true });
  });

  test('shutDownWithDrain resolves only after every handed-out item is done', async () => {
    const q = new Queue<string>();
    q.add('a');
    q.add('b');
    const a = q.tryGet()!;
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    await flushPromises();
    expect(drained).toBe(false);
    q.done(a);
    await flushPromises();
    expect(drained).toBe(false); // 'b' is still queued
    const b = q.tryGet()!;
    q.done(b);
    await drain;
    expect(drained).toBe(true);
  });

  test('an item made dirty while processing during a drain is processed before the drain ends', async () => {
    const q = new Queue<string>();
    q.add('a');
    q.tryGet();
    q.add('a');
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    q.done('a');
    await flushPromises();
    expect(drained).toBe(false);
    expect(q.tryGet()).toBe('a');
    q.done('a');
    await drain;
  });
});

describe('DelayingQueue', () => {
  test('addAfter makes the item available once the delay has passed', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 1000);
    clock.step(999);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.tryGet()).toBe('a');
  });

  test.each([
    ['the earlier of two delays wins', [5000, 1000], 1000],
    ['a later second delay does not postpone the item', [1000, 5000], 1000],
  ])('%s', (_name, delays, expectedAt) => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    for (const d of delays) q.addAfter('a', d);
    clock.step(expectedAt - 1);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.len()).toBe(1);
    expect(q.waitingCount()).toBe(0);
  });

  test('delayed items become ready in ready-time order', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('late', 300);
    q.addAfter('early', 100);
    q.addAfter('middle', 200);
    clock.step(300);
    expect([q.tryGet(), q.tryGet(), q.tryGet()]).toEqual(['early', 'middle', 'late']);
  });

  test('a zero or negative delay adds at once', () => {
    const q = new DelayingQueue<string>({ clock: new FakeClock() });
    q.addAfter('a', 0);
    q.addAfter('b', -5);
    expect(q.len()).toBe(2);
  });

  test('shutDown drops waiting items and cancels the timer', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 100);
    q.shutDown();
    clock.step(1000);
    expect(q.len()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('RateLimitingQueue', () => {
  test('addRateLimited backs off per item and forget resets it', () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({
      clock,
      rateLimiter: new ItemExponentialFailureRateLimiter({ baseDelayMs: 10, maxDelayMs: 1000 }),
    });
    q.addRateLimited('a'); // 10 ms
    clock.step(10);
    expect(q.tryGet()).toBe('a');
    q.done('a');
    q.addRateLimited('a'); // 20 ms
    clock.step(19);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.len()).toBe(1);
    expect(q.numRequeues('a')).toBe(2);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });
});
