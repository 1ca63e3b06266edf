/**
 * NodeName (upstream `plugins/nodename`): a pod that names a node (`spec.nodeName`) fits only
 * there. Pods with `spec.nodeName` are already bound and never queued, so this matters for
 * preemption dry runs and for completeness.
 */
import type { EnqueueExtensions, FilterPlugin } from '../framework/interfaces.js';
import { unresolvable, type Status } from '../framework/status.js';
import type { NodeInfo } from '../nodeinfo.js';
import type { PodInfo } from '../podinfo.js';
import { Action, Update } from '../queue/events.js';
import { names } from './names.js';

/** `ErrReason`. */
export const errReasonNodeName = "node(s) didn't match the requested node name";

const rejected = unresolvable(errReasonNodeName);

export class NodeName implements FilterPlugin, EnqueueExtensions {
  readonly name = names.NodeName;

  filter(_state: unknown, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    const wanted = pod.nodeName;
    if (wanted && wanted !== nodeInfo.name) return rejected;
    return undefined;
  }

  eventsToRegister() {
    return [{ resource: 'Node' as const, action: Action.Add | Update }];
  }
}
