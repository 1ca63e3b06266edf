/**
 * One scheduling cycle's search (upstream `schedule_one.go` `schedulePod`,
 * `findNodesThatFitPod`, `findNodesThatPassFilters`, `numFeasibleNodesToFind`,
 * `prioritizeNodes`, `selectHost`). Synchronous and side-effect free except for the rotating
 * start index.
 *
 * - PreFilter runs once; a rejection makes every node fail with its message.
 * - A pod nominated to a node (after preemption) tries that node first.
 * - Filters run node by node from where the previous cycle stopped, and stop once enough feasible
 *   nodes are found: all of them below 100 nodes, else `percentageOfNodesToScore` (adaptive:
 *   50 % − nodes/125 %, at least 5 %) and never fewer than 100.
 * - One feasible node is taken as is; otherwise the best total score wins, ties broken at random.
 */
import {
  defaultPercentageOfNodesToScore,
  minFeasibleNodesPercentageToFind,
  minFeasibleNodesToFind,
} from './defaults.js';
import type { SchedulerCache } from './cache/cache.js';
import type { CycleState } from './framework/cyclestate.js';
import { NodeToStatus } from './framework/interfaces.js';
import type { Framework } from './framework/runtime.js';
import { Code, Status, unresolvable } from './framework/status.js';
import { FitError, type Diagnosis } from './fiterror.js';
import type { NodeInfo } from './nodeinfo.js';
import type { PodInfo } from './podinfo.js';

export type ScheduleOutcome =
  | { kind: 'scheduled'; host: string; evaluatedNodes: number; feasibleNodes: number }
  | { kind: 'unschedulable'; fitError: FitError }
  | { kind: 'noNodes' }
  | { kind: 'error'; status: Status };

export interface AlgorithmOptions {
  /** 0 = adaptive (default). */
  percentageOfNodesToScore?: number;
  /** Tie-breaking randomness in [0, 1). Default Math.random. */
  random?: () => number;
}

/** `numFeasibleNodesToFind`. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let pct = percentage;
  if (pct === 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < minFeasibleNodesPercentageToFind) pct = minFeasibleNodesPercentageToFind;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < minFeasibleNodesToFind ? minFeasibleNodesToFind : n;
}

export class Algorithm {
  private nextStartNodeIndex = 0;
  private readonly percentage: number;
  private readonly random: () => number;

  constructor(
    private readonly cache: SchedulerCache,
    private readonly fw: Framework,
    options: AlgorithmOptions = {},
  ) {
    this.percentage = options.percentageOfNodesToScore ?? defaultPercentageOfNodesToScore;
    this.random = options.random ?? Math.random;
  }

  schedulePod(state: CycleState, pod: PodInfo): ScheduleOutcome {
    const all = this.cache.allNodes();
    if (all.length === 0) return { kind: 'noNodes' };
    const diagnosis: Diagnosis = {
      nodeToStatus: new NodeToStatus(),
      unschedulablePlugins: new Set(),
      preFilterMsg: '',
      postFilterMsg: '',
    };
    const pre = this.fw.runPreFilter(state, pod);
    diagnosis.unschedulablePlugins = pre.unschedulablePlugins;
    if (pre.status) {
      if (!pre.status.isRejected()) return { kind: 'error', status: pre.status };
      diagnosis.nodeToStatus.absentStatus = pre.status;
      diagnosis.preFilterMsg = pre.status.message();
      return { kind: 'unschedulable', fitError: new FitError(all.length, diagnosis) };
    }

    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated) {
      const info = this.cache.nodeInfo(nominated);
      if (info) {
        const found = this.passFilters(state, pod, diagnosis, [info], 0);
        if (found instanceof Status) return { kind: 'error', status: found };
        if (found.length > 0) {
          return { kind: 'scheduled', host: info.name, evaluatedNodes: 1, feasibleNodes: 1 };
        }
      }
    }

    let nodes = all;
    if (pre.nodeNames) {
      nodes = [...pre.nodeNames]
        .map((n) => this.cache.nodeInfo(n))
        .filter((n): n is NodeInfo => n !== undefined);
      diagnosis.nodeToStatus.absentStatus = unresolvable(
        `node(s) didn't satisfy plugin(s) [${[...pre.unschedulablePlugins].sort().join(' ')}]`,
      );
    }
    const feasible = this.passFilters(state, pod, diagnosis, nodes, this.nextStartNodeIndex);
    if (feasible instanceof Status) return { kind: 'error', status: feasible };
    const processed = feasible.length + diagnosis.nodeToStatus.byNode.size;
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % all.length;
    if (feasible.length === 0) {
      return { kind: 'unschedulable', fitError: new FitError(all.length, diagnosis) };
    }
    const evaluatedNodes = feasible.length + diagnosis.nodeToStatus.byNode.size;
    if (feasible.length === 1) {
      return { kind: 'scheduled', host: feasible[0]!.name, evaluatedNodes, feasibleNodes: 1 };
    }
    const totals = this.fw.runScore(state, pod, feasible);
    if (totals instanceof Status) return { kind: 'error', status: totals };
    return {
      kind: 'scheduled',
      host: this.selectHost(feasible, totals),
      evaluatedNodes,
      feasibleNodes: feasible.length,
    };
  }

  /** `findNodesThatPassFilters`: feasible nodes (rejections recorded in the diagnosis). */
  private passFilters(
    state: CycleState,
    pod: PodInfo,
    diagnosis: Diagnosis,
    nodes: readonly NodeInfo[],
    start: number,
  ): NodeInfo[] | Status {
    const numAll = nodes.length;
    const toFind = numFeasibleNodesToFind(numAll, this.percentage);
    const feasible: NodeInfo[] = [];
    for (let i = 0; i < numAll; i++) {
      const node = nodes[(start + i) % numAll]!;
      const s = this.fw.runFilterWithNominatedPods(state, pod, node);
      if (!s) {
        feasible.push(node);
        if (feasible.length >= toFind) break;
        continue;
      }
      if (s.code === Code.Error) return s;
      diagnosis.nodeToStatus.set(node.name, s);
      if (s.plugin) diagnosis.unschedulablePlugins.add(s.plugin);
    }
    return feasible;
  }

  /** The highest total; ties broken uniformly at random (reservoir sampling). */
  private selectHost(nodes: readonly NodeInfo[], totals: readonly number[]): string {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < nodes.length; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties++;
        if (this.random() * ties < 1) best = i;
      }
    }
    return nodes[best]!.name;
  }
}
