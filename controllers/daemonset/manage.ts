/**
 * What one DaemonSet needs on each node (`daemon_controller.go` `manage`, `podsShouldBeOnNode`,
 * `getUnscheduledPodsWithoutNode`). Pure apart from the failed-pods {@link Backoff}.
 *
 * Per node:
 * - should run and has no pod → create one;
 * - may keep running: failed pods are deleted (one deletion per back-off window per node, with a
 *   `FailedDaemonPod` warning; inside the window the DaemonSet is looked at again when it ends),
 *   succeeded pods deleted (`SucceededDaemonPod`); without surge, all but the oldest running pod
 *   are deleted; with surge, the oldest pod at the current hash and the oldest other are kept
 *   only while the new one is unavailable and the old one Ready, and a node left without a pod
 *   gets one;
 * - must not run (an untolerated NoExecute taint, the selector) → every pod is deleted.
 * Unscheduled pods aimed at nodes that no longer exist are deleted too.
 */
import type { Node, Pod } from '../../framework/index.js';
import { compareByCreation, isPodAvailable, isPodReady } from '../util/index.js';
import type { Backoff } from './backoff.js';
import { uniqueLabelKey } from './defaults.js';
import { allowsSurge, nodeShouldRunDaemonPod, targetNodeName, type DS } from './placement.js';

type P = Readonly<Pod>;

export interface DaemonEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface NodePlan {
  nodesNeedingDaemonPods: string[];
  podsToDelete: string[];
  events: DaemonEvent[];
  /** Look at the DaemonSet again after this many ms (a back-off window ends). */
  requeueAfterMs?: number;
}

/** `getNodesToDaemonPods`: pods by target node (terminal pods being deleted left out). */
export function nodesToDaemonPods(
  pods: readonly P[],
  includeDeletedTerminal = false,
): Map<string, P[]> {
  const map = new Map<string, P[]>();
  for (const pod of pods) {
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (!includeDeletedTerminal && terminal && pod.metadata?.deletionTimestamp) continue;
    const node = targetNodeName(pod);
    if (node === undefined) continue;
    const list = map.get(node);
    if (list) list.push(pod);
    else map.set(node, [pod]);
  }
  return map;
}

/** `podByCreationTimestampAndPhase`: scheduled first, then oldest, then by name. */
export function byCreationTimestampAndPhase(a: P, b: P): number {
  const sa = !!a.spec?.nodeName;
  const sb = !!b.spec?.nodeName;
  if (sa !== sb) return sa ? -1 : 1;
  return compareByCreation(a, b);
}

/** `failedPodsBackoffKey`. */
export function failedPodsBackoffKey(ds: DS, node: string): string {
  return `${ds.metadata?.uid}/${ds.status?.observedGeneration ?? 0}/${node}`;
}

export interface PlanOptions {
  ds: DS;
  nodes: readonly Readonly<Node>[];
  nodeToDaemonPods: ReadonlyMap<string, P[]>;
  hash: string;
  nowMs: number;
  backoff: Backoff;
}

/** `manage` without the writes: what to create and delete; see the module comment. */
export function planNodes(o: PlanOptions): NodePlan {
  const plan: NodePlan = { nodesNeedingDaemonPods: [], podsToDelete: [], events: [] };
  for (const node of o.nodes) podsShouldBeOnNode(o, node, plan);
  const running = new Set(o.nodes.map((n) => n.metadata?.name ?? ''));
  for (const [name, pods] of o.nodeToDaemonPods) {
    if (running.has(name)) continue;
    for (const pod of pods) if (!pod.spec?.nodeName) plan.podsToDelete.push(pod.metadata!.name!);
  }
  return plan;
}

function podsShouldBeOnNode(o: PlanOptions, node: Readonly<Node>, plan: NodePlan): void {
  const { ds } = o;
  const name = node.metadata?.name ?? '';
  const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
  const daemonPods = o.nodeToDaemonPods.get(name);
  if (shouldRun && !daemonPods) {
    plan.nodesNeedingDaemonPods.push(name);
    return;
  }
  if (shouldContinueRunning) {
    const running: P[] = [];
    for (const pod of daemonPods ?? []) {
      if (pod.metadata?.deletionTimestamp) continue;
      const podName = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
      if (pod.status?.phase === 'Failed') {
        const key = failedPodsBackoffKey(ds, name);
        if (o.backoff.isInBackOffSinceUpdate(key, o.nowMs)) {
          const delay = o.backoff.get(key);
          plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? delay, delay);
          continue;
        }
        o.backoff.next(key, o.nowMs);
        plan.events.push({
          type: 'Warning',
          reason: 'FailedDaemonPod',
          message: `Found failed daemon pod ${podName} on node ${name}, will try to kill it`,
        });
        plan.podsToDelete.push(pod.metadata!.name!);
      } else if (pod.status?.phase === 'Succeeded') {
        plan.events.push({
          type: 'Normal',
          reason: 'SucceededDaemonPod',
          message: `Found succeeded daemon pod ${podName} on node ${name}, will try to delete it`,
        });
        plan.podsToDelete.push(pod.metadata!.name!);
      } else {
        running.push(pod);
      }
    }
    running.sort(byCreationTimestampAndPhase);
    if (!allowsSurge(ds)) {
      for (const pod of running.slice(1)) plan.podsToDelete.push(pod.metadata!.name!);
      return;
    }
    if (running.length <= 1) {
      if (running.length === 0 && shouldRun) plan.nodesNeedingDaemonPods.push(name);
      return;
    }
    let oldestNew: P | undefined;
    let oldestOld: P | undefined;
    for (const pod of running) {
      if (pod.metadata?.labels?.[uniqueLabelKey] === o.hash) {
        if (!oldestNew) {
          oldestNew = pod;
          continue;
        }
      } else if (!oldestOld) {
        oldestOld = pod;
        continue;
      }
      plan.podsToDelete.push(pod.metadata!.name!);
    }
    if (oldestNew && oldestOld) {
      if (!isPodReady(oldestOld)) plan.podsToDelete.push(oldestOld.metadata!.name!);
      else if (isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, o.nowMs)) {
        plan.podsToDelete.push(oldestOld.metadata!.name!);
      }
    }
    return;
  }
  if (daemonPods) {
    for (const pod of daemonPods) {
      if (!pod.metadata?.deletionTimestamp) plan.podsToDelete.push(pod.metadata!.name!);
    }
  }
}
