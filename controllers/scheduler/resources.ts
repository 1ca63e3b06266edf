/**
 * A pod's resource requests as the scheduler counts them (`k8s.io/component-helpers/resource`
 * `PodRequests`, `pkg/scheduler/framework` `PodInfo.CalculateResource`).
 *
 * - Regular containers add up. Init containers run one at a time, so the pod needs the larger of
 *   that sum and each init container's request — where a restartable init container (a sidecar,
 *   `restartPolicy: Always`) keeps running: it adds to the sum, and to every later init
 *   container's request.
 * - `spec.overhead` (RuntimeClass overhead) is added on top.
 * - For scoring, a container without a cpu or memory request counts as 100m / 200Mi
 *   (`NonMissingContainerRequests`), so pods without requests do not all land on one node. An
 *   explicit zero stays zero.
 *
 * Units: cpu in millicores (`MilliValue`, rounded up), everything else in whole units (`Value`,
 * rounded up). Values are rounded per container, not after summing, so a pod of many
 * sub-millicore containers may count up to one millicore per container more than upstream.
 * Invalid quantities count as zero (the API server rejects them at admission).
 */
import { tryParseQuantity } from '../../common/index.js';
import type { Pod } from '../../framework/index.js';
import { defaultMemoryRequest, defaultMilliCPURequest } from './defaults.js';

/** Resource amounts by name: `cpu` in millicores, others in units. */
export type ResourceAmounts = Map<string, number>;

/** Upstream `framework.Resource` restricted to what pods request. */
export interface PodResources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources, hugepages, … (undefined when none). */
  scalar: Map<string, number> | undefined;
  /** cpu counted with the non-zero default, for scoring. */
  nonZeroMilliCPU: number;
  /** memory counted with the non-zero default, for scoring. */
  nonZeroMemory: number;
}

type ContainerLike = {
  resources?: { requests?: Record<string, unknown> };
  restartPolicy?: string;
};

const quantityCache = new Map<string, number>();

/** A quantity in the scheduler's unit for `resource` (millicores for cpu); 0 when invalid. */
export function amountOf(resource: string, value: unknown): number {
  const key = resource === 'cpu' ? `m${String(value)}` : `u${String(value)}`;
  const cached = quantityCache.get(key);
  if (cached !== undefined) return cached;
  const q = tryParseQuantity(value);
  const amount =
    typeof q === 'string' ? 0 : Number(resource === 'cpu' ? q.milliValue() : q.value());
  if (quantityCache.size > 10_000) quantityCache.clear();
  quantityCache.set(key, amount);
  return amount;
}

function containerRequests(c: ContainerLike, nonMissing: boolean): ResourceAmounts {
  const out: ResourceAmounts = new Map();
  const requests = c.resources?.requests ?? {};
  for (const [name, value] of Object.entries(requests)) out.set(name, amountOf(name, value));
  if (nonMissing) {
    if (!out.has('cpu')) out.set('cpu', defaultMilliCPURequest);
    if (!out.has('memory')) out.set('memory', defaultMemoryRequest);
  }
  return out;
}

function add(into: ResourceAmounts, from: ResourceAmounts): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
}

function max(into: ResourceAmounts, from: ResourceAmounts): void {
  for (const [k, v] of from) if (v > (into.get(k) ?? 0)) into.set(k, v);
}

/**
 * Upstream `PodRequests`: the effective requests of the pod's containers, init containers and
 * overhead. With `nonMissing`, containers missing a cpu or memory request count the defaults.
 */
export function podRequests(pod: Readonly<Pod>, nonMissing = false): ResourceAmounts {
  const spec = pod.spec;
  const reqs: ResourceAmounts = new Map();
  for (const c of (spec?.containers ?? []) as ContainerLike[]) {
    add(reqs, containerRequests(c, nonMissing));
  }
  const sidecars: ResourceAmounts = new Map();
  const initMax: ResourceAmounts = new Map();
  for (const c of (spec?.initContainers ?? []) as ContainerLike[]) {
    const own = containerRequests(c, nonMissing);
    if (c.restartPolicy === 'Always') {
      add(reqs, own);
      add(sidecars, own);
      max(initMax, sidecars);
    } else {
      const use = new Map(own);
      add(use, sidecars);
      max(initMax, use);
    }
  }
  max(reqs, initMax);
  const overhead = spec?.overhead as Record<string, unknown> | undefined;
  if (overhead) {
    const o: ResourceAmounts = new Map();
    for (const [name, value] of Object.entries(overhead)) o.set(name, amountOf(name, value));
    add(reqs, o);
  }
  return reqs;
}

/** The pod's {@link PodResources}: exact requests plus the non-zero cpu/memory for scoring. */
export function computePodResources(pod: Readonly<Pod>): PodResources {
  const reqs = podRequests(pod);
  const res: PodResources = {
    milliCPU: 0,
    memory: 0,
    ephemeralStorage: 0,
    scalar: undefined,
    nonZeroMilliCPU: 0,
    nonZeroMemory: 0,
  };
  for (const [name, v] of reqs) {
    if (name !== 'pods' && v !== 0) assign(res, name, v);
  }
  const nonZero = podRequests(pod, true);
  res.nonZeroMilliCPU = nonZero.get('cpu') ?? 0;
  res.nonZeroMemory = nonZero.get('memory') ?? 0;
  return res;
}

/** `Resource.Add` for one resource (other than `pods`). */
function assign(
  res: Pick<PodResources, 'milliCPU' | 'memory' | 'ephemeralStorage' | 'scalar'>,
  name: string,
  v: number,
): void {
  if (name === 'cpu') res.milliCPU = v;
  else if (name === 'memory') res.memory = v;
  else if (name === 'ephemeral-storage') res.ephemeralStorage = v;
  else (res.scalar ??= new Map()).set(name, v);
}

/** A node's allocatable resources (`NodeInfo.Allocatable`). */
export interface NodeResources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  scalar: Map<string, number> | undefined;
}

/** Parses `status.allocatable`. */
export function nodeAllocatable(list: Record<string, unknown> | undefined): NodeResources {
  const res: NodeResources = {
    milliCPU: 0,
    memory: 0,
    ephemeralStorage: 0,
    allowedPodNumber: 0,
    scalar: undefined,
  };
  for (const [name, value] of Object.entries(list ?? {})) {
    const v = amountOf(name, value);
    if (name === 'pods') res.allowedPodNumber = v;
    else assign(res, name, v);
  }
  return res;
}
