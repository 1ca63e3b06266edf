/**
 * One generic store per served type and one watch cache per stored resource, kept in step with
 * the {@link TypeRegistry}: a type added at run time gets its store (and, if it is the first type
 * stored under its key prefix, a new watch cache); a type removed loses them. Types that share
 * storage (autoscaling v1/v2, core and events.k8s.io Events) share one cache.
 *
 * Special REST behaviour is attached here by group/resource: pods (graceful deletion, binding,
 * eviction), namespaces (termination, finalize), services (IP and port allocation).
 */
import type { Clock, Logger } from '../../common/index.js';
import type { Storage } from '../../store/index.js';
import type { AdmissionPlugin } from '../admission/types.js';
import type { FieldManager } from '../registry/generic/context.js';
import { LeaseManager } from '../registry/generic/leases.js';
import { GenericStore } from '../registry/generic/store.js';
import { TypeView } from '../registry/generic/view.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import { handleFinalize, NamespaceStore } from '../rest/namespaces.js';
import { handleBinding, handleEviction, podHooks } from '../rest/pods.js';
import type { ServiceAllocations } from '../rest/services.js';
import { Cacher } from '../watchcache/cacher.js';
import { cachedObjectFrom, type FieldLabeler } from '../watchcache/entry.js';
import type { SubresourceHandler } from './router.js';
import { resourcePrefix, type TypeRegistry } from './typeregistry.js';

export interface StoreSetOptions {
  registry: TypeRegistry;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  admission: readonly AdmissionPlugin[];
  fieldManager?: FieldManager;
  serviceAllocations: ServiceAllocations;
  watchCache?: { bookmarkIntervalMs?: number; historyMs?: number; maxEvents?: number };
}

interface CacheEntry {
  cacher: Cacher;
  /** Field values for the cache come from the type served in the storage version. */
  labeler: FieldLabeler;
  refs: number;
}

const typeKey = (group: string, version: string, resource: string) =>
  `${group}/${version}/${resource}`;

export class StoreSet {
  private readonly stores = new Map<string, GenericStore>();
  private readonly caches = new Map<string, CacheEntry>();
  private readonly leases: LeaseManager;
  private started = false;
  private progressReliable = true;

  constructor(private readonly opts: StoreSetOptions) {
    this.leases = new LeaseManager(opts.storage, opts.clock);
    for (const t of opts.registry.all()) this.add(t);
    opts.registry.onChange((change) => {
      if (change.type === 'added') this.add(change.resource);
      else this.remove(change.resource);
    });
  }

  get(group: string, version: string, resource: string): GenericStore | undefined {
    return this.stores.get(typeKey(group, version, resource));
  }

  /** The store of the preferred version of a group/resource. */
  preferred(group: string, resource: string): GenericStore | undefined {
    const type = this.opts.registry.versionsOf(group, resource)[0];
    return type ? this.get(type.group, type.version, type.resource) : undefined;
  }

  /** Special subresource handlers, by `group/resource/subresource` and verb. */
  specialSubresources(): Map<string, Partial<Record<string, SubresourceHandler>>> {
    return new Map<string, Partial<Record<string, SubresourceHandler>>>([
      ['/pods/binding', { create: handleBinding }],
      ['/pods/eviction', { create: handleEviction }],
      ['/namespaces/finalize', { update: handleFinalize }],
    ]);
  }

  /** Whether the store's progress notifications are reliable (see `Cacher`); set before start. */
  setProgressReliable(reliable: boolean): void {
    this.progressReliable = reliable;
    for (const e of this.caches.values()) e.cacher.setProgressReliable(reliable);
  }

  start(): void {
    this.started = true;
    for (const e of this.caches.values()) e.cacher.start();
  }

  stop(): void {
    this.started = false;
    for (const e of this.caches.values()) e.cacher.stop();
  }

  allReady(): boolean {
    return [...this.caches.values()].every((e) => e.cacher.isReady());
  }

  async waitReady(): Promise<void> {
    for (;;) {
      const pending = [...this.caches.values()].filter((e) => !e.cacher.isReady());
      if (pending.length === 0) return;
      try {
        await Promise.all(pending.map((e) => e.cacher.waitReady()));
      } catch {
        // Storage still unavailable: keep waiting (the caches retry with backoff).
      }
    }
  }

  /**
   * Looks a namespace up in the cache, falling back to storage (a just-created namespace). An
   * object from the cache is shared and deep-frozen (admission reads it on every namespaced
   * write; it is parsed once per namespace version).
   */
  async getNamespace(name: string): Promise<Readonly<KubeObject> | undefined> {
    const store = this.get('', 'v1', 'namespaces');
    if (!store) return { metadata: { name } };
    const cached = store.cacher.isReady() ? store.cacher.get(store.key('', name)) : undefined;
    if (cached) return store.view.readOnlyParse(cached);
    return (await store.readCurrent('', name))?.obj;
  }

  /** Re-reserves the ClusterIPs and NodePorts of stored Services (server start). */
  async restoreServiceAllocations(): Promise<void> {
    const store = this.get('', 'v1', 'services');
    if (!store) return;
    const prefix = store.listPrefix('');
    for (const entry of store.cacher.scan(prefix, prefix)) {
      this.opts.serviceAllocations.restore(store.view.parse(entry));
    }
  }

  private add(type: ResourceType): void {
    const key = typeKey(type.group, type.version, type.resource);
    this.remove(type);
    const prefix = resourcePrefix(type);
    let cache = this.caches.get(prefix);
    const view = new TypeView(type);
    if (!cache) {
      const entry: CacheEntry = {
        labeler: (obj) => view.fieldLabels(obj),
        refs: 0,
        cacher: undefined as unknown as Cacher,
      };
      entry.cacher = new Cacher({
        storage: this.opts.storage,
        prefix,
        clock: this.opts.clock,
        logger: this.opts.logger,
        decode: (kv) => cachedObjectFrom(kv, entry.labeler),
        bookmarkIntervalMs: this.opts.watchCache?.bookmarkIntervalMs,
        historyMs: this.opts.watchCache?.historyMs,
        maxEvents: this.opts.watchCache?.maxEvents,
        progressReliable: this.progressReliable,
      });
      cache = entry;
      this.caches.set(prefix, cache);
      if (this.started) cache.cacher.start();
    }
    if (view.identity && !type.conversion) cache.labeler = (obj) => view.fieldLabels(obj);
    cache.refs++;
    const options = {
      type,
      storage: this.opts.storage,
      cacher: cache.cacher,
      clock: this.opts.clock,
      admission: this.opts.admission,
      fieldManager: this.opts.fieldManager,
      leases: this.leases,
      hooks: this.hooksFor(type),
    };
    const store =
      type.group === '' && type.resource === 'namespaces'
        ? new NamespaceStore(options)
        : new GenericStore(options);
    this.stores.set(key, store);
  }

  private remove(type: ResourceType): void {
    const key = typeKey(type.group, type.version, type.resource);
    const existing = this.stores.get(key);
    if (!existing) return;
    this.stores.delete(key);
    const prefix = resourcePrefix(existing.type);
    const cache = this.caches.get(prefix);
    if (cache && --cache.refs <= 0) {
      cache.cacher.stop();
      this.caches.delete(prefix);
    }
  }

  private hooksFor(type: ResourceType) {
    if (type.group !== '') return undefined;
    if (type.resource === 'pods') return podHooks;
    if (type.resource === 'services') return this.opts.serviceAllocations.hooks();
    return undefined;
  }
}
