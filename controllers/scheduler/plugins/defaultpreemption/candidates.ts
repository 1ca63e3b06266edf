/**
 * Finding and ranking preemption candidates (upstream `preemption.Evaluator`
 * `DryRunPreemption`, `calculateNumCandidates`, `pickOneNodeForPreemption`).
 *
 * Only nodes that rejected the pod as Unschedulable (not UnschedulableAndUnresolvable) are tried,
 * starting at a random offset, until at least one PDB-respecting candidate is found and
 * `max(10 % of them, 100)` candidates in all. The best candidate has, in order: the fewest PDB
 * violations, the lowest highest-victim priority, the smallest sum of victim priorities, the
 * fewest victims, the latest start among its highest-priority victims; then the first.
 */
import type { PodDisruptionBudget } from '../../../../framework/index.js';
import { minCandidateNodesAbsolute, minCandidateNodesPercentage } from '../../defaults.js';
import type { CycleState } from '../../framework/cyclestate.js';
import { NodeToStatus } from '../../framework/interfaces.js';
import type { Framework } from '../../framework/runtime.js';
import { asErrorStatus, Code, Status } from '../../framework/status.js';
import type { NodeInfo } from '../../nodeinfo.js';
import type { PodInfo } from '../../podinfo.js';
import { selectVictimsOnNode } from './victims.js';

export interface Candidate {
  node: string;
  victims: PodInfo[];
  numPDBViolations: number;
}

/** `calculateNumCandidates`. */
export function numCandidates(numNodes: number): number {
  let n = Math.trunc((numNodes * minCandidateNodesPercentage) / 100);
  if (n < minCandidateNodesAbsolute) n = minCandidateNodesAbsolute;
  return Math.min(n, numNodes);
}

/** `DryRunPreemption`: candidates (PDB-respecting first) and the statuses of the other nodes. */
export function dryRunPreemption(
  fw: Framework,
  state: CycleState,
  pod: PodInfo,
  potential: readonly NodeInfo[],
  pdbs: readonly Readonly<PodDisruptionBudget>[],
  offset: number,
  wanted: number,
  now: number,
): { candidates: Candidate[]; statuses: NodeToStatus } {
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  const statuses = new NodeToStatus();
  for (let i = 0; i < potential.length; i++) {
    const node = potential[(offset + i) % potential.length]!;
    const r = selectVictimsOnNode(fw, state.clone(), pod, node.clone(), pdbs, now);
    if (r instanceof Status) {
      statuses.set(node.name, r);
      continue;
    }
    if (r.victims.length === 0) {
      statuses.set(
        node.name,
        asErrorStatus(new Error(`expected at least one victim pod on node "${node.name}"`)),
      );
      continue;
    }
    const c = { node: node.name, victims: r.victims, numPDBViolations: r.numPDBViolations };
    (r.numPDBViolations === 0 ? nonViolating : violating).push(c);
    if (nonViolating.length > 0 && nonViolating.length + violating.length >= wanted) break;
  }
  return { candidates: [...nonViolating, ...violating], statuses };
}

/** The earliest start among the highest-priority victims (`GetEarliestPodStartTime`). */
function earliestStartOfTopVictims(victims: readonly PodInfo[], now: number): number {
  let maxPriority = victims[0]!.priority;
  let earliest = victims[0]!.startTime(now);
  for (const v of victims) {
    if (v.priority === maxPriority) earliest = Math.min(earliest, v.startTime(now));
    else if (v.priority > maxPriority) {
      maxPriority = v.priority;
      earliest = v.startTime(now);
    }
  }
  return earliest;
}

/** `pickOneNodeForPreemption` over candidates whose victims are sorted by importance. */
export function pickOneCandidate(candidates: readonly Candidate[], now: number): Candidate {
  const offsetPriority = 2 ** 31;
  const scoreFuncs: Array<(c: Candidate) => number> = [
    (c) => -c.numPDBViolations,
    (c) => -c.victims[0]!.priority,
    (c) => -c.victims.reduce((sum, v) => sum + v.priority + offsetPriority, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfTopVictims(c.victims, now),
  ];
  let remaining = [...candidates];
  for (const f of scoreFuncs) {
    let best = -Infinity;
    let selected: Candidate[] = [];
    for (const c of remaining) {
      const s = f(c);
      if (s > best) {
        best = s;
        selected = [c];
      } else if (s === best) selected.push(c);
    }
    if (selected.length === 1) return selected[0]!;
    remaining = selected;
  }
  return remaining[0]!;
}

/** Nodes whose status is exactly Unschedulable (`NodesForStatusCode`). */
export function potentialNodes(all: readonly NodeInfo[], m: NodeToStatus): NodeInfo[] {
  return all.filter((n) => m.get(n.name)?.code === Code.Unschedulable);
}
