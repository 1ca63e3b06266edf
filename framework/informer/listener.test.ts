import { flushPromises } from '../../common/index.js';
import { Listener } from './listener.js';

type Obj = { v: number };
const o = (v: number): Obj => ({ v });

/** A handler whose first call blocks until released, recording every call. */
function blockingHandler() {
  const calls: string[] = [];
  let release!: () => void;
  let first = true;
  const handler = {
    onAdd: (obj: Obj, initial: boolean) => record(`add ${obj.v}${initial ? ' initial' : ''}`),
    onUpdate: (old: Obj, obj: Obj) => record(`update ${old.v}->${obj.v}`),
    onDelete: (obj: Obj, unknown: boolean) => record(`delete ${obj.v}${unknown ? ' unknown' : ''}`),
  };
  function record(call: string): void | Promise<void> {
    calls.push(call);
    if (first) {
      first = false;
      return new Promise<void>((r) => (release = r));
    }
  }
  return { handler, calls, release: () => release() };
}

describe('Listener buffering while a handler is busy', () => {
  test.each([
    [
      'add then update arrive as one add of the latest',
      (l: Listener<Obj>) => {
        l.add('k', o(1), false);
        l.update('k', o(1), o(2));
      },
      ['add 2'],
    ],
    [
      'add then delete cancel out',
      (l: Listener<Obj>) => {
        l.add('k', o(1), false);
        l.delete('k', o(1), false);
      },
      [],
    ],
    [
      'two updates become one from the first old to the last new',
      (l: Listener<Obj>) => {
        l.update('k', o(1), o(2));
        l.update('k', o(2), o(3));
      },
      ['update 1->3'],
    ],
    [
      'update then delete is a delete',
      (l: Listener<Obj>) => {
        l.update('k', o(1), o(2));
        l.delete('k', o(2), true);
      },
      ['delete 2 unknown'],
    ],
    [
      'delete then add (re-create) is an update',
      (l: Listener<Obj>) => {
        l.delete('k', o(1), false);
        l.add('k', o(5), false);
      },
      ['update 1->5'],
    ],
  ])('%s', async (_name, script, expected) => {
    const { handler, calls, release } = blockingHandler();
    const listener = new Listener<Obj>(handler, 1024);
    listener.add('blocker', o(0), false); // occupies the handler
    script(listener);
    expect(listener.waiting).toBe(expected.length);
    release();
    await flushPromises();
    expect(calls).toEqual(['add 0', ...expected]);
  });

  test('the buffer holds one entry per object however many events arrive', () => {
    const { handler } = blockingHandler();
    const listener = new Listener<Obj>(handler, 10);
    listener.add('blocker', o(0), false);
    for (let i = 1; i <= 10_000; i++) listener.update(`k${i % 50}`, o(i - 1), o(i));
    expect(listener.waiting).toBe(50);
  });

  test('order across objects is kept, and a marker fires after what was queued before it', async () => {
    const { handler, calls, release } = blockingHandler();
    const listener = new Listener<Obj>(handler, 1024);
    listener.add('blocker', o(0), false);
    listener.add('a', o(1), true);
    let fired = false;
    listener.marker(() => {
      fired = true;
      calls.push('marker');
    });
    listener.add('b', o(2), false);
    release();
    await flushPromises();
    expect(fired).toBe(true);
    expect(calls).toEqual(['add 0', 'add 1 initial', 'marker', 'add 2']);
  });

  test('a handler that throws skips that notification and keeps receiving', () => {
    const seen: number[] = [];
    const listener = new Listener<Obj>(
      {
        onAdd: (obj) => {
          if (obj.v === 1) throw new Error('boom');
          seen.push(obj.v);
        },
      },
      1024,
    );
    listener.add('a', o(1), false);
    listener.add('b', o(2), false);
    expect(seen).toEqual([2]);
  });
});
