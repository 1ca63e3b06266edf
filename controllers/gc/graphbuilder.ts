/**
 * The graph builder (upstream `graph_builder.go` `processGraphChanges`): turns the monitors'
 * add/update/delete events — and the collector's *virtual* delete events for owners found absent —
 * into graph changes, and queues the nodes that need attention:
 *
 * - a new object's owners that are unknown become virtual nodes, queued to be verified;
 * - an object that starts being deleted with the `orphan` finalizer goes to attemptToOrphan; one
 *   that starts with `foregroundDeletion` is marked deleting-dependents and queued with all its
 *   dependents;
 * - removing a blocking owner reference (or unblocking it) re-queues that owner;
 * - a deleted object's dependents are queued (its uid is remembered as absent), and so are its
 *   owners that wait for their dependents;
 * - a dependent whose owner reference disagrees with the observed owner (other namespace,
 *   name, kind or version) is queued to be verified, with an `OwnerRefInvalidNamespace` event for
 *   a namespace mismatch.
 *
 * Events are processed synchronously, one at a time (JavaScript's single thread is upstream's
 * single graph goroutine).
 */
import type { ObjectMeta, QueueInterface } from '../../framework/index.js';
import { absentOwnerCacheSize, foregroundFinalizer, orphanFinalizer } from './defaults.js';
import {
  AbsentOwnerCache,
  GraphNode,
  partitionDependents,
  referenceMatches,
  referencesDiffs,
  sameIdentity,
  type ObjectIdentity,
} from './graph.js';

/** An object as a monitor sees it: metadata only. */
export interface ObservedObject {
  metadata?: ObjectMeta;
}

export interface GraphBuilderOptions {
  attemptToDelete: Pick<QueueInterface<GraphNode>, 'add'> & { addRateLimited(n: GraphNode): void };
  attemptToOrphan: Pick<QueueInterface<GraphNode>, 'add'>;
  /** Reports an owner reference to another namespace (the `OwnerRefInvalidNamespace` event). */
  reportInvalidNamespaceOwnerRef(dependent: GraphNode, ownerUID: string): void;
}

function beingDeleted(meta: ObjectMeta | undefined): boolean {
  return !!meta?.deletionTimestamp;
}

function hasFinalizer(meta: ObjectMeta | undefined, f: string): boolean {
  return meta?.finalizers?.includes(f) ?? false;
}

/** Upstream `deletionStartsWithFinalizer`. */
function deletionStartsWithFinalizer(
  old: ObjectMeta | undefined,
  current: ObjectMeta | undefined,
  finalizer: string,
  hadOld: boolean,
): boolean {
  if (!beingDeleted(current) || !hasFinalizer(current, finalizer)) return false;
  if (!hadOld) return true;
  return !beingDeleted(old) || !hasFinalizer(old, finalizer);
}

export class GraphBuilder {
  readonly uidToNode = new Map<string, GraphNode>();
  readonly absentOwnerCache = new AbsentOwnerCache(absentOwnerCacheSize);

  constructor(private readonly options: GraphBuilderOptions) {}

  private get attemptToDelete() {
    return this.options.attemptToDelete;
  }

  /** Identity of an observed object of `gvk`. */
  static identityOf(
    gvk: { apiVersion: string; kind: string },
    obj: ObservedObject,
  ): ObjectIdentity {
    return {
      apiVersion: gvk.apiVersion,
      kind: gvk.kind,
      name: obj.metadata?.name ?? '',
      uid: obj.metadata?.uid ?? '',
      namespace: obj.metadata?.namespace ?? '',
    };
  }

  /** An add or update seen by a monitor (`old` undefined for adds). */
  observe(
    gvk: { apiVersion: string; kind: string },
    obj: ObservedObject,
    old?: ObservedObject,
  ): void {
    const meta = obj.metadata;
    const uid = meta?.uid;
    if (!uid) return;
    let existing = this.uidToNode.get(uid);
    if (existing && existing.virtual) {
      const observed = GraphBuilder.identityOf(gvk, obj);
      if (!sameIdentity(observed, existing.identity)) {
        const { nonMatching } = partitionDependents(existing.dependents, observed);
        for (const dep of nonMatching) {
          if (observed.namespace !== '' && dep.identity.namespace !== observed.namespace) {
            this.options.reportInvalidNamespaceOwnerRef(dep, observed.uid);
          }
          this.attemptToDelete.add(dep);
        }
        existing = existing.clone();
        existing.identity = observed;
        this.uidToNode.set(uid, existing);
      }
      existing.markObserved();
    }
    if (!existing) {
      const node = new GraphNode(GraphBuilder.identityOf(gvk, obj), false);
      node.owners = [...(meta?.ownerReferences ?? [])];
      node.beingDeleted = beingDeleted(meta);
      node.deletingDependents = node.beingDeleted && hasFinalizer(meta, foregroundFinalizer);
      this.insertNode(node);
      this.processTransitions(old?.metadata, meta, node, old !== undefined);
      return;
    }
    const { added, removed, changed } = referencesDiffs(
      existing.owners,
      meta?.ownerReferences ?? [],
    );
    if (added.length || removed.length || changed.length) {
      this.addUnblockedOwnersToDeleteQueue(removed, changed);
      existing.owners = [...(meta?.ownerReferences ?? [])];
      this.addDependentToOwners(existing, added);
      this.removeDependentFromOwners(existing, removed);
    }
    if (beingDeleted(meta)) existing.beingDeleted = true;
    this.processTransitions(old?.metadata, meta, existing, old !== undefined);
  }

  /** A delete seen by a monitor. */
  observeDelete(gvk: { apiVersion: string; kind: string }, obj: ObservedObject): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    const existing = this.uidToNode.get(uid);
    if (!existing) return;
    this.removeAndPropagate(existing, GraphBuilder.identityOf(gvk, obj));
  }

  /**
   * The collector found `identity` absent (upstream `enqueueVirtualDeleteEvent`). A node observed
   * with other coordinates is kept; a virtual node whose dependents disagree on its coordinates is
   * kept under another identity.
   */
  virtualDelete(identity: ObjectIdentity): void {
    const existing = this.uidToNode.get(identity.uid);
    if (!existing) return;
    if (existing.virtual) {
      const { matching, nonMatching } = partitionDependents(existing.dependents, identity);
      if (nonMatching.length > 0) {
        if (matching.length > 0) {
          this.absentOwnerCache.add(identity);
          for (const dep of matching) this.attemptToDelete.add(dep);
        }
        if (sameIdentity(existing.identity, identity)) {
          const replacement = alternateOwnerIdentity(nonMatching, identity);
          if (replacement) {
            const node = existing.clone();
            node.identity = replacement;
            this.uidToNode.set(identity.uid, node);
            this.attemptToDelete.addRateLimited(node);
          }
        }
        return;
      }
    } else if (!sameIdentity(existing.identity, identity)) {
      const { matching } = partitionDependents(existing.dependents, identity);
      if (matching.length > 0) {
        this.absentOwnerCache.add(identity);
        for (const dep of matching) this.attemptToDelete.add(dep);
      }
      return;
    }
    this.removeAndPropagate(existing, identity);
  }

  private removeAndPropagate(node: GraphNode, identity: ObjectIdentity): void {
    this.removeNode(node);
    if (node.dependents.size > 0) this.absentOwnerCache.add(identity);
    for (const dep of node.dependents) this.attemptToDelete.add(dep);
    for (const owner of node.owners) {
      const ownerNode = this.uidToNode.get(owner.uid);
      if (ownerNode?.deletingDependents) this.attemptToDelete.add(ownerNode);
    }
  }

  private insertNode(node: GraphNode): void {
    this.uidToNode.set(node.identity.uid, node);
    this.addDependentToOwners(node, node.owners);
  }

  private removeNode(node: GraphNode): void {
    this.uidToNode.delete(node.identity.uid);
    this.removeDependentFromOwners(node, node.owners);
  }

  /** Upstream `addDependentToOwners`, including the checks of potentially invalid references. */
  private addDependentToOwners(node: GraphNode, owners: readonly ObjectMetaOwner[]): void {
    let potentiallyInvalid = false;
    for (const owner of owners) {
      let ownerNode = this.uidToNode.get(owner.uid);
      const known = ownerNode !== undefined;
      if (!ownerNode) {
        ownerNode = new GraphNode(
          {
            apiVersion: owner.apiVersion,
            kind: owner.kind,
            name: owner.name,
            uid: owner.uid,
            namespace: node.identity.namespace,
          },
          true,
        );
        this.uidToNode.set(owner.uid, ownerNode);
      }
      ownerNode.dependents.add(node);
      if (!known) {
        this.attemptToDelete.add(ownerNode);
        continue;
      }
      if (potentiallyInvalid) continue;
      const ownerNamespaced = ownerNode.identity.namespace !== '';
      if (ownerNamespaced && ownerNode.identity.namespace !== node.identity.namespace) {
        if (ownerNode.isObserved()) this.options.reportInvalidNamespaceOwnerRef(node, owner.uid);
        potentiallyInvalid = true;
      } else if (!referenceMatches(owner, ownerNode.identity)) {
        potentiallyInvalid = true;
      } else if (
        !ownerNamespaced &&
        ownerNode.identity.namespace !== node.identity.namespace &&
        !ownerNode.isObserved()
      ) {
        potentiallyInvalid = true;
      }
    }
    if (potentiallyInvalid) this.attemptToDelete.add(node);
  }

  private removeDependentFromOwners(node: GraphNode, owners: readonly ObjectMetaOwner[]): void {
    for (const owner of owners) this.uidToNode.get(owner.uid)?.dependents.delete(node);
  }

  /** Upstream `addUnblockedOwnersToDeleteQueue`. */
  private addUnblockedOwnersToDeleteQueue(
    removed: readonly ObjectMetaOwner[],
    changed: ReadonlyArray<{ oldRef: ObjectMetaOwner; newRef: ObjectMetaOwner }>,
  ): void {
    for (const ref of removed) {
      if (ref.blockOwnerDeletion !== true) continue;
      const owner = this.uidToNode.get(ref.uid);
      if (owner) this.attemptToDelete.add(owner);
    }
    for (const { oldRef, newRef } of changed) {
      if (oldRef.blockOwnerDeletion === true && newRef.blockOwnerDeletion !== true) {
        const owner = this.uidToNode.get(newRef.uid);
        if (owner) this.attemptToDelete.add(owner);
      }
    }
  }

  /** Upstream `processTransitions`. */
  private processTransitions(
    old: ObjectMeta | undefined,
    current: ObjectMeta | undefined,
    node: GraphNode,
    hadOld: boolean,
  ): void {
    if (deletionStartsWithFinalizer(old, current, orphanFinalizer, hadOld)) {
      this.options.attemptToOrphan.add(node);
      return;
    }
    if (deletionStartsWithFinalizer(old, current, foregroundFinalizer, hadOld)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.attemptToDelete.add(dep);
      this.attemptToDelete.add(node);
    }
  }
}

type ObjectMetaOwner = NonNullable<ObjectMeta['ownerReferences']>[number];

/**
 * Upstream `getAlternateOwnerIdentity`: other coordinates the dependents use for the absent owner;
 * the first one sorting after the verified identity, else the first one found.
 */
function alternateOwnerIdentity(
  dependents: readonly GraphNode[],
  verified: ObjectIdentity,
): ObjectIdentity | undefined {
  const clusterScoped = verified.namespace === '';
  const key = (id: ObjectIdentity) =>
    JSON.stringify([id.apiVersion, id.kind, id.name, id.namespace, id.uid]);
  const seen = new Set([key(verified)]);
  let first: ObjectIdentity | undefined;
  let following: ObjectIdentity | undefined;
  for (const dep of dependents) {
    for (const ref of dep.owners) {
      if (ref.uid !== verified.uid) continue;
      if (
        referenceMatches(ref, verified) &&
        (clusterScoped || verified.namespace === dep.identity.namespace)
      ) {
        continue;
      }
      let namespace = dep.identity.namespace;
      if (clusterScoped && ref.apiVersion === verified.apiVersion && ref.kind === verified.kind) {
        namespace = '';
      }
      const id: ObjectIdentity = {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        name: ref.name,
        uid: ref.uid,
        namespace,
      };
      if (seen.has(key(id))) continue;
      seen.add(key(id));
      first ??= id;
      if (key(verified) < key(id) && (!following || key(id) < key(following))) following = id;
    }
  }
  return following ?? first;
}
