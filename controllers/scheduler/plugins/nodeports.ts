/**
 * NodePorts (upstream `plugins/nodeports`): a pod's host ports must be free on the node. Address
 * 0.0.0.0 conflicts with every address for the same protocol and port.
 */
import type { EnqueueExtensions, FilterPlugin } from '../framework/interfaces.js';
import { unschedulable, type Status } from '../framework/status.js';
import type { NodeInfo } from '../nodeinfo.js';
import type { PodInfo } from '../podinfo.js';
import { Action, Update } from '../queue/events.js';
import { names } from './names.js';

/** `ErrReason`. */
export const errReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";

const rejected = unschedulable(errReasonNodePorts);

export class NodePorts implements FilterPlugin, EnqueueExtensions {
  readonly name = names.NodePorts;

  filter(_state: unknown, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined {
    if (pod.hostPorts.length === 0 || nodeInfo.usedPorts.size === 0) return undefined;
    for (const p of pod.hostPorts) if (nodeInfo.portConflicts(p)) return rejected;
    return undefined;
  }

  eventsToRegister() {
    return [
      { resource: 'AssignedPod' as const, action: Action.Delete },
      { resource: 'Node' as const, action: Action.Add | Update },
    ];
  }
}
