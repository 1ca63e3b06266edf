/**
 * The dependency graph of the garbage collector (upstream `graph.go`): one node per object uid,
 * with its owner references and the nodes that name it as owner (its dependents). A node for an
 * owner that is referenced but not (yet) seen by any monitor is *virtual*; the collector checks
 * with a live read whether it exists.
 */
import type { OwnerReference } from '../../framework/index.js';

/** What identifies an object in the graph (upstream `objectReference`). */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  /** `''` for cluster-scoped objects (and for virtual owners of cluster-scoped dependents). */
  readonly namespace: string;
}

/** Upstream `objectReference.String()`. */
export function identityString(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return (
    a.uid === b.uid &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.apiVersion === b.apiVersion &&
    a.namespace === b.namespace
  );
}

/** Upstream `ownerReferenceMatchesCoordinates`. */
export function referenceMatches(ref: OwnerReference, id: ObjectIdentity): boolean {
  return (
    ref.uid === id.uid &&
    ref.name === id.name &&
    ref.kind === id.kind &&
    ref.apiVersion === id.apiVersion
  );
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  owners: OwnerReference[] = [];
  /** The object has a deletionTimestamp. */
  beingDeleted = false;
  /** Being deleted with the `foregroundDeletion` finalizer: waits for its blocking dependents. */
  deletingDependents = false;

  constructor(
    public identity: ObjectIdentity,
    /** Not observed by any monitor yet. */
    public virtual: boolean,
  ) {}

  isObserved(): boolean {
    return !this.virtual;
  }

  markObserved(): void {
    this.virtual = false;
  }

  /** A copy sharing nothing mutable (upstream `clone`). */
  clone(): GraphNode {
    const copy = new GraphNode(this.identity, this.virtual);
    for (const d of this.dependents) copy.dependents.add(d);
    copy.owners = [...this.owners];
    copy.beingDeleted = this.beingDeleted;
    copy.deletingDependents = this.deletingDependents;
    return copy;
  }

  /** Dependents whose reference to this node has `blockOwnerDeletion: true`. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((dep) =>
      dep.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true),
    );
  }
}

/**
 * Upstream `partitionDependents`: the dependents whose reference to `id` matches its coordinates,
 * and those whose reference disagrees (another name/kind/version, or — for a namespaced owner —
 * another namespace).
 */
export function partitionDependents(
  dependents: Iterable<GraphNode>,
  id: ObjectIdentity,
): { matching: GraphNode[]; nonMatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonMatching: GraphNode[] = [];
  const namespaced = id.namespace !== '';
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (namespaced && dep.identity.namespace !== id.namespace) mismatch = true;
    else {
      for (const ref of dep.owners) {
        if (ref.uid !== id.uid) continue;
        if (referenceMatches(ref, id)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonMatching.push(dep);
  }
  return { matching, nonMatching };
}

/** Upstream `referencesDiffs`: owner references added, removed, or changed (same uid). */
export function referencesDiffs(
  old: readonly OwnerReference[],
  current: readonly OwnerReference[],
): {
  added: OwnerReference[];
  removed: OwnerReference[];
  changed: Array<{ oldRef: OwnerReference; newRef: OwnerReference }>;
} {
  const oldByUID = new Map(old.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: Array<{ oldRef: OwnerReference; newRef: OwnerReference }> = [];
  for (const r of current) {
    const o = oldByUID.get(r.uid);
    if (!o) added.push(r);
    else {
      if (JSON.stringify(normalizeRef(o)) !== JSON.stringify(normalizeRef(r))) {
        changed.push({ oldRef: o, newRef: r });
      }
      oldByUID.delete(r.uid);
    }
  }
  return { added, removed: [...oldByUID.values()], changed };
}

function normalizeRef(r: OwnerReference): unknown[] {
  return [r.apiVersion, r.kind, r.name, r.uid, r.controller ?? null, r.blockOwnerDeletion ?? null];
}

/** A bounded set of absent owners, least recently used evicted (upstream `ReferenceCache`). */
export class AbsentOwnerCache {
  private readonly entries = new Map<string, true>();

  constructor(private readonly capacity: number) {}

  private static key(
    id: Pick<ObjectIdentity, 'uid' | 'namespace' | 'name' | 'kind' | 'apiVersion'>,
  ): string {
    return JSON.stringify([id.uid, id.namespace, id.name, id.kind, id.apiVersion]);
  }

  add(id: Pick<ObjectIdentity, 'uid' | 'namespace' | 'name' | 'kind' | 'apiVersion'>): void {
    const key = AbsentOwnerCache.key(id);
    this.entries.delete(key);
    this.entries.set(key, true);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  has(id: Pick<ObjectIdentity, 'uid' | 'namespace' | 'name' | 'kind' | 'apiVersion'>): boolean {
    const key = AbsentOwnerCache.key(id);
    if (!this.entries.has(key)) return false;
    this.entries.delete(key);
    this.entries.set(key, true);
    return true;
  }
}
