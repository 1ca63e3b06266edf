/**
 * An ordered set of entries keyed by byte-string keys, for range scans (etcd keeps a B-tree,
 * `treeIndex`). Stored as a list of sorted chunks of at most {@link maxChunk} entries: insert and
 * delete cost O(log n + chunk), and a scan of k entries O(log n + k), with no lookup per entry.
 */

const maxChunk = 512;

export interface Keyed {
  readonly key: string;
}

export class OrderedKeys<T extends Keyed = Keyed> {
  private chunks: T[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `entry`; false when an entry with its key was already present. */
  insert(entry: T): boolean {
    const key = entry.key;
    if (this.chunks.length === 0) {
      this.chunks.push([entry]);
      this.count = 1;
      return true;
    }
    let ci = this.chunkFor(key);
    if (ci === this.chunks.length) ci--;
    const chunk = this.chunks[ci]!;
    const i = lowerBound(chunk, key);
    if (chunk[i]?.key === key) return false;
    chunk.splice(i, 0, entry);
    this.count++;
    if (chunk.length > maxChunk) {
      this.chunks.splice(ci + 1, 0, chunk.splice(chunk.length >> 1));
    }
    return true;
  }

  /** Removes the entry with `key`; false when absent. */
  delete(key: string): boolean {
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci];
    if (!chunk) return false;
    const i = lowerBound(chunk, key);
    if (chunk[i]?.key !== key) return false;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  get(key: string): T | undefined {
    const chunk = this.chunks[this.chunkFor(key)];
    const found = chunk?.[lowerBound(chunk, key)];
    return found?.key === key ? found : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * Calls `visit` for every entry with a key in `[from, to)` in ascending order (`to === ''` = no
   * upper bound) until it returns `false`.
   */
  forEachInRange(from: string, to: string, visit: (entry: T) => boolean | void): void {
    let ci = this.chunkFor(from);
    if (ci >= this.chunks.length) return;
    let i = lowerBound(this.chunks[ci]!, from);
    for (; ci < this.chunks.length; ci++, i = 0) {
      const chunk = this.chunks[ci]!;
      for (; i < chunk.length; i++) {
        const entry = chunk[i]!;
        if (to !== '' && entry.key >= to) return;
        if (visit(entry) === false) return;
      }
    }
  }

  /** Index of the first chunk whose last key is ≥ `key` (chunks.length when none). */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid]!;
      if (chunk[chunk.length - 1]!.key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(arr: Keyed[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]!.key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
