/**
 * The garbage collector's decisions (upstream `garbagecollector.go`): what to do with one node
 * taken from attemptToDelete or attemptToOrphan. See `garbagecollector.ts` for the process
 * around them.
 *
 * attemptToDelete (`attemptToDeleteItem`): a node being deleted without waiting for dependents
 * is left alone; an object that no longer exists (or has another uid) becomes a virtual delete;
 * a node deleting its dependents removes its `foregroundDeletion` finalizer once no blocking
 * dependent remains; otherwise each owner reference is classified as solid (owner exists),
 * dangling (absent — or in another namespace) or waiting (owner deleting its dependents):
 * - at least one solid owner: dangling and waiting references are removed, the object stays;
 * - waiting owners and dependents of its own: delete in the foreground (first unblocking its own
 *   references if a dependent is itself deleting dependents, to avoid a cycle);
 * - otherwise: delete, with the propagation its own finalizers ask for (orphan, foreground, or
 *   background).
 * A cluster-scoped object naming a namespaced owner is never collected (a warning event says why).
 *
 * attemptToOrphan (`attemptToOrphanWorker`): remove the owner's reference from every dependent,
 * then its `orphan` finalizer.
 */
import type { OwnerReference } from '../../framework/index.js';
import { foregroundFinalizer, orphanFinalizer } from './defaults.js';
import type { GraphBuilder } from './graphbuilder.js';
import type { GraphNode, ObjectIdentity } from './graph.js';
import type { Operations, PartialObject } from './operations.js';

/** What the worker does with the node afterwards. */
export type Outcome = 'forget' | 'requeue';

/** A virtual delete was produced: nothing more to do for this node. */
class VirtualDeleteEnqueued extends Error {}

/** A cluster-scoped object refers to a namespaced owner: retrying cannot help. */
export class NamespacedOwnerOfClusterScopedObjectError extends Error {
  constructor() {
    super('cluster-scoped objects cannot refer to namespaced owners');
    this.name = 'NamespacedOwnerOfClusterScopedObjectError';
  }
}

export interface CollectorEvents {
  /** The `OwnerRefInvalidNamespace` warning about `dependent`. */
  invalidNamespaceOwnerRef(dependent: GraphNode, owner: OwnerReference): void;
  /** An error worth logging (with the node). */
  error(node: GraphNode, err: unknown): void;
}

export class Collector {
  constructor(
    private readonly graph: GraphBuilder,
    private readonly ops: Operations,
    private readonly events: CollectorEvents,
  ) {}

  /** Upstream `attemptToDeleteWorker`. */
  async attemptToDelete(node: GraphNode): Promise<Outcome> {
    if (node.virtual) {
      const inGraph = this.graph.uidToNode.get(node.identity.uid);
      if (!inGraph || inGraph.isObserved()) return 'forget';
    }
    try {
      await this.attemptToDeleteItem(node);
    } catch (err) {
      if (err instanceof VirtualDeleteEnqueued) return 'forget';
      if (err instanceof NamespacedOwnerOfClusterScopedObjectError) return 'forget';
      this.events.error(node, err);
      return 'requeue';
    }
    return node.virtual ? 'requeue' : 'forget';
  }

  private virtualDelete(id: ObjectIdentity): never {
    this.graph.virtualDelete(id);
    throw new VirtualDeleteEnqueued();
  }

  /** Upstream `attemptToDeleteItem`. */
  async attemptToDeleteItem(node: GraphNode): Promise<void> {
    if (node.beingDeleted && !node.deletingDependents) return;
    const latest = await this.ops.getObject(node.identity);
    if (!latest || latest.metadata?.uid !== node.identity.uid) this.virtualDelete(node.identity);
    if (node.deletingDependents) return this.processDeletingDependents(node);
    const refs = latest.metadata?.ownerReferences ?? [];
    if (refs.length === 0) return;
    const { solid, dangling, waiting } = await this.classifyReferences(node, refs);
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      await this.ops.removeOwnerReferences(
        node.identity,
        [...dangling, ...waiting].map((r) => r.uid),
      );
      return;
    }
    if (waiting.length > 0 && node.dependents.size > 0) {
      for (const dep of node.dependents) {
        if (dep.deletingDependents) {
          await this.ops.unblockOwnerReferences(node.identity);
          break;
        }
      }
      await this.ops.deleteObject(node.identity, 'Foreground');
      return;
    }
    await this.ops.deleteObject(node.identity, propagationFor(latest));
  }

  /** Upstream `processDeletingDependentsItem`. */
  private async processDeletingDependents(node: GraphNode): Promise<void> {
    const blocking = node.blockingDependents();
    if (blocking.length === 0) {
      await this.ops.removeFinalizer(node.identity, foregroundFinalizer);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.queueDelete(dep);
  }

  /** Set by the owner of the queues. */
  queueDelete: (node: GraphNode) => void = () => {};

  /** Upstream `classifyReferences`. */
  private async classifyReferences(
    node: GraphNode,
    refs: readonly OwnerReference[],
  ): Promise<{ solid: OwnerReference[]; dangling: OwnerReference[]; waiting: OwnerReference[] }> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.ownerOf(ref, node);
      if (!owner) dangling.push(ref);
      else if (
        owner.metadata?.deletionTimestamp &&
        owner.metadata.finalizers?.includes(foregroundFinalizer)
      ) {
        waiting.push(ref);
      } else solid.push(ref);
    }
    return { solid, dangling, waiting };
  }

  /** Upstream `isDangling`: the live owner, or undefined when it is absent. */
  private async ownerOf(ref: OwnerReference, node: GraphNode): Promise<PartialObject | undefined> {
    const clusterKey = {
      uid: ref.uid,
      name: ref.name,
      kind: ref.kind,
      apiVersion: ref.apiVersion,
      namespace: '',
    };
    if (this.graph.absentOwnerCache.has(clusterKey)) return undefined;
    const namespacedKey = { ...clusterKey, namespace: node.identity.namespace };
    if (this.graph.absentOwnerCache.has(namespacedKey)) return undefined;
    const kind = await this.ops.mapping(ref.apiVersion, ref.kind);
    const absentKey = kind.namespaced ? namespacedKey : clusterKey;
    if (node.identity.namespace === '' && kind.namespaced) {
      this.events.invalidNamespaceOwnerRef(node, ref);
      throw new NamespacedOwnerOfClusterScopedObjectError();
    }
    const owner = await this.ops.getObject(
      absentKey,
      kind.namespaced ? node.identity.namespace : '',
    );
    if (!owner || owner.metadata?.uid !== ref.uid) {
      this.graph.absentOwnerCache.add(absentKey);
      return undefined;
    }
    return owner;
  }

  /** Upstream `attemptToOrphanWorker`. */
  async attemptToOrphan(owner: GraphNode): Promise<Outcome> {
    const failures: string[] = [];
    await Promise.all(
      [...owner.dependents].map(async (dep) => {
        try {
          await this.ops.removeOwnerReferences(dep.identity, [owner.identity.uid]);
        } catch (err) {
          failures.push(`orphaning ${dep.identity.name} failed, ${message(err)}`);
        }
      }),
    );
    if (failures.length > 0) {
      this.events.error(
        owner,
        new Error(
          `failed to orphan dependents of owner ${owner.identity.name}, got errors: ${failures.join(', ')}`,
        ),
      );
      return 'requeue';
    }
    try {
      await this.ops.removeFinalizer(owner.identity, orphanFinalizer);
    } catch (err) {
      this.events.error(owner, err);
      return 'requeue';
    }
    return 'forget';
  }
}

/** The propagation an object's own finalizers ask for. */
function propagationFor(obj: PartialObject): 'Orphan' | 'Foreground' | 'Background' {
  const finalizers = obj.metadata?.finalizers ?? [];
  if (finalizers.includes(orphanFinalizer)) return 'Orphan';
  if (finalizers.includes(foregroundFinalizer)) return 'Foreground';
  return 'Background';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
