/**
 * The scheduling framework's extension points (upstream `k8s.io/kube-scheduler/framework`
 * `interface.go`), reduced to what the in-tree default plugins use.
 *
 * Order in one scheduling cycle: PreEnqueue (before the pod enters the active queue) → PreFilter
 * (once) → Filter (per node) → PostFilter (only when no node fits: preemption) → PreScore (once)
 * → Score (per feasible node) → NormalizeScore (once). Plugins are synchronous: a cycle runs to
 * the end without yielding, so the cache cannot change under it.
 *
 * Plugins never throw on bad input; they return an Error status (or reject the node).
 */
import type { ClusterListers } from '../listers.js';
import type { MatchCountCache } from '../matchcache.js';
import type { NodeInfo } from '../nodeinfo.js';
import type { PodInfo } from '../podinfo.js';
import type { ClusterEvent } from '../queue/events.js';
import type { CycleState } from './cyclestate.js';
import type { Status } from './status.js';

/** Everything a plugin may read besides the pod and node (upstream `fwk.Handle`). */
export interface Handle {
  /** Every node that can host pods, in the scheduler's order (`NodeInfos().List()`). */
  allNodes(): readonly NodeInfo[];
  /** Nodes with at least one pod that has pod (anti-)affinity. */
  nodesWithPodsWithAffinity(): readonly NodeInfo[];
  /** Nodes with at least one pod that has required anti-affinity. */
  nodesWithRequiredAntiAffinityPods(): readonly NodeInfo[];
  nodeInfo(name: string): NodeInfo | undefined;
  /** The labels of a namespace, undefined when unknown. */
  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined;
  /** Names of namespaces whose labels match `selector` (for namespaceSelector terms). */
  namespacesMatching(matches: (labels: Readonly<Record<string, string>>) => boolean): string[];
  /** Listers for the default spreading selector. */
  readonly listers: ClusterListers;
  /** Per-node memo of matching-pod counts. */
  readonly matchCounts: MatchCountCache;
}

export interface Plugin {
  readonly name: string;
}

/** Runs before a pod enters the active queue; a rejection keeps it waiting (e.g. scheduling gates). */
export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: PodInfo): Status | undefined;
}

/** PreFilter may narrow the candidate nodes (`PreFilterResult.NodeNames`). */
export interface PreFilterResult {
  nodeNames: ReadonlySet<string>;
}

export interface PreFilterOutcome {
  result?: PreFilterResult;
  status?: Status;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo): PreFilterOutcome | undefined;
  /** `PreFilterExtensions.AddPod`: `added` now counts on `nodeInfo` (preemption, nominated pods). */
  addPod?(state: CycleState, pod: PodInfo, added: PodInfo, nodeInfo: NodeInfo): Status | undefined;
  /** `PreFilterExtensions.RemovePod`. */
  removePod?(
    state: CycleState,
    pod: PodInfo,
    removed: PodInfo,
    nodeInfo: NodeInfo,
  ): Status | undefined;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status | undefined;
}

/** What PostFilter may ask for: nominate a node (`''` clears the nomination). */
export interface PostFilterResult {
  nominatedNodeName: string;
}

export interface PostFilterOutcome {
  result?: PostFilterResult;
  status?: Status;
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, statuses: NodeToStatus): PostFilterOutcome;
}

export interface ScorePlugin extends Plugin {
  /** Returns Skip when the plugin does not score this pod. */
  preScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status | undefined;
  /** The raw score of one node. */
  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number;
  /** Scales `scores` (aligned with `nodes`) to 0…100 in place. */
  normalizeScore?(
    state: CycleState,
    pod: PodInfo,
    scores: number[],
    nodes: readonly NodeInfo[],
  ): void;
}

/** The cluster events that may make a pod this plugin rejected schedulable (`EnqueueExtensions`). */
export interface EnqueueExtensions {
  eventsToRegister(): readonly ClusterEvent[];
}

/**
 * The status of every node a cycle rejected (upstream `NodeToStatus`), plus the status of nodes
 * that were never looked at (`absentStatus`, e.g. outside a PreFilter's node set).
 */
export class NodeToStatus {
  readonly byNode = new Map<string, Status>();
  absentStatus: Status | undefined;

  set(node: string, status: Status): void {
    this.byNode.set(node, status);
  }

  get(node: string): Status | undefined {
    return this.byNode.get(node) ?? this.absentStatus;
  }
}
