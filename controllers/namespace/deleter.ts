/**
 * Emptying a terminating namespace (upstream `namespace/deletion/namespaced_resources_deleter.go`):
 *
 * 1. Read the namespace live; nothing to do when it is gone, not being deleted, or already
 *    finalized (no `kubernetes` in `spec.finalizers`). Make sure its phase is `Terminating`.
 * 2. Discover every namespaced resource that supports `delete` (preferred versions, custom
 *    resources included). For each: estimate graceful pod termination, delete the collection
 *    (background propagation) or — without `deletecollection` — every item, then list what
 *    remains and the finalizers holding it.
 * 3. Write the five deletion conditions (only when they changed).
 * 4. Anything remaining → {@link ResourcesRemainingError} with an estimate in seconds; failures →
 *    an error; otherwise remove `kubernetes` from `spec.finalizers` through `PUT …/finalize`, after
 *    which the API server deletes the namespace.
 */
import {
  isConflict,
  isNotFound,
  Namespace,
  Pod,
  resourcePath,
  rfc3339,
  StatusError,
  type ApiClient,
  type Clock,
  type Kind,
  type ObjectMeta,
} from '../../framework/index.js';
import {
  serverPreferredResources,
  supportsVerbs,
  type DiscoveredResource,
} from '../gc/discovery.js';
import { NamespaceConditionUpdater, type ContentTotals } from './conditions.js';
import {
  defaultTerminationGracePeriodSeconds,
  finalizerEstimateSeconds,
  finalizerKubernetes,
} from './defaults.js';

/** Content remains; try again in about `estimateSeconds` (upstream `ResourcesRemainingError`). */
export class ResourcesRemainingError extends Error {
  constructor(readonly estimateSeconds: number) {
    super(
      `some content remains in the namespace, estimate ${estimateSeconds} seconds before it is removed`,
    );
    this.name = 'ResourcesRemainingError';
  }
}

const metadataListAccept =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

interface GVRResult {
  estimateSeconds: number;
  remaining: number;
  finalizers: Map<string, number>;
}

export class NamespacedResourcesDeleter {
  /** Resources whose `deletecollection` turned out unsupported (upstream `opCache`). */
  private readonly noDeleteCollection = new Set<string>();

  constructor(
    private readonly api: ApiClient,
    private readonly clock: Clock,
  ) {}

  /** Empties and finalizes `name`; see the module comment. */
  async delete(name: string): Promise<void> {
    let ns = await this.read(name);
    if (!ns?.metadata?.deletionTimestamp) return;
    ns = await this.retryOnConflict(ns, (n) => this.ensureTerminating(n));
    if (!ns?.metadata?.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(finalizerKubernetes)) return;
    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) throw new ResourcesRemainingError(estimate);
    await this.retryOnConflict(ns, (n) => this.finalize(n));
  }

  private async read(name: string): Promise<Namespace | undefined> {
    try {
      return await this.api.get(Namespace, name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Runs `fn` on the latest namespace, re-reading it after a conflict (upstream `retryOnConflictError`). */
  private async retryOnConflict(
    ns: Namespace,
    fn: (ns: Namespace) => Promise<Namespace | undefined>,
  ): Promise<Namespace | undefined> {
    let current: Namespace | undefined = ns;
    for (;;) {
      try {
        return await fn(current);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if (!isConflict(err)) throw err;
        current = await this.read(ns.metadata!.name!);
        if (!current) return undefined;
      }
    }
  }

  private async ensureTerminating(ns: Namespace): Promise<Namespace> {
    if (!ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return ns;
    const updated = structuredClone(ns);
    updated.status = { ...updated.status, phase: 'Terminating' };
    return this.api.updateStatus(updated, { kind: Namespace });
  }

  /** PUT `/finalize` without our finalizer (upstream `finalizeNamespace`). */
  private async finalize(ns: Namespace): Promise<Namespace> {
    const finalizers = [
      ...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== finalizerKubernetes)),
    ].sort();
    const body: Namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: ns.metadata,
      spec: { ...ns.spec, finalizers },
    };
    return this.api.rest.json<Namespace>({
      method: 'PUT',
      path: resourcePath(Namespace, { name: ns.metadata!.name!, subresource: 'finalize' }),
      body,
    });
  }

  /** Upstream `deleteAllContent`: returns the estimate in seconds; throws on failures. */
  private async deleteAllContent(ns: Namespace): Promise<number> {
    const name = ns.metadata!.name!;
    const deletedAt = Date.parse(ns.metadata!.deletionTimestamp!);
    const conditions = new NamespaceConditionUpdater(() => rfc3339(new Date(this.clock.now())));
    const errors: string[] = [];
    let resources: DiscoveredResource[] = [];
    try {
      const discovery = await serverPreferredResources(this.api.rest);
      resources = discovery.resources.filter(
        (r) => r.kind.namespaced && supportsVerbs(r, ['delete']),
      );
      if (discovery.failedGroups.size > 0) {
        const groups = [...discovery.failedGroups].map(([gv, why]) => `${gv}: ${why}`).sort();
        const message = `unable to retrieve the complete list of server APIs: ${groups.join(', ')}`;
        conditions.processDiscoveryError(
          `Discovery failed for some groups, ${discovery.failedGroups.size} failing: ${message}`,
        );
        errors.push(message);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      conditions.processDiscoveryError(message);
      errors.push(message);
    }
    let estimate = 0;
    const totals: ContentTotals = {
      remainingByResource: new Map(),
      remainingByFinalizer: new Map(),
    };
    const contentErrors: string[] = [];
    for (const r of resources) {
      try {
        const result = await this.deleteAllContentFor(r, name, deletedAt);
        estimate = Math.max(estimate, result.estimateSeconds);
        if (result.remaining > 0) {
          totals.remainingByResource.set(`${r.kind.plural}.${r.kind.group}`, result.remaining);
          for (const [f, n] of result.finalizers) {
            totals.remainingByFinalizer.set(f, (totals.remainingByFinalizer.get(f) ?? 0) + n);
          }
        }
      } catch (err) {
        contentErrors.push(err instanceof Error ? err.message : String(err));
        if (err instanceof GVRError) {
          estimate = Math.max(estimate, err.estimateSeconds);
          if (err.remaining > 0) {
            totals.remainingByResource.set(`${r.kind.plural}.${r.kind.group}`, err.remaining);
          }
        }
      }
    }
    conditions.processContentTotals(totals);
    conditions.processDeleteContentErrors(contentErrors);
    const updated = structuredClone(ns);
    updated.status ??= {};
    if (conditions.update(updated.status)) {
      try {
        await this.api.updateStatus(updated, { kind: Namespace });
      } catch {
        // Upstream only logs this: the conditions are written again on the next pass.
      }
    }
    errors.push(...contentErrors);
    if (errors.length > 0)
      throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    return estimate;
  }

  /** Upstream `deleteAllContentForGroupVersionResource`. */
  private async deleteAllContentFor(
    r: DiscoveredResource,
    namespace: string,
    deletedAt: number,
  ): Promise<GVRResult> {
    const kind = r.kind;
    const estimate = await this.estimateGracefulTermination(kind, namespace, deletedAt);
    try {
      const collected = await this.deleteCollection(r, namespace);
      if (!collected) await this.deleteEachItem(kind, namespace);
      const items = await this.listMetadata(kind, namespace);
      if (items.length === 0) return { estimateSeconds: 0, remaining: 0, finalizers: new Map() };
      const finalizers = new Map<string, number>();
      for (const item of items) {
        for (const f of item.metadata?.finalizers ?? [])
          finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
      }
      if (estimate > 0) return { estimateSeconds: estimate, remaining: items.length, finalizers };
      if (finalizers.size > 0) {
        return { estimateSeconds: finalizerEstimateSeconds, remaining: items.length, finalizers };
      }
      throw new GVRError(
        `unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(kind)}`,
        estimate,
        items.length,
      );
    } catch (err) {
      if (err instanceof GVRError) throw err;
      throw new GVRError(err instanceof Error ? err.message : String(err), estimate, 0);
    }
  }

  /** Seconds the namespace's running pods may still take to terminate (upstream, pods only). */
  private async estimateGracefulTermination(
    kind: Kind,
    namespace: string,
    deletedAt: number,
  ): Promise<number> {
    if (kind.group !== '' || kind.plural !== 'pods') return 0;
    const pods = await this.api.listAll(Pod, { namespace });
    let estimate = 0;
    for (const pod of pods.items) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = pod.spec?.terminationGracePeriodSeconds ?? defaultTerminationGracePeriodSeconds;
      estimate = Math.max(estimate, grace);
    }
    if (this.clock.now() - deletedAt >= estimate * 1000) return 0;
    return estimate;
  }

  /** Upstream `deleteCollection`: false when the resource does not support it. */
  private async deleteCollection(r: DiscoveredResource, namespace: string): Promise<boolean> {
    const key = gvrString(r.kind);
    if (!supportsVerbs(r, ['deletecollection']) || this.noDeleteCollection.has(key)) return false;
    try {
      await this.api.rest.json({
        method: 'DELETE',
        path: resourcePath(r.kind, { namespace }),
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
      });
      return true;
    } catch (err) {
      if (isNotFound(err) || isMethodNotSupported(err)) {
        this.noDeleteCollection.add(key);
        return false;
      }
      throw err;
    }
  }

  /** Upstream `deleteEachItem`. */
  private async deleteEachItem(kind: Kind, namespace: string): Promise<void> {
    for (const item of await this.listMetadata(kind, namespace)) {
      try {
        await this.api.delete(kind, item.metadata!.name!, {
          namespace,
          propagationPolicy: 'Background',
        });
      } catch (err) {
        if (!isNotFound(err) && !isMethodNotSupported(err)) throw err;
      }
    }
  }

  private async listMetadata(
    kind: Kind,
    namespace: string,
  ): Promise<Array<{ metadata?: ObjectMeta }>> {
    const list = await this.api.rest.json<{ items?: Array<{ metadata?: ObjectMeta }> }>({
      method: 'GET',
      path: resourcePath(kind, { namespace }),
      accept: metadataListAccept,
    });
    return list.items ?? [];
  }
}

/** A per-resource failure that still carries the graceful-termination estimate. */
class GVRError extends Error {
  constructor(
    message: string,
    readonly estimateSeconds: number,
    readonly remaining: number,
  ) {
    super(message);
  }
}

function isMethodNotSupported(err: unknown): boolean {
  return err instanceof StatusError && err.status.reason === 'MethodNotAllowed';
}

function gvrString(kind: Kind): string {
  return `${kind.group}/${kind.version}, Resource=${kind.plural}`;
}
