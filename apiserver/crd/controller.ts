/**
 * The CustomResourceDefinition controller inside the API server: upstream's naming, establishing,
 * API-approval and finalizer controllers and the CRD handler's serving, as one sync per CRD name.
 *
 * Guarantees:
 * - It follows the CRD watch cache; every CRD is synced after each change, one at a time, and
 *   retried with backoff when a sync fails.
 * - Names: `status.acceptedNames` and `NamesAccepted` as upstream's naming controller sets them
 *   (see `naming.ts`); a change releases names, so the other CRDs of the group are synced again.
 * - Serving: once names are accepted (or the CRD is Established), each served version is a
 *   {@link ResourceType} in the server's registry — discovery, aggregated discovery and OpenAPI
 *   follow — and its schema is registered in the {@link SchemaSet}. Only then is `Established`
 *   set True (`InitialNamesAccepted`), so a client that sees it can use the resource. A change of
 *   the spec or accepted names re-registers the types (their watches end, as upstream's storage
 *   is rebuilt); a version no longer served is removed.
 * - Deletion: see `finalizer.ts`; once the CRD is gone its types and schemas are removed.
 * - {@link CustomResourceDefinitionController.start} syncs every stored CRD before it resolves,
 *   so a restarted server serves established custom resources from its first request.
 */
import { createLogger, type Clock, type Logger } from '../../common/index.js';
import type { GenericStore } from '../registry/generic/store.js';
import { rfc3339 } from '../registry/generic/meta.js';
import type { KubeObject, ResourceType } from '../registry/index.js';
import type { SchemaSet } from '../schema/index.js';
import type { Filter } from '../server/scope.js';
import type { TypeRegistry } from '../server/typeregistry.js';
import type { CacheEvent, CachedObject } from '../watchcache/types.js';
import type { CacheWatcher } from '../watchcache/watcher.js';
import {
  conditionsEquivalent,
  Established,
  findCondition,
  hasFinalizer,
  isConditionTrue,
  KubernetesAPIApprovalPolicyConformant,
  NamesAccepted,
  setCondition,
} from './conditions.js';
import * as defaults from './defaults.js';
import { crdDeleteFilter } from './delete.js';
import { finalizeCRD, type FinalizerContext } from './finalizer.js';
import {
  calculateNamesAndConditions,
  establishedCondition,
} from '../registry/apiextensions/naming.js';
import { apiApprovalCondition, builtinNameHolders } from './naming.js';
import { SyncQueue } from './queue.js';
import {
  acceptedNames,
  crdSpec,
  customResourceDefinitions,
  customResourceTypes,
  type ServingState,
} from './resourcetype.js';
import { jsonEqual } from './schema/node.js';

/** What the controller needs of the API server (an `ApiServer` satisfies it). */
export interface CustomResourceServer {
  readonly registry: TypeRegistry;
  readonly clock: Clock;
  store(group: string, version: string, resource: string): GenericStore | undefined;
}

export interface CustomResourceDefinitionControllerOptions {
  /** Where CRD schemas are registered (field validation, apply, OpenAPI); optional. */
  schemas?: SchemaSet;
  logger?: Logger;
  /** Instance deletion polling (defaults in `defaults.ts`). */
  instanceDeletionPollMs?: number;
  instanceDeletionTimeoutMs?: number;
}

interface Served {
  fingerprint: string;
  types: ResourceType[];
  state: ServingState;
}

const gvrKey = (t: { group: string; version: string; resource: string }) =>
  `${t.group}/${t.version}/${t.resource}`;

export class CustomResourceDefinitionController {
  /** The request filter that turns a CRD's first DELETE into upstream's finalizer step. */
  readonly filter: Filter;
  private server?: CustomResourceServer;
  private queue?: SyncQueue;
  private watcher?: CacheWatcher;
  private readonly logger: Logger;
  private readonly served = new Map<string, Served>();
  private readonly owned = new Set<string>();
  /** Our latest status writes, until the cache shows them (upstream's mutation cache). */
  private readonly written = new Map<string, KubeObject>();
  private readonly deletionStarted = new Map<string, number>();
  private readonly parsed = new Map<string, { rv: number; crd: KubeObject }>();
  private stopped = false;

  constructor(private readonly opts: CustomResourceDefinitionControllerOptions = {}) {
    this.logger = opts.logger ?? createLogger({ component: 'crd-controller' });
    this.filter = crdDeleteFilter(() => this.crdStore());
  }

  /** Syncs every stored CRD, then follows changes. */
  async start(server: CustomResourceServer): Promise<void> {
    this.server = server;
    const store = this.crdStore();
    if (!store) return;
    const queue = new SyncQueue((name) => this.sync(name), server.clock, this.logger);
    this.queue = queue;
    const prefix = store.listPrefix('');
    const startRv = store.cacher.revision;
    for (const entry of [...store.cacher.scan(prefix, prefix)]) queue.add(entry.name);
    await queue.whenIdle();
    this.watch(store, startRv);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue?.stop();
    if (this.watcher) this.crdStore()?.cacher.unwatch(this.watcher);
  }

  /** Resolves once no sync is queued or running (tests). */
  whenIdle(): Promise<void> {
    return this.queue?.whenIdle() ?? Promise.resolve();
  }

  private crdStore(): GenericStore | undefined {
    return this.server?.store(defaults.apiextensionsGroup, 'v1', defaults.crdResource);
  }

  private watch(store: GenericStore, startRv: number): void {
    if (this.stopped) return;
    this.watcher = store.cacher.watch({
      prefix: store.listPrefix(''),
      startRv,
      allowBookmarks: false,
      sink: {
        event: (_type: string, object: CachedObject, _source?: CacheEvent) => {
          this.queue?.add(object.name);
          return true;
        },
        bookmark: () => undefined,
        // Deferred: a re-registered CRD type gets its new store once the registry change is done.
        close: () => void setImmediate(() => void this.rewatch()),
      },
    });
  }

  /**
   * The cache re-initialised (or dropped us, or the CRD type was re-registered with a new cache):
   * once the current CRD cache is ready, resync everything and watch again.
   */
  private async rewatch(): Promise<void> {
    let store: GenericStore | undefined;
    while (!this.stopped) {
      store = this.crdStore();
      if (!store) return;
      try {
        await store.cacher.waitReady();
        break;
      } catch {
        // Still re-initialising: wait again.
      }
    }
    if (this.stopped || !store) return;
    const startRv = store.cacher.revision;
    const prefix = store.listPrefix('');
    for (const name of this.served.keys()) this.queue?.add(name);
    for (const entry of store.cacher.scan(prefix, prefix)) this.queue?.add(entry.name);
    this.watch(store, startRv);
  }

  /**
   * The CRD as last seen: the cache, or our own write the cache has not reached yet. Parsed
   * objects are kept per resourceVersion and shared: callers must not mutate them.
   */
  private read(name: string): KubeObject | undefined {
    const store = this.crdStore();
    if (!store) return undefined;
    const mine = this.written.get(name);
    if (mine && Number(mine.metadata?.resourceVersion ?? 0) > store.cacher.revision) return mine;
    this.written.delete(name);
    const entry = store.cacher.get(store.key('', name));
    return entry ? this.parse(store, entry) : undefined;
  }

  private parse(store: GenericStore, entry: CachedObject): KubeObject {
    const hit = this.parsed.get(entry.name);
    if (hit && hit.rv === entry.rv) return hit.crd;
    const crd = store.view.parse(entry);
    this.parsed.set(entry.name, { rv: entry.rv, crd });
    return crd;
  }

  /** Every CRD (cheap: parsed once per resourceVersion). */
  private all(): KubeObject[] {
    const store = this.crdStore();
    if (!store) return [];
    const prefix = store.listPrefix('');
    const names = new Set<string>();
    const out: KubeObject[] = [];
    for (const e of store.cacher.scan(prefix, prefix)) {
      names.add(e.name);
      const crd = this.read(e.name);
      if (crd) out.push(crd);
    }
    for (const n of this.parsed.keys()) if (!names.has(n)) this.parsed.delete(n);
    return out;
  }

  private async sync(name: string): Promise<void> {
    if (this.stopped) return;
    const crd = this.read(name);
    if (!crd) {
      const group = this.served.get(name)?.types[0]?.group;
      this.unserve(name);
      this.deletionStarted.delete(name);
      if (group !== undefined) this.requeueGroup(group, name);
      return;
    }
    if (crd.metadata?.deletionTimestamp) {
      if (!hasFinalizer(crd, defaults.customResourceCleanupFinalizer)) return;
      // After a restart mid-deletion the instances still need a store to be deleted through.
      if (!this.served.has(name) && isConditionTrue(crd, Established)) this.serve(crd);
      await this.finalize(crd);
      return;
    }
    if (await this.updateNames(crd)) return;
    if (isConditionTrue(crd, NamesAccepted) || isConditionTrue(crd, Established)) {
      this.serve(crd);
    }
    if (isConditionTrue(crd, NamesAccepted) && !isConditionTrue(crd, Established)) {
      await this.writeStatus(name, (c) => setCondition(c, establishedCondition(), this.now()));
    }
  }

  /** The naming and API-approval conditions; true when a status write was needed. */
  private async updateNames(crd: KubeObject): Promise<boolean> {
    const name = crd.metadata!.name!;
    const group = String(crdSpec(crd).group ?? '');
    const result = calculateNamesAndConditions(crd, this.nameHolders(group));
    const approval = apiApprovalCondition(crd);
    const namesChanged =
      !jsonEqual(acceptedNames(crd), result.acceptedNames) ||
      !conditionsEquivalent(result.namesAccepted, findCondition(crd, NamesAccepted));
    const approvalChanged =
      approval !== undefined &&
      !conditionsEquivalent(approval, findCondition(crd, KubernetesAPIApprovalPolicyConformant));
    if (!namesChanged && !approvalChanged) return false;
    await this.writeStatus(name, (c) => {
      const now = this.now();
      if (namesChanged) {
        (c.status as Record<string, unknown>).acceptedNames = result.acceptedNames;
        setCondition(c, result.namesAccepted, now);
        setCondition(c, result.established, now);
      }
      if (approval) setCondition(c, approval, now);
    });
    if (namesChanged) this.requeueGroup(group, name);
    return true;
  }

  /** Who holds names in `group`: its other CRDs and (kuberx) its built-in resources. */
  private nameHolders(group: string): KubeObject[] {
    const builtins = this.server!.registry.all().filter((t) => !this.owned.has(gvrKey(t)));
    return [...this.all(), ...builtinNameHolders(builtins, group)];
  }

  private requeueGroup(group: string, except: string): void {
    for (const other of this.all()) {
      const n = other.metadata?.name;
      if (n && n !== except && crdSpec(other).group === group) this.queue?.add(n);
    }
  }

  /** Registers (or re-registers) the CRD's served versions and schemas. */
  private serve(crd: KubeObject): void {
    const name = crd.metadata!.name!;
    const fingerprint = JSON.stringify([crd.metadata?.uid, crd.spec, acceptedNames(crd)]);
    const current = this.served.get(name);
    if (current && current.fingerprint === fingerprint) return;
    const registry = this.server!.registry;
    const state = current?.state ?? { terminating: false };
    const types = customResourceTypes(crd, state).filter((t) => {
      const existing = registry.lookup(t.group, t.version, t.resource);
      if (existing && !this.owned.has(gvrKey(t))) {
        this.logger.warn({ crd: name, resource: gvrKey(t) }, 'refusing to shadow a built-in type');
        return false;
      }
      return true;
    });
    this.opts.schemas?.register(`crd:${name}`, customResourceDefinitions(crd));
    for (const old of current?.types ?? []) {
      if (!types.some((t) => gvrKey(t) === gvrKey(old))) {
        registry.remove(old.group, old.version, old.resource);
        this.owned.delete(gvrKey(old));
      }
    }
    for (const t of types) {
      this.owned.add(gvrKey(t));
      registry.add(t);
    }
    this.served.set(name, { fingerprint, types, state });
    this.logger.info({ crd: name, versions: types.map((t) => t.version) }, 'serving');
  }

  private unserve(name: string): void {
    const current = this.served.get(name);
    this.opts.schemas?.unregister(`crd:${name}`);
    if (!current) return;
    for (const t of current.types) {
      this.server!.registry.remove(t.group, t.version, t.resource);
      this.owned.delete(gvrKey(t));
    }
    this.served.delete(name);
    this.logger.info({ crd: name }, 'no longer serving');
  }

  private finalize(crd: KubeObject): Promise<void> {
    const name = crd.metadata!.name!;
    const served = this.served.get(name);
    if (served) served.state.terminating = true;
    if (!this.deletionStarted.has(name)) this.deletionStarted.set(name, this.server!.clock.now());
    const ctx: FinalizerContext = {
      instanceStore: () => {
        const t = served?.types[0];
        return t ? this.server!.store(t.group, t.version, t.resource) : undefined;
      },
      writeStatus: (mutate) => this.writeStatus(name, mutate),
      now: () => this.now(),
      elapsedMs: () => this.server!.clock.now() - (this.deletionStarted.get(name) ?? 0),
      requeueAfter: (ms) => this.queue?.addAfter(name, ms),
      pollMs: this.opts.instanceDeletionPollMs ?? defaults.instanceDeletionPollMs,
      timeoutMs: this.opts.instanceDeletionTimeoutMs ?? defaults.instanceDeletionTimeoutMs,
    };
    return finalizeCRD(crd, ctx);
  }

  /** A `/status` write of the stored CRD, changed by `mutate`; remembered until cached. */
  private async writeStatus(name: string, mutate: (crd: KubeObject) => void): Promise<void> {
    const store = this.crdStore()!;
    const { object } = await store.update(
      name,
      (current) => {
        if (!current) throw new Error(`customresourcedefinition ${name} vanished`);
        current.status ??= {};
        mutate(current);
        return current;
      },
      { namespace: '', subresource: 'status', fieldManager: defaults.fieldManager },
    );
    this.written.set(name, object);
  }

  private now(): string {
    return rfc3339(this.server!.clock.now());
  }
}
