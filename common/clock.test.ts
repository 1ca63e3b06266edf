import { FakeClock, RealClock } from './clock.js';

describe('FakeClock', () => {
  test('fires timers in due order, ties in creation order, each at its due time', () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 20);
    clock.step(15);
    expect(fired).toEqual(['a@1010']);
    expect(clock.now()).toBe(1015);
    clock.step(5);
    expect(fired).toEqual(['a@1010', 'b@1020', 'c@1020']);
  });

  test('a cancelled timer never fires', () => {
    const clock = new FakeClock();
    let fired = false;
    const t = clock.setTimeout(() => (fired = true), 5);
    t.cancel();
    clock.step(10);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  test('timers scheduled by a firing timer inside the step fire in the same step', () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 3);
    }, 2);
    clock.step(10);
    expect(fired).toEqual([2, 5]);
  });

  test('sleep resolves when time is advanced, and rejects when aborted', async () => {
    const clock = new FakeClock(0);
    let done = false;
    const p = clock.sleep(100).then(() => (done = true));
    await clock.advance(99);
    expect(done).toBe(false);
    await clock.advance(1);
    await p;
    expect(done).toBe(true);

    const ac = new AbortController();
    const aborted = clock.sleep(100, ac.signal);
    ac.abort(new Error('stopped'));
    await expect(aborted).rejects.toThrow('stopped');
  });
});

describe('RealClock', () => {
  test('now() is the wall clock', () => {
    const before = Date.now();
    const now = new RealClock().now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
