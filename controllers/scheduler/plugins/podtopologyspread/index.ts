/**
 * PodTopologySpread (upstream `plugins/podtopologyspread`): `DoNotSchedule` constraints filter
 * (`filtering.ts`); `ScheduleAnyway` constraints and the system defaults score (`scoring.ts`,
 * weight 2). Pods move back on assigned-pod events and node adds, deletes, label and taint
 * changes.
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
import { Action } from '../../queue/events.js';
import { PodCountingPreFilter } from '../helpers/prefilterstate.js';
import { names } from '../names.js';
import { filter, preFilter, preFilterKey } from './filtering.js';
import { normalizeScore, preScore, score } from './scoring.js';

export { errReasonConstraintsNotMatch, errReasonNodeLabelNotMatch } from './filtering.js';

export class PodTopologySpread
  extends PodCountingPreFilter
  implements PreFilterPlugin, FilterPlugin, ScorePlugin, EnqueueExtensions
{
  readonly name = names.PodTopologySpread;

  constructor(private readonly handle: Handle) {
    super(preFilterKey);
  }

  preFilter(state: CycleState, pod: PodInfo): PreFilterOutcome | undefined {
    const status = preFilter(this.handle, state, pod);
    return status ? { status } : undefined;
  }

  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    return filter(state, pod, nodeInfo);
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status | undefined {
    return preScore(this.handle, state, pod, nodes);
  }

  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number {
    return score(state, pod, nodeInfo);
  }

  normalizeScore(state: CycleState, _pod: PodInfo, scores: number[], nodes: readonly NodeInfo[]) {
    normalizeScore(state, scores, nodes);
  }

  eventsToRegister() {
    return [
      {
        resource: 'AssignedPod' as const,
        action: Action.Add | Action.Delete | Action.UpdatePodLabel,
      },
      {
        resource: 'Node' as const,
        action: Action.Add | Action.Delete | Action.UpdateNodeLabel | Action.UpdateNodeTaint,
      },
    ];
  }
}
