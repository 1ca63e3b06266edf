/**
 * The EndpointSlice reconciler (upstream `k8s.io/endpointslice/reconciler.go`), split into a pure
 * planning step ({@link planEndpointSlices}) and the writes ({@link applyPlan}).
 *
 * Planning, per address type of the Service, minimises churn:
 * 1. In each existing slice (grouped by port set), endpoints no longer desired are dropped and
 *    changed ones are replaced in place; a slice left empty is deleted. Slices whose labels no
 *    longer mirror the Service are updated.
 * 2. Remaining desired endpoints first fill the slices already being updated (fullest first),
 *    then, if fewer than a slice's worth remain, the unchanged slice closest to full that fits
 *    them (`getSliceToFill`), then new slices of up to `maxEndpointsPerSlice`.
 * 3. Slices of port sets no longer desired are deleted; a Service with no endpoints keeps (or
 *    gets) one empty placeholder slice; slices of address types the Service no longer has, or
 *    owned by another object, are deleted.
 * 4. Creates are turned into updates of slices that would be deleted (same address type, owned by
 *    the Service), so slices are recycled rather than replaced.
 * There is no rebalancing: deleting endpoints never moves others between slices.
 */
import { EndpointSlice, type Node, type Pod, type Service } from '../../framework/index.js';
import { isNamespaceTerminating } from '../util/errors.js';
import {
  EndpointSet,
  endpointsEqualBeyondHash,
  portMapKey,
  type Endpoint,
  type EndpointPort,
} from './endpointset.js';
import {
  addressTypesForService,
  endpointPorts,
  newEndpointSlice,
  ownedBy,
  podToEndpoint,
  sliceLabels,
  type AddressType,
} from './slices.js';
import { formatTriggerTime } from './triggertime.js';
import { semanticEqualIgnoringRV, shouldPodBeInEndpoints } from './util.js';

export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** Pods skipped because their node is unknown (the sync is retried later). */
  skippedPods: string[];
}

export interface PlanInput {
  service: Readonly<Service>;
  pods: readonly Readonly<Pod>[];
  /** Slices managed by this controller for the Service (not being deleted). */
  existing: readonly Readonly<EndpointSlice>[];
  /** Looks a node up by name. */
  node(name: string): Readonly<Node> | undefined;
  maxEndpointsPerSlice: number;
  /** `endpointslice.kubernetes.io/managed-by` value. */
  controllerName: string;
}

/** Plans the writes for one Service; see the module comment. */
export function planEndpointSlices(input: PlanInput): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [], skippedPods: [] };
  const types = addressTypesForService(input.service);
  const byType = new Map<string, Readonly<EndpointSlice>[]>();
  for (const slice of input.existing) {
    if (!types.has(slice.addressType as AddressType)) {
      plan.delete.push(slice as EndpointSlice);
      continue;
    }
    byType.set(slice.addressType, [...(byType.get(slice.addressType) ?? []), slice]);
  }
  for (const addressType of types) {
    const sub = planByAddressType(input, byType.get(addressType) ?? [], addressType, plan);
    plan.create.push(...sub.create);
    plan.update.push(...sub.update);
    plan.delete.push(...sub.delete);
  }
  recycle(plan, input.service);
  return plan;
}

function planByAddressType(
  input: PlanInput,
  existing: readonly Readonly<EndpointSlice>[],
  addressType: AddressType,
  plan: SlicePlan,
): Pick<SlicePlan, 'create' | 'update' | 'delete'> {
  const { service, controllerName } = input;
  const out = {
    create: [] as EndpointSlice[],
    update: [] as EndpointSlice[],
    delete: [] as EndpointSlice[],
  };
  const existingByPorts = new Map<string, Readonly<EndpointSlice>[]>();
  for (const slice of existing) {
    if (!ownedBy(slice, service)) {
      out.delete.push(slice as EndpointSlice);
      continue;
    }
    const key = portMapKey(slice.ports);
    existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), slice]);
  }
  const desired = new Map<string, { ports: EndpointPort[]; set: EndpointSet }>();
  for (const pod of input.pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(service, pod);
    const key = portMapKey(ports);
    let group = desired.get(key);
    if (!group) desired.set(key, (group = { ports, set: new EndpointSet() }));
    const node = input.node(pod.spec?.nodeName ?? '');
    if (!node && !service.spec?.publishNotReadyAddresses) {
      plan.skippedPods.push(pod.metadata?.name ?? '');
      continue;
    }
    const ep = podToEndpoint(pod, node, service, addressType);
    if (ep.addresses.length > 0) group.set.insert(ep);
  }
  for (const [key, { ports, set }] of desired) {
    const r = planByPortMapping(input, existingByPorts.get(key) ?? [], set, ports, addressType);
    out.create.push(...r.create);
    out.update.push(...r.update);
    out.delete.push(...r.delete);
  }
  for (const [key, slices] of existingByPorts) {
    if (!desired.has(key)) out.delete.push(...(slices as EndpointSlice[]));
  }
  if (existing.length === out.delete.length && out.create.length === 0) {
    const placeholder = newEndpointSlice(service, [], addressType, controllerName);
    if (out.delete.length === 1 && isPlaceholderLike(out.delete[0]!, placeholder)) {
      out.delete = [];
    } else out.create.push(placeholder);
  }
  return out;
}

/** Upstream `placeholderSliceCompare`: namespace, labels, owners, ports, type and endpoints. */
function isPlaceholderLike(a: Readonly<EndpointSlice>, b: Readonly<EndpointSlice>): boolean {
  return (
    a.metadata?.namespace === b.metadata?.namespace &&
    semanticEqualIgnoringRV(a.metadata?.labels, b.metadata?.labels) &&
    semanticEqualIgnoringRV(a.metadata?.ownerReferences, b.metadata?.ownerReferences) &&
    semanticEqualIgnoringRV(a.ports, b.ports) &&
    a.addressType === b.addressType &&
    semanticEqualIgnoringRV(a.endpoints, b.endpoints)
  );
}

function planByPortMapping(
  input: PlanInput,
  existing: readonly Readonly<EndpointSlice>[],
  desired: EndpointSet,
  ports: EndpointPort[],
  addressType: AddressType,
): Pick<SlicePlan, 'create' | 'update' | 'delete'> {
  const { service, maxEndpointsPerSlice: max, controllerName } = input;
  const byName = new Map<string, EndpointSlice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();
  for (const slice of existing) {
    const name = slice.metadata!.name!;
    byName.set(name, slice as EndpointSlice);
    const kept: Endpoint[] = [];
    let endpointUpdated = false;
    for (const ep of slice.endpoints ?? []) {
      const got = desired.get(ep);
      if (!got) continue;
      kept.push(got);
      if (!endpointsEqualBeyondHash(got, ep)) endpointUpdated = true;
      desired.delete(ep);
    }
    const { labels, changed } = sliceLabels(slice, service, controllerName);
    if (endpointUpdated || (slice.endpoints ?? []).length !== kept.length) {
      if (kept.length === 0) toDelete.add(name);
      else {
        const copy = structuredClone(slice) as EndpointSlice;
        copy.endpoints = kept;
        copy.metadata!.labels = labels;
        byName.set(name, copy);
        toUpdate.add(name);
      }
    } else if (changed) {
      const copy = structuredClone(slice) as EndpointSlice;
      copy.metadata!.labels = labels;
      byName.set(name, copy);
      toUpdate.add(name);
    } else unchanged.add(name);
  }
  if (desired.size > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate].map((n) => byName.get(n)!);
    slices.sort((a, b) => (b.endpoints ?? []).length - (a.endpoints ?? []).length);
    for (const slice of slices) {
      const eps = (slice.endpoints ??= []);
      while (desired.size > 0 && eps.length < max) eps.push(desired.popAny()!);
    }
  }
  const create: EndpointSlice[] = [];
  while (desired.size > 0) {
    let fill: EndpointSlice | undefined;
    if (desired.size < max && unchanged.size > 0) {
      const candidate = sliceToFill(
        [...unchanged].map((n) => byName.get(n)!),
        desired.size,
        max,
      );
      if (candidate) {
        fill = structuredClone(candidate) as EndpointSlice;
        byName.set(fill.metadata!.name!, fill);
      }
    }
    fill ??= newEndpointSlice(service, ports, addressType, controllerName);
    const eps = (fill.endpoints ??= []);
    while (desired.size > 0 && eps.length < max) eps.push(desired.popAny()!);
    if (fill.metadata?.name) {
      toUpdate.add(fill.metadata.name);
      unchanged.delete(fill.metadata.name);
    } else create.push(fill);
  }
  return {
    create,
    update: [...toUpdate].map((n) => byName.get(n)!),
    delete: [...toDelete].map((n) => byName.get(n)!),
  };
}

/** Upstream `getSliceToFill`: the slice closest to full once `n` endpoints are added. */
function sliceToFill(
  slices: readonly EndpointSlice[],
  n: number,
  max: number,
): EndpointSlice | undefined {
  let closestDiff = max;
  let closest: EndpointSlice | undefined;
  for (const slice of slices) {
    const diff = max - (n + (slice.endpoints ?? []).length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = slice;
      if (diff === 0) return closest;
    }
  }
  return closest;
}

/** Upstream `finalize`'s first step: turn creates into updates of slices about to be deleted. */
function recycle(plan: SlicePlan, svc: Readonly<Service>): void {
  for (let i = 0; i < plan.delete.length;) {
    if (plan.create.length === 0) break;
    const victim = plan.delete[i]!;
    const slice = plan.create[plan.create.length - 1]!;
    if (victim.addressType === slice.addressType && ownedBy(victim, svc)) {
      const reused = structuredClone(slice);
      reused.metadata = {
        ...reused.metadata,
        name: victim.metadata?.name,
        resourceVersion: victim.metadata?.resourceVersion,
      };
      delete reused.metadata.generateName;
      plan.create.pop();
      plan.update.push(reused);
      plan.delete.splice(i, 1);
    } else i++;
  }
}

/** The writes `applyPlan` needs (the cached client, so later reads see them at once). */
export interface SliceWriter {
  create(obj: EndpointSlice, options: { kind: typeof EndpointSlice }): Promise<EndpointSlice>;
  update(obj: EndpointSlice, options: { kind: typeof EndpointSlice }): Promise<EndpointSlice>;
  delete(
    kind: typeof EndpointSlice,
    name: string,
    options: { namespace?: string },
  ): Promise<unknown>;
}

export interface ApplyOptions {
  api: SliceWriter;
  service: Readonly<Service>;
  triggerTime: number | undefined;
  /** Told about every slice written or deleted (the tracker). */
  onWritten(slice: EndpointSlice): void;
  onDeleted(slice: Readonly<EndpointSlice>): void;
}

/**
 * Upstream `finalize`: creates (not while the Service is being deleted), updates, then deletes,
 * stopping at the first failure. A create refused because the namespace is terminating ends the
 * sync quietly.
 */
export async function applyPlan(plan: SlicePlan, options: ApplyOptions): Promise<void> {
  const { api, service } = options;
  const withTrigger = (slice: EndpointSlice): EndpointSlice => {
    const annotations = { ...slice.metadata?.annotations };
    const key = 'endpoints.kubernetes.io/last-change-trigger-time';
    if (options.triggerTime !== undefined)
      annotations[key] = formatTriggerTime(options.triggerTime);
    else delete annotations[key];
    return { ...slice, metadata: { ...slice.metadata, annotations } };
  };
  const svcName = `${service.metadata?.namespace}/${service.metadata?.name}`;
  if (!service.metadata?.deletionTimestamp) {
    for (const slice of plan.create) {
      try {
        options.onWritten(await api.create(withTrigger(slice), { kind: EndpointSlice }));
      } catch (err) {
        if (isNamespaceTerminating(err)) return;
        throw new Error(`failed to create EndpointSlice for Service ${svcName}: ${message(err)}`, {
          cause: err,
        });
      }
    }
  }
  for (const slice of plan.update) {
    try {
      options.onWritten(await api.update(withTrigger(slice), { kind: EndpointSlice }));
    } catch (err) {
      throw new Error(
        `failed to update ${slice.metadata?.name} EndpointSlice for Service ${svcName}: ${message(err)}`,
        { cause: err },
      );
    }
  }
  for (const slice of plan.delete) {
    try {
      await api.delete(EndpointSlice, slice.metadata!.name!, {
        namespace: service.metadata?.namespace,
      });
      options.onDeleted(slice);
    } catch (err) {
      throw new Error(
        `failed to delete ${slice.metadata?.name} EndpointSlice for Service ${svcName}: ${message(err)}`,
        { cause: err },
      );
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
