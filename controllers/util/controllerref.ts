/**
 * The controllerRef manager (`controller_ref_manager.go`): a controller claims the children it
 * should manage, adopting orphans that match its selector and releasing children that no longer
 * match.
 *
 * For each candidate (`ClaimObject`):
 * - controlled by another UID → ignored;
 * - controlled by the owner and matching → claimed;
 * - controlled by the owner, not matching, owner not being deleted → released (a strategic-merge
 *   patch deleting the ownerReference by UID, guarded by the child's UID; NotFound and Invalid
 *   answers mean it is gone or changed, and are ignored);
 * - orphan, matching, owner and child not being deleted, same namespace → adopted (a strategic
 *   merge patch adding a controller reference with blockOwnerDeletion, guarded by the child's UID).
 *   Before the first adoption the owner is re-read from the server, uncached (a quorum read): an
 *   owner deleted or replaced meanwhile adopts nothing (`RecheckDeletionTimestamp`).
 *
 * Every candidate is processed; errors are collected and thrown together at the end, after which
 * the caller must not act on the partial result.
 */
import {
  apiVersionOf,
  getControllerOf,
  isInvalid,
  isNotFound,
  type ApiClient,
  type CacheReader,
  type Client,
  type Kind,
  type KubernetesObject,
  type OwnerReference,
  type Selector,
} from '../../framework/index.js';
import { semanticEqual } from './equality.js';
import { aggregate, errorMessage } from './errors.js';

export interface ClaimOptions {
  /** The cached client children are patched through. */
  client: Client;
  /** The uncached client the owner is re-read with before adopting. */
  api: ApiClient;
  owner: Readonly<KubernetesObject>;
  ownerKind: Kind;
  childKind: Kind;
  selector: Selector;
  /** Finalizers added on adoption and removed on release (the Job's tracking finalizer). */
  finalizers?: string[];
  /** Extra conditions a child must meet to be claimed. */
  filters?: Array<(child: Readonly<KubernetesObject>) => boolean>;
}

/** Claims `children`; resolves with the claimed ones, or rejects with every error met. */
export async function claimChildren<T extends KubernetesObject>(
  children: readonly Readonly<T>[],
  options: ClaimOptions,
): Promise<Readonly<T>[]> {
  const { owner } = options;
  const ownerUid = owner.metadata?.uid ?? '';
  const ownerDeleting = !!owner.metadata?.deletionTimestamp;
  const canAdopt = once(() => recheckDeletionTimestamp(options));
  const matches = (c: Readonly<KubernetesObject>): boolean =>
    options.selector.matches(c.metadata?.labels) && (options.filters ?? []).every((f) => f(c));
  const claimed: Readonly<T>[] = [];
  const errors: Error[] = [];
  for (const child of children) {
    try {
      const ref = getControllerOf(child);
      if (ref) {
        if (ref.uid !== ownerUid) continue;
        if (matches(child)) {
          claimed.push(child);
          continue;
        }
        if (ownerDeleting) continue;
        await release(child, options);
        continue;
      }
      if (ownerDeleting || !matches(child) || child.metadata?.deletionTimestamp) continue;
      if (owner.metadata?.namespace && owner.metadata.namespace !== child.metadata?.namespace)
        continue;
      try {
        await canAdopt();
      } catch (err) {
        const c = child.metadata!;
        throw new Error(
          `can't adopt ${options.childKind.kind} ${c.namespace}/${c.name} (${c.uid}): ${errorMessage(err)}`,
        );
      }
      try {
        await adopt(child, options);
      } catch (err) {
        if (isNotFound(err)) continue;
        throw err;
      }
      claimed.push(child);
    } catch (err) {
      errors.push(err instanceof Error ? err : new Error(String(err)));
    }
  }
  const error = aggregate(errors);
  if (error) throw error;
  return claimed;
}

/** `RecheckDeletionTimestamp` over a live GET of the owner. */
async function recheckDeletionTimestamp(options: ClaimOptions): Promise<void> {
  const { owner, ownerKind, api } = options;
  const meta = owner.metadata ?? {};
  let fresh: KubernetesObject;
  try {
    fresh = await api.get(ownerKind, meta.name ?? '', { namespace: meta.namespace });
  } catch (err) {
    throw new Error(`can't recheck DeletionTimestamp: ${errorMessage(err)}`);
  }
  if (fresh.metadata?.uid !== meta.uid) {
    throw new Error(
      `can't recheck DeletionTimestamp: original ${ownerKind.kind} ${meta.namespace}/${meta.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${meta.uid}`,
    );
  }
  if (fresh.metadata?.deletionTimestamp) {
    throw new Error(
      `${meta.namespace}/${meta.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`,
    );
  }
}

/** The controller reference an owner puts on its children (`metav1.NewControllerRef`). */
export function newControllerRef(owner: Readonly<KubernetesObject>, ownerKind: Kind) {
  return {
    apiVersion: apiVersionOf(ownerKind),
    kind: ownerKind.kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

async function adopt(child: Readonly<KubernetesObject>, options: ClaimOptions): Promise<void> {
  const metadata: Record<string, unknown> = {
    ownerReferences: [newControllerRef(options.owner, options.ownerKind)],
    uid: child.metadata?.uid,
  };
  if (options.finalizers?.length) metadata.finalizers = options.finalizers;
  await patchMetadata(child, metadata, options);
}

async function release(child: Readonly<KubernetesObject>, options: ClaimOptions): Promise<void> {
  const metadata: Record<string, unknown> = {
    ownerReferences: [{ $patch: 'delete', uid: options.owner.metadata?.uid }],
    uid: child.metadata?.uid,
  };
  if (options.finalizers?.length) {
    metadata['$deleteFromPrimitiveList/finalizers'] = options.finalizers;
  }
  try {
    await patchMetadata(child, metadata, options);
  } catch (err) {
    if (isNotFound(err) || isInvalid(err)) return;
    throw err;
  }
}

/** A strategic-merge patch of the child's metadata. */
async function patchMetadata(
  child: Readonly<KubernetesObject>,
  metadata: Record<string, unknown>,
  options: ClaimOptions,
): Promise<void> {
  await options.client.patch(
    options.childKind,
    child.metadata?.name ?? '',
    { metadata },
    { namespace: child.metadata?.namespace, type: 'strategic' },
  );
}

/** Runs `fn` at most once; later calls get the first call's outcome. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= fn());
}

/**
 * `resolveControllerRef`: the owner a controller reference names, when it is of `kind` and the
 * cached object of that name still has the referenced UID (a re-created namesake is not it).
 */
export function resolveControllerRef<T extends KubernetesObject>(
  store: CacheReader<T>,
  namespace: string | undefined,
  ref: OwnerReference | undefined,
  kind: string,
): Readonly<T> | undefined {
  if (!ref || ref.kind !== kind) return undefined;
  const owner = store.getByName(namespace, ref.name);
  return owner && owner.metadata?.uid === ref.uid ? owner : undefined;
}

/**
 * The cached owners in `child`'s namespace whose (non-empty, valid) selector matches its labels —
 * who may adopt an orphan (`GetPodReplicaSets`, `GetDeploymentsForReplicaSet`, `GetPodJobs`). A
 * child without labels matches nobody.
 */
export function selectingOwners<T extends KubernetesObject>(
  store: CacheReader<T>,
  child: Readonly<KubernetesObject>,
  selectorOf: (owner: Readonly<T>) => Selector,
): Readonly<T>[] {
  const labels = child.metadata?.labels;
  if (!labels || Object.keys(labels).length === 0) return [];
  return store.list({ namespace: child.metadata?.namespace }).filter((owner) => {
    try {
      const s = selectorOf(owner);
      return !s.isEmpty() && s.matches(labels);
    } catch {
      return false;
    }
  });
}

/** The owners a child's add or update concerns; see {@link ownersOfChild}. */
export interface ChildOwners<T> {
  /** The former controller, when the controller reference changed. */
  previous?: Readonly<T>;
  /** The controller the current reference resolves to. */
  current?: Readonly<T>;
  /** The child has no controller reference. */
  orphan: boolean;
  /** For an orphan that is new or whose labels or reference changed: owners that may adopt it. */
  adopters: readonly Readonly<T>[];
}

/**
 * The owners to wake for a child added (`old` undefined) or updated, as upstream's `add<Child>` /
 * `update<Child>` handlers: the former controller when the reference changed, the current one, and
 * for an orphan whose labels or reference changed (or a new one) every owner that selects it.
 */
export function ownersOfChild<T, C extends KubernetesObject>(
  cur: Readonly<C>,
  old: Readonly<C> | undefined,
  resolve: (namespace: string, ref: OwnerReference) => Readonly<T> | undefined,
  selecting: (child: Readonly<C>) => readonly Readonly<T>[],
): ChildOwners<T> {
  const curRef = getControllerOf(cur);
  const oldRef = old && getControllerOf(old);
  const refChanged = !old || !semanticEqual(curRef, oldRef);
  const previous =
    refChanged && oldRef ? resolve(old.metadata?.namespace ?? '', oldRef) : undefined;
  if (curRef) {
    const current = resolve(cur.metadata?.namespace ?? '', curRef);
    return { previous, current, orphan: false, adopters: [] };
  }
  const relabelled = !old || !semanticEqual(cur.metadata?.labels ?? {}, old.metadata?.labels ?? {});
  return { previous, orphan: true, adopters: refChanged || relabelled ? selecting(cur) : [] };
}
