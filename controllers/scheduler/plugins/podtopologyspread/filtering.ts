/**
 * PodTopologySpread filtering (upstream `plugins/podtopologyspread/filtering.go`) for the pod's
 * `DoNotSchedule` constraints.
 *
 * PreFilter counts, per constraint and domain (value of the topology key), the pods matching the
 * constraint's selector in the pod's namespace, over the nodes that have every topology key and
 * pass the constraint's inclusion policies (node affinity honoured by default, taints ignored).
 *
 * Filter: the node must have every topology key (`node(s) didn't match pod topology spread
 * constraints (missing required label)`, unresolvable), and for each constraint
 * `matching in the node's domain + (1 if the pod matches itself) − global minimum ≤ maxSkew`
 * (`node(s) didn't match pod topology spread constraints`). The global minimum is 0 while there
 * are fewer eligible domains than `minDomains`.
 */
import type { CycleState, StateData } from '../../framework/cyclestate.js';
import type { Handle } from '../../framework/interfaces.js';
import { skip, unresolvable, unschedulable, type Status } from '../../framework/status.js';
import type { NodeInfo } from '../../nodeinfo.js';
import type { PodInfo } from '../../podinfo.js';
import { RequiredNodeAffinity } from '../helpers/nodeaffinity.js';
import { names } from '../names.js';
import {
  constraintsOf,
  counterFor,
  countOnNode,
  nodeHasAllKeys,
  nodeIncluded,
  type SpreadConstraint,
} from './common.js';

export const errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const errReasonNodeLabelNotMatch =
  errReasonConstraintsNotMatch + ' (missing required label)';

const rejectSkew = unschedulable(errReasonConstraintsNotMatch);
const rejectLabel = unresolvable(errReasonNodeLabelNotMatch);

export const preFilterKey = 'PreFilter' + names.PodTopologySpread;

export class PreFilterState implements StateData {
  /** Per constraint: domain value → matching pods. */
  readonly matchNum: Map<string, number>[];
  private readonly mins: Array<number | undefined>;

  constructor(
    readonly pod: PodInfo,
    readonly constraints: readonly SpreadConstraint[],
    readonly required: RequiredNodeAffinity,
    matchNum?: Map<string, number>[],
  ) {
    this.matchNum = matchNum ?? constraints.map(() => new Map());
    this.mins = constraints.map(() => undefined);
  }

  clone(): PreFilterState {
    return new PreFilterState(
      this.pod,
      this.constraints,
      this.required,
      this.matchNum.map((m) => new Map(m)),
    );
  }

  /** The global minimum of constraint `i`, with minDomains taken into account. */
  minMatchNum(i: number): number {
    const counts = this.matchNum[i]!;
    if (counts.size < this.constraints[i]!.minDomains) return 0;
    let min = this.mins[i];
    if (min === undefined) {
      min = Infinity;
      for (const v of counts.values()) if (v < min) min = v;
      this.mins[i] = min;
    }
    return min;
  }

  /** `updateWithPod`: `other` was added to (+1) or removed from (−1) `n`. */
  updateWithPod(other: PodInfo, n: NodeInfo, delta: number): void {
    if (other.namespace !== this.pod.namespace) return;
    if (!nodeHasAllKeys(n, this.constraints)) return;
    this.constraints.forEach((c, i) => {
      if (!c.selector.matches(other.labels)) return;
      if (!nodeIncluded(c, this.pod, n, this.required)) return;
      const v = n.labels[c.topologyKey]!;
      const counts = this.matchNum[i]!;
      counts.set(v, (counts.get(v) ?? 0) + delta);
      this.mins[i] = undefined;
    });
  }
}

export function preFilter(handle: Handle, state: CycleState, pod: PodInfo): Status | undefined {
  const constraints = constraintsOf(pod, 'DoNotSchedule');
  if (constraints.length === 0) return skip;
  const required = new RequiredNodeAffinity(pod.pod);
  const s = new PreFilterState(pod, constraints, required);
  const counters = constraints.map((c) => counterFor(c, pod.namespace));
  for (const n of handle.allNodes()) {
    if (!nodeHasAllKeys(n, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!nodeIncluded(c, pod, n, required)) continue;
      const v = n.labels[c.topologyKey]!;
      const counts = s.matchNum[i]!;
      counts.set(v, (counts.get(v) ?? 0) + countOnNode(handle, n, counters[i]!));
    }
  }
  state.write(preFilterKey, s);
  return undefined;
}

export function filter(state: CycleState, pod: PodInfo, n: NodeInfo): Status | undefined {
  const s = state.read<PreFilterState>(preFilterKey);
  if (!s) return undefined;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const v = n.labels[c.topologyKey];
    if (v === undefined) return rejectLabel;
    const self = c.selector.matches(pod.labels) ? 1 : 0;
    const skew = (s.matchNum[i]!.get(v) ?? 0) + self - s.minMatchNum(i);
    if (skew > c.maxSkew) return rejectSkew;
  }
  return undefined;
}
