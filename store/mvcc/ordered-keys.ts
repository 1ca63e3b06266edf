/**
 * An ordered set of byte-string keys for range scans (etcd keeps a B-tree, `treeIndex`). Stored as
 * a list of sorted chunks of at most {@link maxChunk} keys: insert and delete cost O(log n + chunk),
 * and a scan of k keys O(log n + k).
 */

const maxChunk = 512;

export class OrderedKeys {
  private chunks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `key`; false when it was already present. */
  insert(key: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.count = 1;
      return true;
    }
    let ci = this.chunkFor(key);
    if (ci === this.chunks.length) ci--;
    const chunk = this.chunks[ci]!;
    const i = lowerBound(chunk, key);
    if (chunk[i] === key) return false;
    chunk.splice(i, 0, key);
    this.count++;
    if (chunk.length > maxChunk) {
      this.chunks.splice(ci + 1, 0, chunk.splice(chunk.length >> 1));
    }
    return true;
  }

  /** Removes `key`; false when it was absent. */
  delete(key: string): boolean {
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci];
    if (!chunk) return false;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  has(key: string): boolean {
    const chunk = this.chunks[this.chunkFor(key)];
    return chunk !== undefined && chunk[lowerBound(chunk, key)] === key;
  }

  /**
   * Calls `visit` for every key in `[from, to)` in ascending order (`to === ''` = no upper bound)
   * until it returns `false`.
   */
  forEachInRange(from: string, to: string, visit: (key: string) => boolean | void): void {
    let ci = this.chunkFor(from);
    if (ci >= this.chunks.length) return;
    let i = lowerBound(this.chunks[ci]!, from);
    for (; ci < this.chunks.length; ci++, i = 0) {
      const chunk = this.chunks[ci]!;
      for (; i < chunk.length; i++) {
        const key = chunk[i]!;
        if (to !== '' && key >= to) return;
        if (visit(key) === false) return;
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
      if (chunk[chunk.length - 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(arr: string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
