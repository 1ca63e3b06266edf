/**
 * Choosing victims on one node (upstream `defaultpreemption.SelectVictimsOnNode`,
 * `filterPodsWithPDBViolation`, `util.MoreImportantPod`).
 *
 * Every pod of lower priority than the preemptor is removed; if the preemptor still does not
 * fit, the node is no candidate. Otherwise victims are reprieved one by one, most important
 * first (higher priority, then earlier start), PDB-violating ones before the others, as long as
 * the preemptor still fits. What could not be reprieved are the victims; the number of them whose
 * eviction would violate a PodDisruptionBudget is reported.
 */
import { labelSelectorFromObject, type LabelSelector } from '../../../../common/index.js';
import type { PodDisruptionBudget } from '../../../../framework/index.js';
import type { CycleState } from '../../framework/cyclestate.js';
import type { Framework } from '../../framework/runtime.js';
import { unresolvable, type Status } from '../../framework/status.js';
import type { NodeInfo } from '../../nodeinfo.js';
import type { PodInfo } from '../../podinfo.js';

export const noVictimsMessage = 'No preemption victims found for incoming pod';

/** `MoreImportantPod`: higher priority, then the earlier start time. */
export function moreImportant(a: PodInfo, b: PodInfo, now: number): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return a.startTime(now) < b.startTime(now);
}

/** `filterPodsWithPDBViolation`: stable split of `pods` into PDB-violating and the rest. */
export function splitByPDBViolation(
  pods: readonly PodInfo[],
  pdbs: readonly Readonly<PodDisruptionBudget>[],
): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => {
    try {
      return labelSelectorFromObject(p.spec?.selector as LabelSelector | undefined);
    } catch {
      return undefined;
    }
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pod of pods) {
    let violated = false;
    if (Object.keys(pod.labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (pdb.metadata?.namespace !== pod.namespace) return;
        const sel = selectors[i];
        if (!sel || sel.isEmpty() || !sel.matches(pod.labels)) return;
        if (pdb.status?.disruptedPods && pod.name in pdb.status.disruptedPods) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

export interface VictimsResult {
  victims: PodInfo[];
  numPDBViolations: number;
}

/** `SelectVictimsOnNode` on copies of the state and node (both are changed). */
export function selectVictimsOnNode(
  fw: Framework,
  state: CycleState,
  pod: PodInfo,
  nodeInfo: NodeInfo,
  pdbs: readonly Readonly<PodDisruptionBudget>[],
  now: number,
): VictimsResult | Status {
  const remove = (p: PodInfo) => {
    nodeInfo.removePod(p);
    return fw.runPreFilterRemovePod(state, pod, p, nodeInfo);
  };
  const add = (p: PodInfo) => {
    nodeInfo.addPod(p);
    return fw.runPreFilterAddPod(state, pod, p, nodeInfo);
  };
  const potential = nodeInfo.pods.filter((p) => p.priority < pod.priority);
  for (const p of potential) {
    const s = remove(p);
    if (s) return s;
  }
  if (potential.length === 0) return unresolvable(noVictimsMessage);
  const fits = fw.runFilterWithNominatedPods(state, pod, nodeInfo);
  if (fits) return fits;
  potential.sort((a, b) => (moreImportant(a, b, now) ? -1 : moreImportant(b, a, now) ? 1 : 0));
  const { violating, nonViolating } = splitByPDBViolation(potential, pdbs);
  const victims: PodInfo[] = [];
  let numPDBViolations = 0;
  const reprieve = (p: PodInfo): boolean | Status => {
    const s = add(p);
    if (s) return s;
    if (!fw.runFilterWithNominatedPods(state, pod, nodeInfo)) return true;
    const r = remove(p);
    if (r) return r;
    victims.push(p);
    return false;
  };
  for (const p of violating) {
    const r = reprieve(p);
    if (typeof r !== 'boolean') return r;
    if (!r) numPDBViolations++;
  }
  for (const p of nonViolating) {
    const r = reprieve(p);
    if (typeof r !== 'boolean') return r;
  }
  if (violating.length > 0 && nonViolating.length > 0) {
    victims.sort((a, b) => (moreImportant(a, b, now) ? -1 : moreImportant(b, a, now) ? 1 : 0));
  }
  return { victims, numPDBViolations };
}
