/**
 * InterPodAffinity (upstream `plugins/interpodaffinity`): required pod affinity and
 * anti-affinity filter (`filtering.ts`), preferred terms and existing pods' terms score
 * (`scoring.ts`, weight 2). Pods move back from unschedulable on assigned-pod events and on
 * node adds and label changes.
 */
import type { CycleState } from '../../framework/cyclestate.js';
import type {
  EnqueueExtensions,
  FilterPlugin,
  Handle,
  PreFilterOutcome,
  PreFilterPlugin,
  ScorePlugin,
} from '../../framework/interfaces.js';
import type { Status } from '../../framework/status.js';
import type { NodeInfo } from '../../nodeinfo.js';
import type { PodInfo } from '../../podinfo.js';
import { Action, All } from '../../queue/events.js';
import { PodCountingPreFilter } from '../helpers/prefilterstate.js';
import { names } from '../names.js';
import { filter, preFilter, preFilterKey } from './filtering.js';
import { normalizeScore, preScore, score } from './scoring.js';

export {
  errReasonAffinityRulesNotMatch,
  errReasonAntiAffinityRulesNotMatch,
  errReasonExistingAntiAffinityRulesNotMatch,
} from './filtering.js';

export class InterPodAffinity
  extends PodCountingPreFilter
  implements PreFilterPlugin, FilterPlugin, ScorePlugin, EnqueueExtensions
{
  readonly name = names.InterPodAffinity;

  constructor(private readonly handle: Handle) {
    super(preFilterKey);
  }

  preFilter(state: CycleState, pod: PodInfo): PreFilterOutcome | undefined {
    const status = preFilter(this.handle, state, pod);
    return status ? { status } : undefined;
  }

  filter(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    return filter(state, nodeInfo);
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status | undefined {
    return preScore(this.handle, state, pod, nodes);
  }

  score(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): number {
    return score(state, nodeInfo);
  }

  normalizeScore(state: CycleState, _pod: PodInfo, scores: number[]): void {
    normalizeScore(state, scores);
  }

  eventsToRegister() {
    return [
      { resource: 'AssignedPod' as const, action: All },
      { resource: 'Node' as const, action: Action.Add | Action.UpdateNodeLabel },
    ];
  }
}
