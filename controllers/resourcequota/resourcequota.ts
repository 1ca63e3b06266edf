/**
 * The ResourceQuota controller (upstream `pkg/controller/resourcequota`): keeps every quota's
 * `status.hard` equal to `spec.hard` and `status.used` equal to what the namespace uses of those
 * resources (measured by `evaluators.ts`). Enforcement is the API server's ResourceQuota admission
 * plugin, which charges new objects to `status.used`; this controller recomputes it from scratch.
 *
 * - Triggers: a new quota, or a change of `spec.hard` (quotas whose usage is missing go first);
 *   every quota every 5 minutes (`--resource-quota-sync-period`); and replenishment — a pod that
 *   stops counting (terminal, or past its deletion grace period) or any deleted pod, Service,
 *   PersistentVolumeClaim, ConfigMap, Secret or ReplicationController re-queues the quotas of its
 *   namespace. Other resources counted with `count/<resource>.<group>` are recounted at resync.
 * - `status.used` is masked to the hard resources; resources no evaluator measures keep their
 *   previous value. No write happens when hard and used are semantically unchanged.
 */
import {
  formatResources,
  parseResourceList,
  Quantity,
  type Resources,
} from '../../common/index.js';
import {
  ConfigMap,
  isNotFound,
  PersistentVolumeClaim,
  Pod,
  ReplicationController,
  ResourceQuota,
  RuntimeController,
  Secret,
  Service,
  resourcePath,
  type Kind,
  type Manager,
  type Request,
} from '../../framework/index.js';
import { serverPreferredResources } from '../gc/discovery.js';
import type { ControllerContext, ControllerDescriptor } from '../registry.js';
import {
  defaultResourceQuotaWorkers,
  missingUsagePriority,
  resourceQuotaSyncPeriodMs,
} from './defaults.js';
import {
  podCountsForQuota,
  podMatchesScope,
  podUsage,
  pvcUsage,
  quotaScopeSelectors,
  serviceUsage,
} from './evaluators.js';

const podResourceNames = new Set([
  'pods',
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);
const serviceResourceNames = new Set([
  'services',
  'count/services',
  'services.loadbalancers',
  'services.nodeports',
]);

/** Object counts quota knows by their legacy names. */
const legacyKinds: Record<string, Kind> = {
  configmaps: ConfigMap,
  secrets: Secret,
  replicationcontrollers: ReplicationController,
  resourcequotas: ResourceQuota,
};

function isPodResource(name: string): boolean {
  return (
    podResourceNames.has(name) ||
    name.startsWith('hugepages-') ||
    name.startsWith('requests.hugepages-') ||
    (name.startsWith('requests.') && name.includes('/'))
  );
}

function isPVCResource(name: string): boolean {
  return (
    name === 'persistentvolumeclaims' ||
    name === 'count/persistentvolumeclaims' ||
    name === 'requests.storage' ||
    /\.storageclass\.storage\.k8s\.io\/(requests\.storage|persistentvolumeclaims)$/.test(name)
  );
}

/** Whether some evaluator measures `name` (upstream `MatchingResources` over the registry). */
export function isMeasured(name: string): boolean {
  return (
    isPodResource(name) ||
    serviceResourceNames.has(name) ||
    isPVCResource(name) ||
    name in legacyKinds ||
    name.startsWith('count/')
  );
}

function sum(into: Resources, usage: Resources, keys: ReadonlySet<string>): void {
  for (const [k, q] of usage) if (keys.has(k)) into.set(k, into.get(k)!.add(q));
}

export class ResourceQuotaSyncer {
  private resources: Map<string, Kind> | undefined;

  constructor(
    private readonly manager: Manager,
    private readonly now: () => number,
  ) {}

  /** The kind counted by `count/<resource>[.<group>]`, from discovery (refreshed when unknown). */
  private async countedKind(name: string): Promise<Kind | undefined> {
    const id = name.slice('count/'.length);
    const dot = id.indexOf('.');
    const key = dot < 0 ? `/${id}` : `${id.slice(dot + 1)}/${id.slice(0, dot)}`;
    if (!this.resources?.has(key)) {
      const discovery = await serverPreferredResources(this.manager.rest);
      this.resources = new Map(
        discovery.resources
          .filter((r) => r.kind.namespaced && r.verbs.includes('list'))
          .map((r) => [`${r.kind.group}/${r.kind.plural}`, r.kind]),
      );
    }
    return this.resources.get(key);
  }

  /** The usage of `hard`'s resources in `namespace` under the quota's scopes (upstream `CalculateUsage`). */
  async calculateUsage(
    quota: Readonly<ResourceQuota>,
    hard: ReadonlySet<string>,
  ): Promise<Resources> {
    const namespace = quota.metadata!.namespace!;
    const scopes = quotaScopeSelectors(quota);
    const client = this.manager.client;
    const used: Resources = new Map();
    const wanted = (pred: (n: string) => boolean) => new Set([...hard].filter(pred));
    const init = (keys: ReadonlySet<string>) => {
      for (const k of keys) used.set(k, Quantity.fromInt(0));
    };

    const podKeys = wanted(isPodResource);
    if (podKeys.size) {
      init(podKeys);
      const nowMs = this.now();
      for (const pod of await client.list(Pod, { namespace })) {
        if (!scopes.every((s) => podMatchesScope(s, pod))) continue;
        sum(used, podUsage(pod, nowMs), podKeys);
      }
    }
    const scoped = scopes.length > 0;
    const svcKeys = wanted((n) => serviceResourceNames.has(n));
    if (svcKeys.size) {
      init(svcKeys);
      if (!scoped)
        for (const s of await client.list(Service, { namespace }))
          sum(used, serviceUsage(s), svcKeys);
    }
    const pvcKeys = wanted(isPVCResource);
    if (pvcKeys.size) {
      init(pvcKeys);
      if (!scoped) {
        for (const p of await client.list(PersistentVolumeClaim, { namespace }))
          sum(used, pvcUsage(p), pvcKeys);
      }
    }
    for (const name of hard) {
      if (used.has(name)) continue;
      const kind =
        legacyKinds[name] ?? (name.startsWith('count/') ? await this.countedKind(name) : undefined);
      if (!kind) continue;
      used.set(name, Quantity.fromInt(scoped ? 0 : await this.count(kind, namespace)));
    }
    return used;
  }

  private async count(kind: Kind, namespace: string): Promise<number> {
    const cached = [
      ConfigMap,
      Secret,
      ReplicationController,
      ResourceQuota,
      Pod,
      Service,
      PersistentVolumeClaim,
    ].some((k) => k.group === kind.group && k.plural === kind.plural);
    if (cached) return (await this.manager.client.list(kind, { namespace })).length;
    const list = await this.manager.rest.json<{ items?: unknown[] }>({
      method: 'GET',
      path: resourcePath(kind, { namespace }),
      accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
    });
    return list.items?.length ?? 0;
  }

  /** Upstream `syncResourceQuota`. */
  async sync(namespace: string, name: string): Promise<void> {
    let quota: Readonly<ResourceQuota>;
    try {
      quota = await this.manager.client.get(ResourceQuota, name, { namespace });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const specHard = parseResourceList(quota.spec?.hard as Record<string, unknown>).resources;
    const statusHard = parseResourceList(quota.status?.hard as Record<string, unknown>).resources;
    const statusUsed = parseResourceList(quota.status?.used as Record<string, unknown>).resources;
    let dirty = !sameResources(specHard, statusHard) || !quota.status?.hard || !quota.status?.used;
    const hardNames = new Set(specHard.keys());
    const used: Resources = new Map(statusUsed);
    for (const [k, q] of await this.calculateUsage(quota, hardNames)) used.set(k, q);
    for (const k of [...used.keys()]) if (!hardNames.has(k)) used.delete(k);
    dirty ||= !sameResources(used, statusUsed);
    if (!dirty) return;
    const updated = structuredClone(quota) as ResourceQuota;
    updated.status = { hard: formatResources(specHard), used: formatResources(used) };
    await this.manager.client.updateStatus(updated, { kind: ResourceQuota });
  }
}

function sameResources(a: Resources, b: Resources): boolean {
  if (a.size !== b.size) return false;
  for (const [k, q] of a) {
    const other = b.get(k);
    if (!other || other.cmp(q) !== 0) return false;
  }
  return true;
}

/** Upstream `addQuota`'s priority: hard not yet in status, or a measured resource without usage. */
export function missesUsage(quota: Readonly<ResourceQuota>): boolean {
  const spec = parseResourceList(quota.spec?.hard as Record<string, unknown>).resources;
  const status = parseResourceList(quota.status?.hard as Record<string, unknown>).resources;
  if (!sameResources(spec, status)) return true;
  const used = quota.status?.used ?? {};
  return [...status.keys()].some((k) => !(k in used) && isMeasured(k));
}

/** Builds the controller on `context.manager`. */
export function registerResourceQuotaController(context: ControllerContext): RuntimeController {
  const { manager } = context;
  const clock = context.settings.clock;
  const syncer = new ResourceQuotaSyncer(manager, () => clock.now());
  const controller = new RuntimeController(
    {
      ...manager.controllerDefaults(),
      name: 'resourcequota',
      maxConcurrentReconciles: context.concurrency,
      syncPeriodMs: resourceQuotaSyncPeriodMs,
      reconciler: { reconcile: (r: Request) => syncer.sync(r.namespace, r.name) },
    },
    manager.informers,
  );
  const enqueue = (q: Readonly<ResourceQuota>) =>
    controller.enqueue(
      { namespace: q.metadata?.namespace ?? '', name: q.metadata?.name ?? '' },
      { priority: missesUsage(q) ? missingUsagePriority : undefined },
    );
  void controller.watch({
    kind: ResourceQuota,
    handler: {
      create: (e) => enqueue(e.object as ResourceQuota),
      update: (e) => {
        const old = e.objectOld as ResourceQuota;
        const cur = e.objectNew as ResourceQuota;
        const resync = old.metadata?.resourceVersion === cur.metadata?.resourceVersion;
        const hardChanged = !sameResources(
          parseResourceList(old.spec?.hard as Record<string, unknown>).resources,
          parseResourceList(cur.spec?.hard as Record<string, unknown>).resources,
        );
        if (resync || hardChanged) enqueue(cur);
      },
    },
  });
  const quotas = manager.informers.informerFor(ResourceQuota);
  const replenish = async (namespace: string | undefined) => {
    if (!namespace) return;
    for (const q of (await quotas).store.list({ namespace })) enqueue(q as ResourceQuota);
  };
  const onDelete = {
    delete: (e: { object: { metadata?: { namespace?: string } } }) =>
      void replenish(e.object.metadata?.namespace),
  };
  for (const kind of [Service, PersistentVolumeClaim, ConfigMap, Secret, ReplicationController]) {
    void controller.watch({ kind, handler: onDelete });
  }
  void controller.watch({
    kind: Pod,
    handler: {
      ...onDelete,
      update: (e) => {
        const now = clock.now();
        if (
          podCountsForQuota(e.objectOld as Pod, now) &&
          !podCountsForQuota(e.objectNew as Pod, now)
        ) {
          void replenish(e.objectNew.metadata?.namespace);
        }
      },
    },
  });
  manager.addController(controller);
  return controller;
}

export const resourceQuotaController: ControllerDescriptor = {
  name: 'resourcequota',
  aliases: ['resourcequota-controller'],
  concurrencyFlag: 'concurrent-resource-quota-syncs',
  defaultConcurrency: defaultResourceQuotaWorkers,
  register: (context) => void registerResourceQuotaController(context),
};
