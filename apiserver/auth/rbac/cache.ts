/**
 * The RBAC cache: the API server's own watch caches of Roles, ClusterRoles, RoleBindings and
 * ClusterRoleBindings, followed into an {@link RBACObjects} so that authorization is a memory
 * lookup (upstream's RBAC authorizer reads informer listers the same way).
 *
 * Guarantees: {@link RBACCache.ready} resolves once every kind has been loaded. Changes are applied
 * in the order the watch cache delivers them; listeners run after each change, synchronously. When
 * a watch cache re-initialises (storage trouble) the cache re-subscribes and swaps in a fresh copy
 * of that kind, so a deleted binding never lingers; until then it keeps answering from what it
 * had. Nothing here reads storage per request.
 */
import type { Logger } from '../../../common/index.js';
import type { ApiServer } from '../../server/server.js';
import type { GenericStore } from '../../registry/generic/store.js';
import type { CacheWatcher } from '../../watchcache/watcher.js';
import { rbacGroup } from '../../registry/rbac/rbac.js';
import { RBACObjects, rbacResources, type RBACKind } from './objects.js';

export type RBACListener = (kind: RBACKind) => void;

export class RBACCache {
  readonly ready: Promise<void>;
  private readonly watchers = new Map<RBACKind, CacheWatcher>();
  private readonly listeners: RBACListener[] = [];
  private stopped = false;

  constructor(
    private readonly server: Pick<ApiServer, 'store'>,
    private readonly logger: Logger,
    /** Where to keep the objects (an authorizer may already hold it). */
    readonly objects: RBACObjects = new RBACObjects(),
  ) {
    this.ready = Promise.all(
      (Object.keys(rbacResources) as RBACKind[]).map((k) => this.subscribe(k)),
    ).then(() => undefined);
  }

  /** Runs `listener` after every change; returns the unsubscribe function. */
  onChange(listener: RBACListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  stop(): void {
    this.stopped = true;
    for (const [kind, w] of this.watchers) this.storeOf(kind)?.cacher.unwatch(w);
    this.watchers.clear();
  }

  private storeOf(kind: RBACKind): GenericStore | undefined {
    return this.server.store(rbacGroup, 'v1', rbacResources[kind]);
  }

  private async subscribe(kind: RBACKind): Promise<void> {
    const store = this.storeOf(kind);
    if (!store)
      throw new Error(`the API server does not serve ${rbacResources[kind]}.${rbacGroup}`);
    for (;;) {
      if (this.stopped) return;
      try {
        await store.cacher.waitReady();
        break;
      } catch {
        // storage not there yet: the cacher retries; so do we
      }
    }
    const fresh = new RBACObjects();
    let target = fresh;
    const watcher = store.cacher.watch({
      prefix: store.listPrefix(''),
      startRv: 0,
      allowBookmarks: false,
      initial: true,
      sink: {
        event: (type, entry) => {
          const obj = store.view.parse(entry);
          if (type === 'DELETED') target.remove(kind, entry.namespace, entry.name);
          else target.put(kind, obj);
          if (target === this.objects) this.notify(kind);
          return true;
        },
        bookmark: () => undefined,
        close: () => {
          if (this.watchers.get(kind) !== watcher) return;
          this.watchers.delete(kind);
          if (this.stopped) return;
          this.logger.info({ kind }, 'RBAC watch closed; re-subscribing');
          void this.subscribe(kind);
        },
      },
    });
    this.objects.replace(kind, fresh);
    target = this.objects;
    this.watchers.set(kind, watcher);
    this.notify(kind);
  }

  private notify(kind: RBACKind): void {
    for (const l of [...this.listeners]) {
      try {
        l(kind);
      } catch (err) {
        this.logger.error({ err, kind }, 'RBAC listener failed');
      }
    }
  }
}
