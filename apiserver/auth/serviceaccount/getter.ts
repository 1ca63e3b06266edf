/**
 * Reading the objects tokens are bound to (ServiceAccounts, Pods, Secrets, Nodes) from the API
 * server's own stores: from the watch cache when it is ready (no storage read per request), from
 * storage otherwise. Upstream's ServiceAccountTokenGetter does the same with informers.
 */
import type { ApiServer } from '../../server/server.js';
import type { KubeObject } from '../../registry/types.js';

export interface ObjectGetter {
  /** The object, or undefined when it does not exist (or its type is not served). */
  get(
    group: string,
    resource: string,
    namespace: string,
    name: string,
  ): Promise<KubeObject | undefined>;
}

/** `server` is a function so the getter can exist before the server it reads. */
export function serverObjectGetter(
  serverOf: () => Pick<ApiServer, 'registry' | 'store'>,
): ObjectGetter {
  return {
    async get(group, resource, namespace, name) {
      const server = serverOf();
      const type = server.registry.versionsOf(group, resource)[0];
      const store = type && server.store(type.group, type.version, type.resource);
      if (!store) return undefined;
      if (store.cacher.isReady()) {
        const cached = store.cacher.get(store.key(namespace, name));
        return cached ? store.view.parse(cached) : undefined;
      }
      return (await store.readCurrent(namespace, name))?.obj;
    },
  };
}
