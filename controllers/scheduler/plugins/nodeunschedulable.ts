/**
 * NodeUnschedulable (upstream `plugins/nodeunschedulable`): a cordoned node
 * (`spec.unschedulable`) takes only pods tolerating `node.kubernetes.io/unschedulable:NoSchedule`.
 */
import { taintNodeUnschedulable } from '../defaults.js';
import type { EnqueueExtensions, FilterPlugin } from '../framework/interfaces.js';
import { unresolvable, type Status } from '../framework/status.js';
import type { NodeInfo } from '../nodeinfo.js';
import type { PodInfo } from '../podinfo.js';
import { Action } from '../queue/events.js';
import { tolerationsTolerate, type Taint, type Toleration } from './helpers/taints.js';
import { names } from './names.js';

/** `ErrReasonUnschedulable`. */
export const errReasonUnschedulable = 'node(s) were unschedulable';

const rejected = unresolvable(errReasonUnschedulable);
const unschedulableTaint: Taint = { key: taintNodeUnschedulable, effect: 'NoSchedule' };

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = names.NodeUnschedulable;

  filter(_state: unknown, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    if (!nodeInfo.unschedulable) return undefined;
    const tolerations = (pod.pod.spec?.tolerations ?? []) as Toleration[];
    if (tolerationsTolerate(tolerations, unschedulableTaint)) return undefined;
    return rejected;
  }

  eventsToRegister() {
    return [
      { resource: 'Node' as const, action: Action.Add | Action.UpdateNodeTaint },
      { resource: 'UnscheduledPod' as const, action: Action.UpdatePodToleration },
    ];
  }
}
