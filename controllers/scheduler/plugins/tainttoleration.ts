/**
 * TaintToleration (upstream `plugins/tainttoleration`).
 *
 * - Filter: a node with a NoSchedule or NoExecute taint the pod does not tolerate is rejected
 *   (`node(s) had untolerated taint {key: value}`, unresolvable by preemption).
 * - Score (weight 3): fewer untolerated PreferNoSchedule taints is better; counts are normalised
 *   in reverse, so a node without such taints scores 100. When no candidate node has a
 *   PreferNoSchedule taint every node would score 100, so the plugin skips scoring (same ranking).
 */
import type { CycleState } from '../framework/cyclestate.js';
import type { EnqueueExtensions, FilterPlugin, ScorePlugin } from '../framework/interfaces.js';
import { skip, unresolvable, type Status } from '../framework/status.js';
import type { NodeInfo } from '../nodeinfo.js';
import type { PodInfo } from '../podinfo.js';
import { Action, Update } from '../queue/events.js';
import { defaultNormalizeScore } from './helpers/normalize.js';
import {
  doNotScheduleTaint,
  findUntoleratedTaint,
  tolerationsTolerate,
  type Toleration,
} from './helpers/taints.js';
import { names } from './names.js';

const stateKey = 'PreScore' + names.TaintToleration;

/** `node(s) had untolerated taint {key: value}`. */
export function untoleratedTaintMessage(key: string, value: string | undefined): string {
  return `node(s) had untolerated taint {${key}: ${value ?? ''}}`;
}

function hasPreferNoSchedule(n: NodeInfo): boolean {
  for (const t of n.taints) if (t.effect === 'PreferNoSchedule') return true;
  return false;
}

function tolerationsOf(pod: PodInfo): Toleration[] {
  return (pod.pod.spec?.tolerations ?? []) as Toleration[];
}

export class TaintToleration implements FilterPlugin, ScorePlugin, EnqueueExtensions {
  readonly name = names.TaintToleration;

  filter(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    if (nodeInfo.taints.length === 0) return undefined;
    const taint = findUntoleratedTaint(nodeInfo.taints, tolerationsOf(pod), doNotScheduleTaint);
    if (!taint) return undefined;
    return unresolvable(untoleratedTaintMessage(taint.key, taint.value));
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status | undefined {
    if (!nodes.some(hasPreferNoSchedule)) return skip;
    const preferNoSchedule = tolerationsOf(pod).filter(
      (t) => !t.effect || t.effect === 'PreferNoSchedule',
    );
    state.write(stateKey, preferNoSchedule);
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    const tolerations = state.read<Toleration[]>(stateKey) ?? [];
    let n = 0;
    for (const taint of nodeInfo.taints) {
      if (taint.effect !== 'PreferNoSchedule') continue;
      if (!tolerationsTolerate(tolerations, taint)) n++;
    }
    return n;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: number[]): void {
    defaultNormalizeScore(scores, true);
  }

  eventsToRegister() {
    return [
      { resource: 'Node' as const, action: Action.Add | Update },
      { resource: 'UnscheduledPod' as const, action: Action.UpdatePodToleration },
    ];
  }
}
