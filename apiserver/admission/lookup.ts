/**
 * How admission plugins read (and, for ResourceQuota, write) other objects: through the server's
 * generic stores, so every read is a consistent storage read (never a stale cache) in the
 * preferred served version. Upstream plugins read informer caches with live lookups on a miss;
 * reading storage directly gives the same answers without the races.
 *
 * The lookup is bound to a server lazily (plugins are built before the server that runs them):
 * `storeLookup(() => server)`.
 */
import type { GroupResource } from '../../common/index.js';
import type { GenericStore } from '../registry/generic/store.js';
import type { KubeObject } from '../registry/types.js';
import { decodeKeyValue } from '../storage/codec.js';

export interface AdmissionLookup {
  /** The object, or undefined when it (or its type) does not exist. */
  get(gr: GroupResource, namespace: string, name: string): Promise<KubeObject | undefined>;
  /** Every object of a type in a namespace ('' = all, or cluster-scoped); [] when not served. */
  list(gr: GroupResource, namespace: string): Promise<KubeObject[]>;
  /**
   * Rewrites an object's status with `transform(current)` as a compare-and-swap, re-running the
   * transform on a concurrent write; the transform may throw to give up.
   */
  updateStatus(
    gr: GroupResource,
    namespace: string,
    name: string,
    transform: (current: KubeObject) => KubeObject,
  ): Promise<void>;
}

/** What {@link storeLookup} needs from the server (an `ApiServer` satisfies it). */
export interface StoreSource {
  registry: { versionsOf(group: string, resource: string): Array<{ version: string }> };
  store(group: string, version: string, resource: string): GenericStore | undefined;
}

/** A lookup over the stores of the server `source()` returns (called at admission time). */
export function storeLookup(source: () => StoreSource): AdmissionLookup {
  const storeOf = (gr: GroupResource): GenericStore | undefined => {
    const server = source();
    const preferred = server.registry.versionsOf(gr.group, gr.resource)[0];
    return preferred ? server.store(gr.group, preferred.version, gr.resource) : undefined;
  };
  return {
    async get(gr, namespace, name) {
      const store = storeOf(gr);
      if (!store) return undefined;
      return (await store.readCurrent(store.type.namespaced ? namespace : '', name))?.obj;
    },
    async list(gr, namespace) {
      const store = storeOf(gr);
      if (!store) return [];
      const res = await store.storage.list(store.listPrefix(namespace));
      return res.kvs.map((kv) => store.view.fromStorage(decodeKeyValue(kv)));
    },
    async updateStatus(gr, namespace, name, transform) {
      const store = storeOf(gr);
      if (!store) return;
      await store.update(
        name,
        (current) => {
          if (!current) return {} as KubeObject; // the store answers 404
          return transform(current);
        },
        { namespace, subresource: 'status', fieldManager: 'kube-apiserver' },
      );
    },
  };
}
