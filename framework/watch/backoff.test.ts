import { FakeClock } from '../../common/index.js';
import { Backoff } from './backoff.js';
import { WatchDecoder, WatchDecodeError, type RawWatchEvent } from './decoder.js';

describe('Backoff', () => {
  test.each([
    ['no jitter', 0, [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]],
    ['full jitter at its maximum', 0.999999, [1600, 3200, 6400, 12800, 25600, 51200, 60000, 60000]],
  ])('with %s the delays follow 800 ms ×2 capped at 30 s', (_name, r, expected) => {
    const backoff = new Backoff({ clock: new FakeClock(), random: () => r });
    expect(expected.map(() => backoff.next())).toEqual(expected);
  });

  test('two minutes without a failure start the backoff over', () => {
    const clock = new FakeClock();
    const backoff = new Backoff({ clock, random: () => 0 });
    backoff.next();
    backoff.next();
    clock.step(119_999);
    expect(backoff.next()).toBe(3200);
    clock.step(120_000);
    expect(backoff.next()).toBe(800);
  });
});

describe('WatchDecoder', () => {
  const collect = (chunks: Buffer[]): RawWatchEvent[] => {
    const out: RawWatchEvent[] = [];
    const d = new WatchDecoder();
    for (const c of chunks) d.push(c, (e) => out.push(e));
    d.end((e) => out.push(e));
    return out;
  };

  test('a line torn across chunks, inside a multi-byte character, is reassembled', () => {
    const line = Buffer.from(JSON.stringify({ type: 'ADDED', object: { name: 'héllo' } }) + '\n');
    const cut = line.indexOf(0xc3) + 1; // in the middle of "é"
    expect(collect([line.subarray(0, 5), line.subarray(5, cut), line.subarray(cut)])).toEqual([
      { type: 'ADDED', object: { name: 'héllo' } },
    ]);
  });

  test('several events in one chunk and a last line without newline are all decoded', () => {
    const text =
      '{"type":"ADDED","object":1}\n{"type":"DELETED","object":2}\n{"type":"BOOKMARK","object":3}';
    expect(collect([Buffer.from(text)]).map((e) => e.type)).toEqual([
      'ADDED',
      'DELETED',
      'BOOKMARK',
    ]);
  });

  test('a line that is not JSON is an error, not silently dropped', () => {
    expect(() => collect([Buffer.from('{"type":"ADDED"\n')])).toThrow(WatchDecodeError);
  });
});
