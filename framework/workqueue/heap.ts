/**
 * A binary min-heap with positions tracked on the entries, so an entry can be re-ordered or removed
 * in O(log n) (the role `container/heap` plays in client-go's delaying queue).
 */

/** An entry the heap can place; `index` is owned by the heap (-1 when not in it). */
export interface HeapEntry {
  index: number;
}

export class Heap<E extends HeapEntry> {
  private readonly entries: E[] = [];

  /** `less(a, b)` is true when `a` must come out before `b`. */
  constructor(private readonly less: (a: E, b: E) => boolean) {}

  get size(): number {
    return this.entries.length;
  }

  peek(): E | undefined {
    return this.entries[0];
  }

  push(entry: E): void {
    entry.index = this.entries.length;
    this.entries.push(entry);
    this.up(entry.index);
  }

  pop(): E | undefined {
    if (this.entries.length === 0) return undefined;
    return this.remove(this.entries[0]!);
  }

  /** Removes `entry` (which must be in this heap). */
  remove(entry: E): E {
    const i = entry.index;
    const last = this.entries.length - 1;
    if (i !== last) this.swap(i, last);
    this.entries.pop();
    entry.index = -1;
    if (i < this.entries.length) {
      this.down(i);
      this.up(i);
    }
    return entry;
  }

  /** Restores order after `entry`'s sort key changed. */
  fix(entry: E): void {
    this.down(entry.index);
    this.up(entry.index);
  }

  private up(i: number): void {
    const a = this.entries;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(a[i]!, a[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const a = this.entries;
    const n = a.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.less(a[r]!, a[l]!) ? r : l;
      if (!this.less(a[child]!, a[i]!)) break;
      this.swap(i, child);
      i = child;
    }
  }

  private swap(i: number, j: number): void {
    const a = this.entries;
    const ei = a[i]!;
    const ej = a[j]!;
    a[i] = ej;
    a[j] = ei;
    ei.index = j;
    ej.index = i;
  }
}
