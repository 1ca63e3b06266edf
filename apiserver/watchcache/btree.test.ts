import { BTree, type BTreeView } from './btree.js';

/** A deterministic pseudo-random sequence (mulberry32), so failures replay. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const key = (i: number) => `/registry/pods/ns-${i % 7}/pod-${String(i).padStart(5, '0')}`;

/** What the tree should hold: a plain map, sorted on demand. */
class Model {
  readonly map = new Map<string, number>();
  sorted(): string[] {
    return [...this.map.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

function expectSame(view: BTreeView<number>, model: Model, next: () => number): void {
  const keys = model.sorted();
  expect(view.size).toBe(keys.length);
  expect([...view.values('')]).toEqual(keys.map((k) => model.map.get(k)));
  for (let probe = 0; probe < 20; probe++) {
    const a = key(Math.floor(next() * 4000));
    const b = key(Math.floor(next() * 4000));
    const [from, to] = a < b ? [a, b] : [b, a];
    const inRange = keys.filter((k) => k >= from && k < to);
    expect(view.count(from, to)).toBe(inRange.length);
    expect(view.rank(from)).toBe(keys.filter((k) => k < from).length);
    expect([...view.values(from, to)]).toEqual(inRange.map((k) => model.map.get(k)));
    expect(view.get(a)).toBe(model.map.get(a));
  }
}

describe('BTree', () => {
  test.each([1, 2, 3])(
    'random inserts, replacements and deletes agree with a sorted map (seed %i)',
    (seed) => {
      const next = random(seed);
      const tree = new BTree<number>();
      const model = new Model();
      for (let op = 0; op < 6000; op++) {
        const k = key(Math.floor(next() * 3000));
        // Grow first, then shrink, so nodes split and later merge and borrow.
        const deleting = next() < (op < 3000 ? 0.2 : 0.75);
        if (deleting) {
          expect(tree.delete(k)).toBe(model.map.delete(k));
        } else {
          tree.set(k, op);
          model.map.set(k, op);
        }
        if (op % 1000 === 999) expectSame(tree, model, next);
      }
      expectSame(tree, model, next);
    },
  );

  test('a tree grown past three levels and emptied in random order stays consistent', () => {
    const next = random(5);
    const tree = new BTree<number>();
    const model = new Model();
    const order = Array.from({ length: 12_000 }, (_, i) => i).sort(() => next() - 0.5);
    for (const i of order) {
      tree.set(key(i), i);
      model.map.set(key(i), i);
    }
    expectSame(tree, model, next);
    order.sort(() => next() - 0.5);
    order.forEach((i, n) => {
      tree.delete(key(i));
      model.map.delete(key(i));
      if (n % 3000 === 2999) expectSame(tree, model, next);
    });
    expect(tree.size).toBe(0);
    expect([...tree.values('')]).toEqual([]);
  });

  test('a snapshot never changes, whatever the tree does afterwards', () => {
    const next = random(7);
    const tree = new BTree<number>();
    const model = new Model();
    const taken: Array<{ view: BTreeView<number>; expected: Model }> = [];
    for (let op = 0; op < 5000; op++) {
      const k = key(Math.floor(next() * 2000));
      if (next() < 0.4) {
        tree.delete(k);
        model.map.delete(k);
      } else {
        tree.set(k, op);
        model.map.set(k, op);
      }
      if (op % 500 === 0) {
        const expected = new Model();
        for (const [mk, v] of model.map) expected.map.set(mk, v);
        taken.push({ view: tree.snapshot(), expected });
      }
    }
    for (const { view, expected } of taken) expectSame(view, expected, next);
    expectSame(tree, model, next);
  });

  test('a clone and its origin change independently', () => {
    const tree = new BTree<number>();
    for (let i = 0; i < 500; i++) tree.set(key(i), i);
    const copy = tree.clone();
    copy.delete(key(3));
    copy.set(key(4), -4);
    tree.set(key(5), -5);
    expect(tree.get(key(3))).toBe(3);
    expect(tree.get(key(4))).toBe(4);
    expect(copy.get(key(3))).toBeUndefined();
    expect(copy.get(key(4))).toBe(-4);
    expect(copy.get(key(5))).toBe(5);
    expect([tree.size, copy.size]).toEqual([500, 499]);
  });

  test('a tree built from sorted entries matches one built by inserts', () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => [key(i), i] as const).sort((a, b) =>
      a[0] < b[0] ? -1 : 1,
    );
    const bulk = BTree.fromSorted(entries);
    const model = new Model();
    for (const [k, v] of entries) model.map.set(k, v);
    expectSame(bulk, model, random(11));
    // It stays a valid tree under writes.
    for (let i = 0; i < 10_000; i += 3) {
      bulk.delete(key(i));
      model.map.delete(key(i));
    }
    bulk.set(key(20_000), 1);
    model.map.set(key(20_000), 1);
    expectSame(bulk, model, random(12));
  });

  test.each([
    ['an empty tree', [], 'a', undefined, []],
    ['a start between keys', ['a', 'c', 'e'], 'b', undefined, ['c', 'e']],
    ['a start past the end', ['a', 'c'], 'd', undefined, []],
    ['an end equal to a key (exclusive)', ['a', 'c', 'e'], 'a', 'c', ['a']],
    ['an end before the start', ['a', 'c', 'e'], 'c', 'b', []],
    ['a prefix range', ['/a/', '/a/x', '/a0', '/b/y'], '/a/', '/a0', ['/a/', '/a/x']],
  ])('values over %s', (_name, keys, from, to, expected) => {
    const tree = new BTree<string>();
    for (const k of keys as string[]) tree.set(k, k);
    expect([...tree.values(from as string, to as string | undefined)]).toEqual(expected);
    const count = to === undefined ? tree.size - tree.rank(from as string) : tree.count(from, to);
    expect(count).toBe((expected as string[]).length);
  });

  test('deleting an absent key changes nothing and says so', () => {
    const tree = new BTree<number>();
    tree.set('a', 1);
    const view = tree.snapshot();
    expect(tree.delete('b')).toBe(false);
    expect(tree.size).toBe(1);
    expect(view.get('a')).toBe(1);
  });
});
