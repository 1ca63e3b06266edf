/**
 * The scheduler cache (upstream `internal/cache`): nodes and the pods on them, including pods the
 * scheduler *assumed* onto a node before the binding round trip finished.
 *
 * - Assume: the pod counts on its node at once, so the next pod sees the capacity it took.
 * - The informer then reports the pod bound: the assumed entry is confirmed (moved if the server
 *   put it elsewhere). A failed binding is forgotten: its resources come back.
 * - Pods bound to a node the cache has not seen yet are kept on a node-less NodeInfo until the
 *   node appears; node-less NodeInfos are never candidates.
 *
 * It implements the framework {@link Handle}: node lists for plugins, namespaces and listers.
 * The scheduling cycle is synchronous, so plugins see the cache as of the cycle's start.
 */
import type { Node } from '../../../framework/index.js';
import type { Handle } from '../framework/interfaces.js';
import type { ClusterListers } from '../listers.js';
import { NodeInfo } from '../nodeinfo.js';
import type { PodInfo } from '../podinfo.js';
import { MatchCountCache } from '../matchcache.js';
import { NodeTree, zoneKey } from './nodetree.js';

interface PodState {
  pod: PodInfo;
  assumed: boolean;
  bindingFinished: boolean;
}

export class SchedulerCache implements Handle {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly tree = new NodeTree();
  private ordered: NodeInfo[] | undefined;
  /** Nodes (with a node object) holding pods with affinity / required anti-affinity. */
  private readonly withAffinity = new Set<NodeInfo>();
  private readonly withRequiredAnti = new Set<NodeInfo>();
  private affinityList: NodeInfo[] | undefined;
  private antiList: NodeInfo[] | undefined;
  readonly matchCounts = new MatchCountCache();

  constructor(readonly listers: ClusterListers) {}

  // ---------------------------------------------------------------- Handle

  allNodes(): readonly NodeInfo[] {
    if (!this.ordered) {
      this.ordered = this.tree.list().map((n) => this.nodes.get(n)!);
    }
    return this.ordered;
  }

  nodesWithPodsWithAffinity(): readonly NodeInfo[] {
    this.affinityList ??= [...this.withAffinity].filter((n) => n.node);
    return this.affinityList;
  }

  nodesWithRequiredAntiAffinityPods(): readonly NodeInfo[] {
    this.antiList ??= [...this.withRequiredAnti].filter((n) => n.node);
    return this.antiList;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    const n = this.nodes.get(name);
    return n?.node ? n : undefined;
  }

  namespaceLabels(namespace: string) {
    return this.listers.namespaceLabels(namespace);
  }

  namespacesMatching(matches: (labels: Readonly<Record<string, string>>) => boolean): string[] {
    const out: string[] = [];
    for (const ns of this.listers.namespaces()) if (matches(ns.labels)) out.push(ns.name);
    return out;
  }

  // ---------------------------------------------------------------- nodes

  get nodeCount(): number {
    return this.tree.size;
  }

  addOrUpdateNode(node: Readonly<Node>): void {
    const name = node.metadata?.name ?? '';
    let info = this.nodes.get(name);
    if (!info) this.nodes.set(name, (info = new NodeInfo(name)));
    info.setNode(node);
    if (this.tree.set(name, zoneKey(node))) this.invalidateOrder();
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    if (info.pods.length === 0) this.nodes.delete(name);
    else info.removeNode();
    if (this.tree.remove(name)) this.invalidateOrder();
  }

  // ---------------------------------------------------------------- pods

  /** An assigned pod appeared (or an assumed one was confirmed bound, maybe elsewhere). */
  addPod(pod: PodInfo): void {
    const state = this.podStates.get(pod.key);
    if (state) this.detach(state.pod);
    this.attach(pod);
    this.podStates.set(pod.key, { pod, assumed: false, bindingFinished: true });
  }

  /** An assigned pod changed. */
  updatePod(pod: PodInfo): void {
    this.addPod(pod);
  }

  /** An assigned pod was deleted (or finished). */
  removePod(key: string): void {
    const state = this.podStates.get(key);
    if (!state) return;
    this.detach(state.pod);
    this.podStates.delete(key);
  }

  /** `AssumePod`: `pod` (with its `nodeName` set) counts on its node now. */
  assumePod(pod: PodInfo): void {
    if (this.podStates.has(pod.key))
      throw new Error(`pod ${pod.key} is in the cache, so can't be assumed`);
    this.attach(pod);
    this.podStates.set(pod.key, { pod, assumed: true, bindingFinished: false });
  }

  /** `FinishBinding`: the binding request returned. */
  finishBinding(key: string): void {
    const state = this.podStates.get(key);
    if (state?.assumed) state.bindingFinished = true;
  }

  /** `ForgetPod`: the binding failed; the assumed pod no longer counts. */
  forgetPod(key: string): void {
    const state = this.podStates.get(key);
    if (!state?.assumed) return;
    this.detach(state.pod);
    this.podStates.delete(key);
  }

  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed ?? false;
  }

  /** The cached version of a pod, if the cache holds it. */
  podInfo(key: string): PodInfo | undefined {
    return this.podStates.get(key)?.pod;
  }

  get podCount(): number {
    return this.podStates.size;
  }

  private nodeFor(name: string): NodeInfo {
    let info = this.nodes.get(name);
    if (!info) this.nodes.set(name, (info = new NodeInfo(name)));
    return info;
  }

  private attach(pod: PodInfo): void {
    const info = this.nodeFor(pod.nodeName);
    info.addPod(pod);
    this.trackAffinity(info);
  }

  private detach(pod: PodInfo): void {
    const info = this.nodes.get(pod.nodeName);
    if (!info) return;
    info.removePod(pod);
    this.trackAffinity(info);
    if (!info.node && info.pods.length === 0) this.nodes.delete(info.name);
  }

  private trackAffinity(info: NodeInfo): void {
    if (toggle(this.withAffinity, info, info.podsWithAffinity.length > 0)) {
      this.affinityList = undefined;
    }
    if (toggle(this.withRequiredAnti, info, info.podsWithRequiredAntiAffinity.length > 0)) {
      this.antiList = undefined;
    }
  }

  private invalidateOrder(): void {
    this.ordered = undefined;
    this.affinityList = undefined;
    this.antiList = undefined;
  }
}

/** Adds or removes `name`; true when the set changed. */
function toggle(set: Set<NodeInfo>, info: NodeInfo, present: boolean): boolean {
  if (present === set.has(info)) return false;
  if (present) set.add(info);
  else set.delete(info);
  return true;
}
