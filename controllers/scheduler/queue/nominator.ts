/**
 * Pods nominated to nodes (upstream `nominator` in `scheduling_queue.go`): a pending pod whose
 * preemption freed room on a node is "nominated" there (its `status.nominatedNodeName`), and
 * until it binds, filters on that node count it as if it were running there — for pods of equal
 * or lower priority — so they do not take the room it is waiting for.
 *
 * A nomination made by this scheduler is kept when the pod's next update does not carry the
 * field yet (the status patch may still be in flight).
 */
import type { PodInfo } from '../podinfo.js';

/** How a scheduling attempt changes the nomination: `override` sets it (`''` clears it). */
export interface NominatingInfo {
  mode: 'override' | 'noop';
  nominatedNodeName: string;
}

const none: readonly PodInfo[] = [];

function statusNomination(pi: PodInfo): string {
  return pi.pod.status?.nominatedNodeName ?? '';
}

export class Nominator {
  private readonly byNode = new Map<string, PodInfo[]>();
  private readonly nodeOf = new Map<string, string>();

  /** Adds or refreshes a nomination (`addNominatedPodUnlocked`). */
  add(pi: PodInfo, info?: NominatingInfo): void {
    this.delete(pi);
    let node: string;
    if (info?.mode === 'override') node = info.nominatedNodeName;
    else {
      node = statusNomination(pi);
      if (node === '') return;
    }
    if (node === '') return;
    this.nodeOf.set(pi.key, node);
    const list = this.byNode.get(node) ?? [];
    if (!list.some((p) => p.key === pi.key)) list.push(pi);
    this.byNode.set(node, list);
  }

  /** `UpdateNominatedPod`: keeps a nomination this scheduler made if the update lacks it. */
  update(old: PodInfo, updated: PodInfo): void {
    let info: NominatingInfo | undefined;
    if (statusNomination(old) === '' && statusNomination(updated) === '') {
      const node = this.nodeOf.get(old.key);
      if (node !== undefined) info = { mode: 'override', nominatedNodeName: node };
    }
    this.delete(old);
    this.add(updated, info);
  }

  delete(pi: PodInfo): void {
    const node = this.nodeOf.get(pi.key);
    if (node === undefined) return;
    this.nodeOf.delete(pi.key);
    const list = (this.byNode.get(node) ?? []).filter((p) => p.key !== pi.key);
    if (list.length > 0) this.byNode.set(node, list);
    else this.byNode.delete(node);
  }

  /** The pods nominated to `node`. */
  podsForNode(node: string): readonly PodInfo[] {
    return this.byNode.get(node) ?? none;
  }

  /** The node `key` is nominated to. */
  nodeFor(key: string): string | undefined {
    return this.nodeOf.get(key);
  }

  /** True when any pod is nominated anywhere (a fast path for filters). */
  get empty(): boolean {
    return this.byNode.size === 0;
  }
}
