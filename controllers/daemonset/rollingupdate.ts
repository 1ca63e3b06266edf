/**
 * The DaemonSet RollingUpdate plan (`daemon/update.go` `rollingUpdate`, `findUpdatedPodsOnNode`,
 * `updatedDesiredNodeCounts`). Pure: it says which old pods to delete and on which nodes to create
 * new pods; `manage` does the rest on later syncs. Nodes are visited in name order.
 *
 * maxSurge 0 (delete first): a node with an unavailable old pod may always be replaced; available
 * old pods are replaced while fewer than maxUnavailable nodes are unavailable (a node with no pod,
 * two pods, or an unavailable new pod counts as unavailable).
 *
 * maxSurge > 0 (create first): a new pod is created beside an unavailable old pod at once, and
 * beside available old pods while fewer than maxSurge nodes are surging; an old pod is deleted
 * once the new pod beside it is available. Old pods on nodes the DaemonSet no longer wants are
 * deleted when unavailable, or — keeping 100 % availability — only as far as more pods are
 * available than desired.
 *
 * When the DaemonSet asks for neither surge nor unavailability, one unavailable node is allowed.
 */
import type { Node, Pod } from '../../framework/index.js';
import { isPodAvailable } from '../util/index.js';
import {
  isPodUpdated,
  nodeShouldRunDaemonPod,
  surgeCount,
  templateGeneration,
  unavailableCount,
  type DS,
} from './placement.js';

type P = Readonly<Pod>;

/** `findUpdatedPodsOnNode`: at most one new and one old live pod; `ok` false when more. */
export function findUpdatedPodsOnNode(
  ds: DS,
  pods: readonly P[],
  hash: string,
): { newPod?: P; oldPod?: P; ok: boolean } {
  let newPod: P | undefined;
  let oldPod: P | undefined;
  const generation = templateGeneration(ds);
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

export interface RollingUpdatePlan {
  oldPodsToDelete: string[];
  newNodesToCreate: string[];
}

/** `rollingUpdate` without the writes; see the module comment. */
export function planRollingUpdate(
  ds: DS,
  nodes: readonly Readonly<Node>[],
  nodeToDaemonPods: ReadonlyMap<string, P[]>,
  hash: string,
  nowMs: number,
): RollingUpdatePlan {
  const byName = new Map(nodes.map((n) => [n.metadata?.name ?? '', n]));
  const perNode = new Map(nodeToDaemonPods);
  let desired = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desired++;
    const name = node.metadata?.name ?? '';
    if (!perNode.has(name)) perNode.set(name, []);
  }
  let maxUnavailable = unavailableCount(ds, desired);
  const maxSurge = surgeCount(ds, desired);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: P) => isPodAvailable(p, minReady, nowMs);
  const names = [...perNode.keys()].sort();
  const shouldRun = (name: string) => {
    const node = byName.get(name);
    return !!node && nodeShouldRunDaemonPod(node, ds).shouldRun;
  };

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowed: string[] = [];
    const candidates: string[] = [];
    for (const name of names) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, perNode.get(name)!, hash);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) {
        numUnavailable++;
      } else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (!available(oldPod!)) {
        allowed.push(oldPod!.metadata!.name!);
        numUnavailable++;
      } else if (numUnavailable < maxUnavailable) {
        candidates.push(oldPod!.metadata!.name!);
      }
    }
    const remaining = Math.min(Math.max(maxUnavailable - numUnavailable, 0), candidates.length);
    return {
      oldPodsToDelete: [...allowed, ...candidates.slice(0, remaining)],
      newNodesToCreate: [],
    };
  }

  const oldPodsToDelete: string[] = [];
  const shouldNotRunPodsToDelete: P[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const name of names) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, perNode.get(name)!, hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(name)) oldPodsToDelete.push(oldPod.metadata!.name!);
        else allowedNewNodes.push(name);
      } else if (!shouldRun(name)) {
        shouldNotRunPodsToDelete.push(oldPod);
      } else if (numSurge < maxSurge) {
        candidateNewNodes.push(name);
      }
      continue;
    }
    if (!available(newPod)) {
      numSurge++;
      continue;
    }
    oldPodsToDelete.push(oldPod.metadata!.name!);
  }
  const deletable = Math.min(numAvailable - desired, shouldNotRunPodsToDelete.length);
  for (const pod of shouldNotRunPodsToDelete.slice(0, Math.max(deletable, 0))) {
    if (!pod.metadata?.deletionTimestamp) oldPodsToDelete.push(pod.metadata!.name!);
  }
  const remainingSurge = Math.min(Math.max(maxSurge - numSurge, 0), candidateNewNodes.length);
  return {
    oldPodsToDelete,
    newNodesToCreate: [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)],
  };
}
