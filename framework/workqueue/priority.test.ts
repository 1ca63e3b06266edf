import { FakeClock, flushPromises } from '../../common/index.js';
import { lowPriority } from './defaults.js';
import { PriorityQueue } from './priority.js';

describe('PriorityQueue', () => {
  test('higher priority is handed out first, then first-added order', () => {
    const q = new PriorityQueue<string>({ clock: new FakeClock() });
    q.addWithOpts({ priority: lowPriority }, 'initial-1', 'initial-2');
    q.add('fresh-1');
    q.add('fresh-2');
    expect([q.tryGet(), q.tryGet(), q.tryGet(), q.tryGet()]).toEqual([
      'fresh-1',
      'fresh-2',
      'initial-1',
      'initial-2',
    ]);
  });

  test('re-adding a queued item keeps the highest priority', () => {
    const q = new PriorityQueue<string>({ clock: new FakeClock() });
    q.addWithOpts({ priority: lowPriority }, 'a');
    q.add('b');
    q.addWithOpts({ priority: 10 }, 'a');
    q.addWithOpts({ priority: lowPriority }, 'a');
    expect(q.len()).toBe(2);
    expect(q.tryGet()).toBe('a');
  });

  test.each([
    ['an immediate add overrides a pending delay', [{ after: 1000 }, {}], 0],
    ['the earlier of two delays wins', [{ after: 1000 }, { after: 100 }], 100],
    ['a later delay does not postpone', [{ after: 100 }, { after: 1000 }], 100],
    ['a delay does not postpone a ready item', [{}, { after: 1000 }], 0],
  ])('%s', (_name, adds, readyAfter) => {
    const clock = new FakeClock();
    const q = new PriorityQueue<string>({ clock });
    for (const opts of adds) q.addWithOpts(opts, 'a');
    if (readyAfter > 0) {
      clock.step(readyAfter - 1);
      expect(q.len()).toBe(0);
      clock.step(1);
    }
    expect(q.len()).toBe(1);
    expect(q.tryGet()).toBe('a');
    expect(q.tryGet()).toBeUndefined();
  });

  test('an item added while being processed is held until done', () => {
    const q = new PriorityQueue<string>({ clock: new FakeClock() });
    q.add('a');
    expect(q.tryGet()).toBe('a');
    q.add('a');
    expect(q.len()).toBe(0);
    q.done('a');
    expect(q.tryGet()).toBe('a');
  });

  test('rateLimited uses the per-item exponential limiter by default', () => {
    const clock = new FakeClock();
    const q = new PriorityQueue<string>({ clock });
    q.addRateLimited('a');
    clock.step(4);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.tryGet()).toBe('a');
    q.done('a');
    q.addRateLimited('a');
    clock.step(9);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.len()).toBe(1);
  });

  test('getWithPriority resolves a waiter with the item and its priority', async () => {
    const q = new PriorityQueue<string>({ clock: new FakeClock() });
    const waiting = q.getWithPriority();
    q.addWithOpts({ priority: 7 }, 'a');
    await expect(waiting).resolves.toEqual({ item: 'a', shutdown: false, priority: 7 });
  });

  test('shutDownWithDrain waits for ready and processing items', async () => {
    const q = new PriorityQueue<string>({ clock: new FakeClock() });
    q.add('a');
    q.add('b');
    q.addAfter('later', 1000);
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    q.done(q.tryGet()!);
    await flushPromises();
    expect(drained).toBe(false);
    q.done(q.tryGet()!);
    await drain;
    expect(await q.get()).toEqual({ shutdown: true });
  });
});
