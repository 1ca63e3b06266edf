/**
 * Why a pod fits no node (upstream `framework.FitError` and `Diagnosis`), with upstream's message:
 *
 * `0/<N> nodes are available: <PreFilter message>.` when a PreFilter plugin rejected the pod, or
 * `0/<N> nodes are available: <count> <reason>, <count> <reason>.` — one entry per distinct
 * reason over all rejected nodes (nodes never examined count with the absent-node status),
 * sorted as strings — then ` <PostFilter message>` (e.g. `preemption: …`) when preemption ran.
 *
 * Example: `0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint
 * {node.kubernetes.io/not-ready: }. preemption: 0/5 nodes are available: 5 Preemption is not
 * helpful for scheduling.`
 */
import { noteLengthLimit } from './defaults.js';
import type { NodeToStatus } from './framework/interfaces.js';

export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** Plugins that rejected the pod (Unschedulable or UnschedulableAndUnresolvable). */
  unschedulablePlugins: Set<string>;
  preFilterMsg: string;
  postFilterMsg: string;
}

/** `NoNodeAvailableMsg`. */
export function noNodeAvailableMsg(n: number): string {
  return `0/${n} nodes are available`;
}

export class FitError {
  constructor(
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {}

  /** `FitError.Error()`. */
  get message(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}

/** The message of a fit error. */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `${noNodeAvailableMsg(numAllNodes)}:`;
  if (d.preFilterMsg !== '') {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const reasons = new Map<string, number>();
    for (const status of d.nodeToStatus.byNode.values()) {
      for (const r of status.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
    const absent = numAllNodes - d.nodeToStatus.byNode.size;
    if (absent > 0 && d.nodeToStatus.absentStatus) {
      for (const r of d.nodeToStatus.absentStatus.reasons) {
        reasons.set(r, (reasons.get(r) ?? 0) + absent);
      }
    }
    const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort(compareGoStrings);
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg !== '') msg += ` ${d.postFilterMsg}`;
  return msg;
}

/** Go's `sort.Strings` order: bytewise. */
function compareGoStrings(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}

/** `truncateMessage`: at most 1024 characters, ending in ` ...` when cut. */
export function truncateMessage(message: string): string {
  if (message.length <= noteLengthLimit) return message;
  const suffix = ' ...';
  return message.slice(0, noteLengthLimit - suffix.length) + suffix;
}

/** `ErrNoNodesAvailable`. */
export const errNoNodesAvailable = 'no nodes available to schedule pods';
