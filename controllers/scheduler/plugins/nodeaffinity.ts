/**
 * NodeAffinity (upstream `plugins/nodeaffinity`): `spec.nodeSelector` and required node affinity
 * filter; preferred node affinity scores (weight 2).
 *
 * - PreFilter skips pods without either. Required terms that all pin `metadata.name` (DaemonSet
 *   pods) narrow the candidates to those nodes; terms pinning contradictory names reject the pod
 *   (`pod affinity terms conflict`).
 * - Filter: `node(s) didn't match Pod's node affinity/selector` (unresolvable by preemption).
 * - Score: the sum of the weights of matching preferred terms, normalised so the best node
 *   scores 100. PreScore skips pods without preferred terms.
 */
import type { CycleState } from '../framework/cyclestate.js';
import type {
  EnqueueExtensions,
  FilterPlugin,
  PreFilterOutcome,
  PreFilterPlugin,
  ScorePlugin,
} from '../framework/interfaces.js';
import { skip, unresolvable, type Status } from '../framework/status.js';
import type { NodeInfo } from '../nodeinfo.js';
import type { PodInfo } from '../podinfo.js';
import { Action, Update } from '../queue/events.js';
import { defaultNormalizeScore } from './helpers/normalize.js';
import { PreferredSchedulingTerms, RequiredNodeAffinity } from './helpers/nodeaffinity.js';
import { names } from './names.js';

/** `ErrReasonPod`. */
export const errReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";
/** `errReasonConflict`. */
export const errReasonConflict = 'pod affinity terms conflict';

const preFilterKey = 'PreFilter' + names.NodeAffinity;
const preScoreKey = 'PreScore' + names.NodeAffinity;
const rejected = unresolvable(errReasonNodeAffinity);

type Json = Record<string, unknown>;

/** The node names every required term pins with `metadata.name In`, or undefined. */
function pinnedNodeNames(pod: PodInfo): Set<string> | undefined | 'conflict' {
  const na = (pod.pod.spec?.affinity as Json | undefined)?.nodeAffinity as Json | undefined;
  const required = na?.requiredDuringSchedulingIgnoredDuringExecution as Json | undefined;
  const terms = (required?.nodeSelectorTerms as Json[] | undefined) ?? [];
  if (terms.length === 0) return undefined;
  let all: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const f of (t.matchFields as Json[] | undefined) ?? []) {
      if (f.key !== 'metadata.name' || f.operator !== 'In') continue;
      const s = new Set((f.values as string[] | undefined) ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    if (!termNames) return undefined;
    all = new Set([...(all ?? []), ...termNames]);
  }
  if (all && all.size === 0) return 'conflict';
  return all;
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, ScorePlugin, EnqueueExtensions {
  readonly name = names.NodeAffinity;

  preFilter(state: CycleState, pod: PodInfo): PreFilterOutcome | undefined {
    const required = new RequiredNodeAffinity(pod.pod);
    if (!required.constrains) return { status: skip };
    state.write(preFilterKey, required);
    const pinned = pinnedNodeNames(pod);
    if (pinned === 'conflict') return { status: unresolvable(errReasonConflict) };
    if (pinned) return { result: { nodeNames: pinned } };
    return undefined;
  }

  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    const required =
      state.read<RequiredNodeAffinity>(preFilterKey) ?? new RequiredNodeAffinity(pod.pod);
    return required.matchesLabels(nodeInfo.name, nodeInfo.labels) ? undefined : rejected;
  }

  preScore(state: CycleState, pod: PodInfo): Status | undefined {
    const preferred = new PreferredSchedulingTerms(pod.pod);
    if (preferred.empty) return skip;
    state.write(preScoreKey, preferred);
    return undefined;
  }

  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    const preferred =
      state.read<PreferredSchedulingTerms>(preScoreKey) ?? new PreferredSchedulingTerms(pod.pod);
    return preferred.score(nodeInfo.name, nodeInfo.labels);
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: number[]): void {
    defaultNormalizeScore(scores, false);
  }

  eventsToRegister() {
    return [{ resource: 'Node' as const, action: Action.Add | Update }];
  }
}
