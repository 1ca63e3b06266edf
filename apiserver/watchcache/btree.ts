/**
 * A sorted map from string keys to values — a B+tree whose branches count the entries below
 * them — with O(1) snapshots, as upstream's watch cache keeps its objects in a `google/btree`
 * and clones it lazily for paginated lists (KEP-4988).
 *
 * Guarantees:
 * - Keys are ordered by UTF-16 code unit (`<`), which is byte order for the ASCII keys Kubernetes
 *   stores.
 * - `get`, `set`, `delete`, {@link BTreeView.rank} and {@link BTreeView.count} cost O(log n);
 *   {@link BTreeView.values} costs O(log n) to start and O(1) amortised per value.
 * - {@link BTree.snapshot} costs O(1): the snapshot never changes afterwards. Nodes are shared
 *   copy-on-write (each node is owned by one edit token; a write first copies every node on its
 *   path that an older token owns), so a write after a snapshot copies O(log n) small arrays and a
 *   write with no snapshot outstanding copies nothing.
 * - Iterating a {@link BTree} while writing to it is undefined; iterate a snapshot instead.
 */

/** Entries per node before it splits. */
const maxEntries = 64;
/** Entries below which a node merges with (or borrows from) a sibling. */
const minEntries = maxEntries >> 2;

type Token = object;

class Leaf<V> {
  constructor(
    public owner: Token,
    public keys: string[],
    public values: V[],
  ) {}
  get size(): number {
    return this.keys.length;
  }
}

class Branch<V> {
  constructor(
    public owner: Token,
    /** `keys[i]` ≤ every key under `children[i]` (for i ≥ 1) and > every key under `children[i-1]`. */
    public keys: string[],
    public children: Array<Node<V>>,
    /** Entries under each child. */
    public sizes: number[],
    /** Entries under this branch. */
    public size: number,
  ) {}
}

type Node<V> = Leaf<V> | Branch<V>;

/** Read access shared by a tree and its snapshots. */
export interface BTreeView<V> {
  readonly size: number;
  get(key: string): V | undefined;
  /** Number of keys `< key`. */
  rank(key: string): number;
  /** Number of keys in [`from`, `to`). */
  count(from: string, to: string): number;
  /** Values whose keys are in [`from`, `to`) (`to` omitted: to the end), in key order. */
  values(from: string, to?: string): IterableIterator<V>;
}

/** First index whose key is >= `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The child of `branch` whose range holds `key`: the last separator ≤ key (0 when none is). */
function childIndex(keys: readonly string[], key: string): number {
  let lo = 1;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function lengthOf<V>(node: Node<V>): number {
  return node instanceof Leaf ? node.keys.length : node.children.length;
}

/** In-order values from the first key ≥ `from` while keys are < `to`. */
function* valuesIn<V>(root: Node<V>, from: string, to: string | undefined): Generator<V> {
  const path: Array<{ branch: Branch<V>; index: number }> = [];
  let node = root;
  while (node instanceof Branch) {
    const index = childIndex(node.keys, from);
    path.push({ branch: node, index });
    node = node.children[index]!;
  }
  let leaf: Leaf<V> = node;
  let i = lowerBound(leaf.keys, from);
  for (;;) {
    for (; i < leaf.keys.length; i++) {
      if (to !== undefined && leaf.keys[i]! >= to) return;
      yield leaf.values[i]!;
    }
    // Climb to the first ancestor with a next child, then down its leftmost path.
    let level = path.length - 1;
    while (level >= 0 && path[level]!.index + 1 >= path[level]!.branch.children.length) level--;
    if (level < 0) return;
    path.length = level + 1;
    const top = path[level]!;
    top.index++;
    let next = top.branch.children[top.index]!;
    while (next instanceof Branch) {
      path.push({ branch: next, index: 0 });
      next = next.children[0]!;
    }
    leaf = next;
    i = 0;
  }
}

/** Read access over a root node; a {@link BTree} and its snapshots. */
class View<V> implements BTreeView<V> {
  constructor(protected root: Node<V>) {}
  get size(): number {
    return this.root.size;
  }
  get(key: string): V | undefined {
    let node = this.root;
    while (node instanceof Branch) node = node.children[childIndex(node.keys, key)]!;
    const i = lowerBound(node.keys, key);
    return node.keys[i] === key ? node.values[i] : undefined;
  }
  rank(key: string): number {
    let rank = 0;
    let node = this.root;
    while (node instanceof Branch) {
      const i = childIndex(node.keys, key);
      for (let j = 0; j < i; j++) rank += node.sizes[j]!;
      node = node.children[i]!;
    }
    return rank + lowerBound(node.keys, key);
  }
  count(from: string, to: string): number {
    return to <= from ? 0 : this.rank(to) - this.rank(from);
  }
  values(from: string, to?: string): IterableIterator<V> {
    return valuesIn(this.root, from, to);
  }
}

export class BTree<V> extends View<V> {
  private token: Token;

  constructor() {
    const token = {};
    super(new Leaf<V>(token, [], []));
    this.token = token;
  }

  /** A tree of `entries`, which must be sorted by key without duplicates. O(n). */
  static fromSorted<V>(entries: ReadonlyArray<readonly [string, V]>): BTree<V> {
    const tree = new BTree<V>();
    const token = tree.token;
    // Leaves three-quarters full leave room for inserts without immediate splits.
    const fill = (maxEntries * 3) >> 2;
    let level: Array<Node<V>> = [];
    for (let i = 0; i < entries.length; i += fill) {
      const chunk = entries.slice(i, i + fill);
      level.push(
        new Leaf<V>(
          token,
          chunk.map((e) => e[0]),
          chunk.map((e) => e[1]),
        ),
      );
    }
    if (level.length === 0) return tree;
    const firstKey = (n: Node<V>): string => n.keys[0]!;
    while (level.length > 1) {
      const up: Array<Node<V>> = [];
      for (let i = 0; i < level.length; i += fill) {
        const children = level.slice(i, i + fill);
        const sizes = children.map((c) => c.size);
        up.push(
          new Branch<V>(
            token,
            children.map(firstKey),
            children,
            sizes,
            sizes.reduce((a, b) => a + b, 0),
          ),
        );
      }
      level = up;
    }
    tree.root = level[0]!;
    return tree;
  }

  /** An immutable view of the tree as it is now. O(1). */
  snapshot(): BTreeView<V> {
    this.token = {};
    return new View(this.root);
  }

  /** A mutable copy sharing every node with this tree until either writes. O(1). */
  clone(): BTree<V> {
    this.token = {};
    const copy = new BTree<V>();
    copy.root = this.root;
    return copy;
  }

  /** Inserts or replaces. */
  set(key: string, value: V): void {
    this.root = this.own(this.root);
    const right = this.insert(this.root, key, value);
    if (right) {
      const left = this.root;
      this.root = new Branch<V>(
        this.token,
        [left.keys[0] ?? key, right.keys[0]!],
        [left, right],
        [left.size, right.size],
        left.size + right.size,
      );
    }
  }

  /** Removes `key`; false when it was absent. */
  delete(key: string): boolean {
    if (!this.has(key)) return false;
    this.root = this.own(this.root);
    this.remove(this.root, key);
    while (this.root instanceof Branch && this.root.children.length === 1) {
      this.root = this.root.children[0]!;
    }
    return true;
  }

  /** Whether `key` is present (values may be `undefined`). */
  has(key: string): boolean {
    let node = this.root;
    while (node instanceof Branch) node = node.children[childIndex(node.keys, key)]!;
    return node.keys[lowerBound(node.keys, key)] === key;
  }

  /** `node`, or a copy of it owned by the current token (copy-on-write). */
  private own<N extends Node<V>>(node: N): N {
    if (node.owner === this.token) return node;
    if (node instanceof Leaf) {
      return new Leaf<V>(this.token, node.keys.slice(), node.values.slice()) as N;
    }
    const b = node as Branch<V>;
    return new Branch<V>(
      this.token,
      b.keys.slice(),
      b.children.slice(),
      b.sizes.slice(),
      b.size,
    ) as N;
  }

  /** Inserts into an owned node; returns the new right sibling when the node split. */
  private insert(node: Node<V>, key: string, value: V): Node<V> | undefined {
    if (node instanceof Leaf) {
      const i = lowerBound(node.keys, key);
      if (node.keys[i] === key) {
        node.values[i] = value;
        return undefined;
      }
      node.keys.splice(i, 0, key);
      node.values.splice(i, 0, value);
      return node.keys.length > maxEntries ? this.splitLeaf(node) : undefined;
    }
    const i = childIndex(node.keys, key);
    const child = this.own(node.children[i]!);
    node.children[i] = child;
    const before = child.size;
    const right = this.insert(child, key, value);
    node.size += child.size + (right?.size ?? 0) - before;
    node.sizes[i] = child.size;
    if (!right) return undefined;
    node.children.splice(i + 1, 0, right);
    node.keys.splice(i + 1, 0, right.keys[0]!);
    node.sizes.splice(i + 1, 0, right.size);
    return node.children.length > maxEntries ? this.splitBranch(node) : undefined;
  }

  private splitLeaf(leaf: Leaf<V>): Leaf<V> {
    const half = leaf.keys.length >> 1;
    return new Leaf<V>(this.token, leaf.keys.splice(half), leaf.values.splice(half));
  }

  private splitBranch(branch: Branch<V>): Branch<V> {
    const half = branch.children.length >> 1;
    const sizes = branch.sizes.splice(half);
    const moved = sizes.reduce((a, b) => a + b, 0);
    branch.size -= moved;
    return new Branch<V>(
      this.token,
      branch.keys.splice(half),
      branch.children.splice(half),
      sizes,
      moved,
    );
  }

  /** Removes a key known to be present from an owned node, rebalancing children that shrink. */
  private remove(node: Node<V>, key: string): void {
    if (node instanceof Leaf) {
      const i = lowerBound(node.keys, key);
      node.keys.splice(i, 1);
      node.values.splice(i, 1);
      return;
    }
    const i = childIndex(node.keys, key);
    const child = this.own(node.children[i]!);
    node.children[i] = child;
    this.remove(child, key);
    node.sizes[i]!--;
    node.size--;
    if (lengthOf(child) < minEntries && node.children.length > 1) this.rebalance(node, i);
  }

  /**
   * Merges child `i` of an owned branch with a neighbour; when the two hold more than a node
   * may, splits them evenly again instead.
   */
  private rebalance(node: Branch<V>, i: number): void {
    const l = i + 1 < node.children.length ? i : i - 1;
    const r = l + 1;
    const left = node.children[l]!;
    const right = node.children[r]!;
    let merged: Node<V>;
    if (left instanceof Leaf && right instanceof Leaf) {
      merged = new Leaf<V>(
        this.token,
        [...left.keys, ...right.keys],
        [...left.values, ...right.values],
      );
    } else {
      const lb = left as Branch<V>;
      const rb = right as Branch<V>;
      // The parent's separator bounds `right` from below; its own first key may not.
      merged = new Branch<V>(
        this.token,
        [...lb.keys, node.keys[r]!, ...rb.keys.slice(1)],
        [...lb.children, ...rb.children],
        [...lb.sizes, ...rb.sizes],
        lb.size + rb.size,
      );
    }
    if (lengthOf(merged) <= maxEntries) {
      node.children.splice(l, 2, merged);
      node.keys.splice(r, 1);
      node.sizes.splice(l, 2, merged.size);
      return;
    }
    const second = merged instanceof Leaf ? this.splitLeaf(merged) : this.splitBranch(merged);
    node.children.splice(l, 2, merged, second);
    node.keys[r] = second.keys[0]!;
    node.sizes.splice(l, 2, merged.size, second.size);
  }
}
