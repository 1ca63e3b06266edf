/**
 * Event handlers turn cache events into requests (controller-runtime `pkg/handler`). Events from
 * the initial list and resyncs (an update whose resourceVersion did not change) are enqueued at
 * low priority, so fresh changes are reconciled first.
 */
import { parseApiVersion, type KubernetesObject } from '../client/index.js';
import { lowPriority } from '../workqueue/index.js';
import type { CreateEvent, DeleteEvent, GenericEvent, UpdateEvent } from './predicates.js';
import { requestKey, type Request } from './reconcile.js';

/** Where a handler puts requests. */
export interface RequestSink {
  add(request: Request, priority?: number): void;
}

export interface EventHandler<T = KubernetesObject> {
  create?(e: CreateEvent<T>, sink: RequestSink): void;
  update?(e: UpdateEvent<T>, sink: RequestSink): void;
  delete?(e: DeleteEvent<T>, sink: RequestSink): void;
  generic?(e: GenericEvent<T>, sink: RequestSink): void;
}

function requestFor(obj: Readonly<KubernetesObject>): Request {
  return { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

/** Adds each request once. */
function addUnique(q: RequestSink, reqs: Request[], priority?: number): void {
  const seen = new Set<string>();
  for (const r of reqs) {
    const key = requestKey(r);
    if (seen.has(key)) continue;
    seen.add(key);
    q.add(r, priority);
  }
}

function updatePriority(e: UpdateEvent<KubernetesObject>): number | undefined {
  return e.objectOld.metadata?.resourceVersion === e.objectNew.metadata?.resourceVersion
    ? lowPriority
    : undefined;
}

/** Enqueues the object itself (`EnqueueRequestForObject`, what `for` uses). */
export function enqueueRequestForObject(): EventHandler<KubernetesObject> {
  return {
    create: (e, q) => q.add(requestFor(e.object), e.isInInitialList ? lowPriority : undefined),
    update: (e, q) => q.add(requestFor(e.objectNew), updatePriority(e)),
    delete: (e, q) => q.add(requestFor(e.object)),
    generic: (e, q) => q.add(requestFor(e.object)),
  };
}

export interface OwnerOptions {
  /** Only the controller reference counts (what `owns` uses). Default false: every owner. */
  onlyController?: boolean;
}

/**
 * Enqueues the owners of the object that are of `owner`'s group and kind (any version), in the
 * object's namespace (`EnqueueRequestForOwner`). On updates, owners of the old and new object are
 * both enqueued, so an owner that lost a child hears about it.
 */
export function enqueueRequestForOwner(
  owner: { group: string; kind: string; namespaced?: boolean },
  options: OwnerOptions = {},
): EventHandler<KubernetesObject> {
  const owners = (obj: Readonly<KubernetesObject>): Request[] => {
    const out: Request[] = [];
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      if (options.onlyController && !ref.controller) continue;
      if (ref.kind !== owner.kind || parseApiVersion(ref.apiVersion).group !== owner.group)
        continue;
      const namespace = owner.namespaced === false ? '' : (obj.metadata?.namespace ?? '');
      out.push({ namespace, name: ref.name });
    }
    return out;
  };
  return {
    create: (e, q) => addUnique(q, owners(e.object), e.isInInitialList ? lowPriority : undefined),
    update: (e, q) =>
      addUnique(q, [...owners(e.objectOld), ...owners(e.objectNew)], updatePriority(e)),
    delete: (e, q) => addUnique(q, owners(e.object)),
    generic: (e, q) => addUnique(q, owners(e.object)),
  };
}

/** Maps an object to the requests it should trigger. */
export type MapFunc<T = KubernetesObject> = (obj: Readonly<T>) => Request[];

/** Enqueues what `map` returns (`EnqueueRequestsFromMapFunc`); updates map old and new. */
export function enqueueRequestsFromMapFunc<T extends KubernetesObject>(
  map: MapFunc<T>,
): EventHandler<T> {
  return {
    create: (e, q) => addUnique(q, map(e.object), e.isInInitialList ? lowPriority : undefined),
    update: (e, q) => addUnique(q, [...map(e.objectOld), ...map(e.objectNew)], updatePriority(e)),
    delete: (e, q) => addUnique(q, map(e.object)),
    generic: (e, q) => addUnique(q, map(e.object)),
  };
}
