/**
 * NodeResourcesFit and NodeResourcesBalancedAllocation (upstream `plugins/noderesources`).
 *
 * Fit (filter): the pod's requests (see `resources.ts`) must fit in the node's allocatable minus
 * what its pods (assumed ones included) request, and the node must have room for one more pod.
 * Reasons: `Too many pods`, `Insufficient cpu`, `Insufficient memory`,
 * `Insufficient ephemeral-storage`, `Insufficient <resource>`. A request larger than the node's
 * whole allocatable cannot be fixed by preemption: the node is then UnschedulableAndUnresolvable
 * (upstream since 1.34).
 *
 * Fit (score, weight 1): LeastAllocated over cpu and memory with weight 1 each —
 * `(allocatable − requested) × 100 / allocatable` per resource, averaged, integer arithmetic —
 * where requests count the non-zero defaults (100m, 200Mi) for containers without requests.
 *
 * BalancedAllocation (score, weight 1): `(1 − |cpuFraction − memFraction| / 2) × 100` with the
 * fractions of allocatable requested after placing the pod (actual requests, capped at 1).
 * Best-effort pods (no cpu or memory requests) skip it.
 */
import { maxNodeScore } from '../defaults.js';
import type { CycleState } from '../framework/cyclestate.js';
import type { EnqueueExtensions, FilterPlugin, ScorePlugin } from '../framework/interfaces.js';
import { Code, skip, Status } from '../framework/status.js';
import type { NodeInfo } from '../nodeinfo.js';
import type { PodInfo } from '../podinfo.js';
import { Action, Update } from '../queue/events.js';
import { names } from './names.js';

/** One resource the node lacks (upstream `InsufficientResource`). */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The request exceeds the node's whole allocatable. */
  unresolvable: boolean;
}

/** `fitsRequest`: what the node lacks for `pod` (empty when it fits). */
export function fitsRequest(pod: PodInfo, n: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = n.allocatable;
  if (n.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({
      resourceName: 'pods',
      reason: 'Too many pods',
      requested: 1,
      used: n.pods.length,
      capacity: alloc.allowedPodNumber,
      unresolvable: alloc.allowedPodNumber < 1,
    });
  }
  const r = pod.resources;
  if (r.milliCPU === 0 && r.memory === 0 && r.ephemeralStorage === 0 && !r.scalar) return out;
  const check = (name: string, requested: number, used: number, capacity: number) => {
    if (requested > 0 && requested > capacity - used) {
      out.push({
        resourceName: name,
        reason: `Insufficient ${name}`,
        requested,
        used,
        capacity,
        unresolvable: requested > capacity,
      });
    }
  };
  check('cpu', r.milliCPU, n.requestedMilliCPU, alloc.milliCPU);
  check('memory', r.memory, n.requestedMemory, alloc.memory);
  check(
    'ephemeral-storage',
    r.ephemeralStorage,
    n.requestedEphemeralStorage,
    alloc.ephemeralStorage,
  );
  if (r.scalar) {
    for (const [name, q] of r.scalar) {
      check(name, q, n.requestedScalar?.get(name) ?? 0, alloc.scalar?.get(name) ?? 0);
    }
  }
  return out;
}

/** `leastRequestedScore`. */
function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * maxNodeScore) / capacity);
}

export class NodeResourcesFit implements FilterPlugin, ScorePlugin, EnqueueExtensions {
  readonly name = names.NodeResourcesFit;

  filter(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    const r = pod.resources;
    const a = nodeInfo.allocatable;
    if (
      nodeInfo.pods.length < a.allowedPodNumber &&
      r.milliCPU <= a.milliCPU - nodeInfo.requestedMilliCPU &&
      r.memory <= a.memory - nodeInfo.requestedMemory &&
      r.ephemeralStorage <= a.ephemeralStorage - nodeInfo.requestedEphemeralStorage &&
      !r.scalar
    ) {
      return undefined;
    }
    const insufficient = fitsRequest(pod, nodeInfo);
    if (insufficient.length === 0) return undefined;
    const code = insufficient.some((i) => i.unresolvable)
      ? Code.UnschedulableAndUnresolvable
      : Code.Unschedulable;
    return new Status(
      code,
      insufficient.map((i) => i.reason),
    );
  }

  score(_state: CycleState, pod: PodInfo, n: NodeInfo): number {
    const alloc = n.allocatable;
    let score = 0;
    let weights = 0;
    if (alloc.milliCPU !== 0) {
      score += leastRequestedScore(
        n.nonZeroMilliCPU + pod.resources.nonZeroMilliCPU,
        alloc.milliCPU,
      );
      weights++;
    }
    if (alloc.memory !== 0) {
      score += leastRequestedScore(n.nonZeroMemory + pod.resources.nonZeroMemory, alloc.memory);
      weights++;
    }
    return weights === 0 ? 0 : Math.trunc(score / weights);
  }

  eventsToRegister() {
    return [
      { resource: 'AssignedPod' as const, action: Action.Delete | Action.UpdatePodScaleDown },
      { resource: 'Node' as const, action: Action.Add | Update },
    ];
  }
}

export class BalancedAllocation implements ScorePlugin, EnqueueExtensions {
  readonly name = names.NodeResourcesBalancedAllocation;

  preScore(_state: CycleState, pod: PodInfo): Status | undefined {
    if (pod.resources.milliCPU === 0 && pod.resources.memory === 0) return skip;
    return undefined;
  }

  score(_state: CycleState, pod: PodInfo, n: NodeInfo): number {
    const alloc = n.allocatable;
    const fractions: number[] = [];
    if (alloc.milliCPU !== 0) {
      fractions.push(Math.min(1, (n.requestedMilliCPU + pod.resources.milliCPU) / alloc.milliCPU));
    }
    if (alloc.memory !== 0) {
      fractions.push(Math.min(1, (n.requestedMemory + pod.resources.memory) / alloc.memory));
    }
    const std = fractions.length === 2 ? Math.abs((fractions[0]! - fractions[1]!) / 2) : 0;
    return Math.trunc((1 - std) * maxNodeScore);
  }

  eventsToRegister() {
    return [];
  }
}
