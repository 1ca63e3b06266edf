/**
 * The PreFilter extensions shared by plugins whose PreFilter state counts pods
 * (InterPodAffinity, PodTopologySpread): when preemption or a nominated pod adds or removes a pod
 * on a node, the state is updated instead of recomputed (`PreFilterExtensions.AddPod/RemovePod`).
 */
import type { CycleState } from '../../framework/cyclestate.js';
import type { NodeInfo } from '../../nodeinfo.js';
import type { PodInfo } from '../../podinfo.js';

/** State that can account for one more (+1) or one fewer (−1) pod on a node. */
export interface PodCountingState {
  updateWithPod(pod: PodInfo, nodeInfo: NodeInfo, delta: number): void;
}

export abstract class PodCountingPreFilter {
  constructor(private readonly stateKey: string) {}

  addPod(state: CycleState, _pod: PodInfo, added: PodInfo, nodeInfo: NodeInfo): undefined {
    state.read<PodCountingState>(this.stateKey)?.updateWithPod(added, nodeInfo, 1);
    return undefined;
  }

  removePod(state: CycleState, _pod: PodInfo, removed: PodInfo, nodeInfo: NodeInfo): undefined {
    state.read<PodCountingState>(this.stateKey)?.updateWithPod(removed, nodeInfo, -1);
    return undefined;
  }
}
