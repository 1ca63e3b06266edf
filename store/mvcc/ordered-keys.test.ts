import { OrderedKeys } from './ordered-keys.js';
import { inRange, normalizeRangeEnd, prefixEnd } from './keys.js';

describe('OrderedKeys', () => {
  test('keeps keys sorted and unique across chunk splits and merges, like a sorted array', () => {
    const set = new OrderedKeys();
    const model = new Set<string>();
    const entry = (key: string) => ({ key });
    let seed = 7;
    const rand = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    for (let i = 0; i < 6000; i++) {
      const key = `k${rand(3000).toString(36)}`;
      if (rand(3) === 0) expect(set.delete(key)).toBe(model.delete(key));
      else {
        expect(set.insert(entry(key))).toBe(!model.has(key));
        model.add(key);
      }
    }
    const sorted = [...model].sort();
    const seen: string[] = [];
    set.forEachInRange('', '', (e) => void seen.push(e.key));
    expect(seen).toEqual(sorted);
    expect(set.size).toBe(sorted.length);
    const from = sorted[100]!;
    const to = sorted[900]!;
    const window: string[] = [];
    set.forEachInRange(from, to, (e) => void window.push(e.key));
    expect(window).toEqual(sorted.slice(100, 900));
    expect(set.has(from)).toBe(true);
    expect(set.has('nope')).toBe(false);
  });

  test('a visitor returning false stops the scan', () => {
    const set = new OrderedKeys();
    for (const key of ['a', 'b', 'c', 'd']) set.insert({ key });
    const seen: string[] = [];
    set.forEachInRange('a', '', (e) => {
      seen.push(e.key);
      return e.key !== 'b';
    });
    expect(seen).toEqual(['a', 'b']);
  });
});

describe('key helpers', () => {
  test.each([
    ['a prefix increments its last byte', 'abc', 'abd'],
    ['trailing 0xff bytes are dropped before incrementing', 'a\xff\xff', 'b'],
    ['the empty prefix means every key', '', '\0'],
    ['an all-0xff prefix has no end', '\xff\xff', '\0'],
  ])('prefixEnd: %s', (_rule, prefix, end) => {
    expect(prefixEnd(prefix)).toBe(end);
  });

  test.each([
    ['no range end selects one key', undefined, 'k', 'k', true],
    ['no range end selects only that key', undefined, 'k', 'k2', false],
    ['range end \\0 selects every key from key on', '\0', 'k', 'zzz', true],
    ['range end \\0 excludes smaller keys', '\0', 'k', 'a', false],
    ['[key, end) includes key', 'm', 'k', 'k', true],
    ['[key, end) excludes end', 'm', 'k', 'm', false],
  ])('range: %s', (_rule, rangeEnd, key, probe, inside) => {
    expect(inRange(probe, key, normalizeRangeEnd(rangeEnd))).toBe(inside);
  });
});
