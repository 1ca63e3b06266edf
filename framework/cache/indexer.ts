/**
 * The indexed object store behind an informer (client-go `Indexer` / `threadSafeMap`): objects by
 * key, plus secondary indices computed by index functions. Every store has the `namespace` index;
 * more can be added at any time, also after the store holds objects ({@link Indexer.addIndexers}).
 *
 * Contract:
 * - Keys are `namespace/name` or `name` ({@link objectKey}).
 * - Index functions are multi-valued and must be pure; an index function that throws makes the
 *   write throw and leaves the store unchanged.
 * - Objects are stored as given (the informer freezes them first); readers get the stored object,
 *   not a copy, so they must not change it.
 */
import { parseLabelSelector, type Selector } from '../../common/index.js';
import { objectKey, type KubernetesObject } from '../client/index.js';
import { namespaceIndex } from './defaults.js';

/** Computes the index values of an object (may be several, or none). */
export type IndexFunc<T> = (obj: Readonly<T>) => readonly string[];

export type Indexers<T> = Record<string, IndexFunc<T>>;

/** client-go `MetaNamespaceIndexFunc`: the namespace, or nothing for cluster-scoped objects. */
export function metaNamespaceIndexFunc(obj: Readonly<KubernetesObject>): string[] {
  const ns = obj.metadata?.namespace;
  return ns ? [ns] : [];
}

/** Options of {@link CacheReader.list}. */
export interface CacheListOptions {
  /** Only objects in this namespace (uses the namespace index). */
  namespace?: string;
  /** A label selector, parsed or in its string form (`app=web,tier!=db`). */
  labelSelector?: Selector | string;
}

/** The read side of a cache. */
export interface CacheReader<T> {
  readonly size: number;
  get(key: string): Readonly<T> | undefined;
  getByName(namespace: string | undefined, name: string): Readonly<T> | undefined;
  has(key: string): boolean;
  list(options?: CacheListOptions): Readonly<T>[];
  listKeys(): string[];
  /** Objects whose index function `indexName` produced `value`. Throws for an unknown index. */
  byIndex(indexName: string, value: string): Readonly<T>[];
  /** Keys of {@link byIndex}. */
  indexKeys(indexName: string, value: string): string[];
  /** Every value index `indexName` currently holds. */
  listIndexFuncValues(indexName: string): string[];
  /** Names of the indices. */
  indexNames(): string[];
}

export class Indexer<T extends KubernetesObject> implements CacheReader<T> {
  private readonly items = new Map<string, Readonly<T>>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Indexers<T> = {}) {
    this.indexers.set(namespaceIndex, metaNamespaceIndexFunc);
    this.indices.set(namespaceIndex, new Map());
    this.addIndexers(indexers);
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): Readonly<T> | undefined {
    return this.items.get(key);
  }

  getByName(namespace: string | undefined, name: string): Readonly<T> | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  list(options: CacheListOptions = {}): Readonly<T>[] {
    const source =
      options.namespace !== undefined && options.namespace !== ''
        ? this.byIndex(namespaceIndex, options.namespace)
        : [...this.items.values()];
    if (options.labelSelector === undefined) return source;
    const selector =
      typeof options.labelSelector === 'string'
        ? parseLabelSelector(options.labelSelector)
        : options.labelSelector;
    if (selector.isEmpty()) return source;
    return source.filter((o) => selector.matches(o.metadata?.labels));
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  byIndex(indexName: string, value: string): Readonly<T>[] {
    return this.indexKeys(indexName, value).map((k) => this.items.get(k)!);
  }

  indexKeys(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`Index with name ${indexName} does not exist`);
    const keys = index.get(value);
    return keys ? [...keys] : [];
  }

  listIndexFuncValues(indexName: string): string[] {
    const index = this.indices.get(indexName);
    return index ? [...index.keys()] : [];
  }

  indexNames(): string[] {
    return [...this.indexers.keys()];
  }

  /**
   * Adds index functions; existing objects are indexed at once. Throws when a name is already
   * taken (client-go: "indexer conflict").
   */
  addIndexers(indexers: Indexers<T>): void {
    const names = Object.keys(indexers);
    for (const name of names) {
      if (this.indexers.has(name)) throw new Error(`indexer conflict: ${name}`);
    }
    const built = new Map<string, Map<string, Set<string>>>();
    for (const name of names) {
      const fn = indexers[name]!;
      const index = new Map<string, Set<string>>();
      for (const [key, obj] of this.items) addToIndex(index, fn(obj), key);
      built.set(name, index);
    }
    for (const name of names) {
      this.indexers.set(name, indexers[name]!);
      this.indices.set(name, built.get(name)!);
    }
  }

  /** Stores `obj` under its key; returns what was there before. */
  upsert(obj: Readonly<T>): Readonly<T> | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    const oldValues = old ? this.indexValues(old) : undefined;
    const newValues = this.indexValues(obj);
    this.items.set(key, obj);
    this.reindex(key, oldValues, newValues);
    return old;
  }

  /** Removes the object at `key`; returns it. */
  delete(key: string): Readonly<T> | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.reindex(key, this.indexValues(old), undefined);
    this.items.delete(key);
    return old;
  }

  /** Replaces the whole content at once (a relist); returns the previous content. */
  replace(objects: Iterable<Readonly<T>>): Map<string, Readonly<T>> {
    const previous = new Map(this.items);
    const fresh = new Map<string, Readonly<T>>();
    const freshIndices = new Map<string, Map<string, Set<string>>>();
    for (const name of this.indexers.keys()) freshIndices.set(name, new Map());
    for (const obj of objects) {
      const key = objectKey(obj);
      fresh.set(key, obj);
      for (const [name, fn] of this.indexers) addToIndex(freshIndices.get(name)!, fn(obj), key);
    }
    this.items.clear();
    for (const [k, v] of fresh) this.items.set(k, v);
    for (const [name, index] of freshIndices) this.indices.set(name, index);
    return previous;
  }

  private indexValues(obj: Readonly<T>): Map<string, readonly string[]> {
    const values = new Map<string, readonly string[]>();
    for (const [name, fn] of this.indexers) values.set(name, fn(obj));
    return values;
  }

  private reindex(
    key: string,
    oldValues: Map<string, readonly string[]> | undefined,
    newValues: Map<string, readonly string[]> | undefined,
  ): void {
    for (const [name, index] of this.indices) {
      const before = oldValues?.get(name) ?? [];
      const after = newValues?.get(name) ?? [];
      if (before.length === 1 && after.length === 1 && before[0] === after[0]) continue;
      for (const v of before) {
        if (after.includes(v)) continue;
        const set = index.get(v);
        if (!set) continue;
        set.delete(key);
        if (set.size === 0) index.delete(v);
      }
      addToIndex(index, after, key);
    }
  }
}

function addToIndex(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const v of values) {
    let set = index.get(v);
    if (!set) index.set(v, (set = new Set()));
    set.add(key);
  }
}
