/**
 * Node-level aggregates the plugins read (upstream `framework.NodeInfo`): the node, its pods
 * (assumed ones included), the sum of their requests, the host ports in use, and the pods with
 * (anti-)affinity. `generation` increases on every change.
 *
 * A NodeInfo may exist without a node: pods bound to a node the scheduler has not seen yet (or
 * that was deleted while pods remain) are kept so their resources are counted once it appears.
 * Such NodeInfos are not scheduling candidates.
 */
import type { Node } from '../../framework/index.js';
import type { Taint } from './plugins/helpers/taints.js';
import { nodeAllocatable, type NodeResources } from './resources.js';
import type { HostPort, PodInfo } from './podinfo.js';

let generationCounter = 0;

/** The next global generation (upstream `nextGeneration`). */
export function nextGeneration(): number {
  return ++generationCounter;
}

export class NodeInfo {
  node: Readonly<Node> | undefined;
  labels: Readonly<Record<string, string>> = {};
  taints: readonly Taint[] = [];
  unschedulable = false;
  allocatable: NodeResources = nodeAllocatable(undefined);

  requestedMilliCPU = 0;
  requestedMemory = 0;
  requestedEphemeralStorage = 0;
  requestedScalar: Map<string, number> | undefined;
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;

  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  /** `protocol/port` → ip → number of pods binding it. */
  usedPorts = new Map<string, Map<string, number>>();
  generation = nextGeneration();

  constructor(readonly name: string) {}

  /** Sets (or replaces) the node object. */
  setNode(node: Readonly<Node>): void {
    this.node = node;
    this.labels = (node.metadata?.labels ?? {}) as Record<string, string>;
    this.taints = (node.spec?.taints ?? []) as Taint[];
    this.unschedulable = node.spec?.unschedulable === true;
    this.allocatable = nodeAllocatable(node.status?.allocatable as Record<string, unknown>);
    this.generation = nextGeneration();
  }

  /** Forgets the node object, keeping its pods. */
  removeNode(): void {
    this.node = undefined;
    this.generation = nextGeneration();
  }

  addPod(pi: PodInfo): void {
    this.pods.push(pi);
    if (pi.hasAffinity) this.podsWithAffinity.push(pi);
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.push(pi);
    this.account(pi, 1);
  }

  /** Removes the pod with `pi.key`; false when it was not there. */
  removePod(pi: PodInfo): boolean {
    const removed = removeByKey(this.pods, pi.key);
    if (!removed) return false;
    removeByKey(this.podsWithAffinity, pi.key);
    removeByKey(this.podsWithRequiredAntiAffinity, pi.key);
    this.account(removed, -1);
    return true;
  }

  /** A copy whose pod lists and sums can change without touching this one (`Snapshot`). */
  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.node = this.node;
    c.labels = this.labels;
    c.taints = this.taints;
    c.unschedulable = this.unschedulable;
    c.allocatable = this.allocatable;
    c.requestedMilliCPU = this.requestedMilliCPU;
    c.requestedMemory = this.requestedMemory;
    c.requestedEphemeralStorage = this.requestedEphemeralStorage;
    c.requestedScalar = this.requestedScalar ? new Map(this.requestedScalar) : undefined;
    c.nonZeroMilliCPU = this.nonZeroMilliCPU;
    c.nonZeroMemory = this.nonZeroMemory;
    c.pods = [...this.pods];
    c.podsWithAffinity = [...this.podsWithAffinity];
    c.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    c.usedPorts = new Map([...this.usedPorts].map(([k, v]) => [k, new Map(v)]));
    c.generation = this.generation;
    return c;
  }

  /** `HostPortInfo.CheckConflict`: 0.0.0.0 conflicts with every address. */
  portConflicts(p: HostPort): boolean {
    const ips = this.usedPorts.get(`${p.protocol}/${p.port}`);
    if (!ips || ips.size === 0) return false;
    if (p.ip === '0.0.0.0') return true;
    return ips.has('0.0.0.0') || ips.has(p.ip);
  }

  private account(pi: PodInfo, sign: 1 | -1): void {
    const r = pi.resources;
    this.requestedMilliCPU += sign * r.milliCPU;
    this.requestedMemory += sign * r.memory;
    this.requestedEphemeralStorage += sign * r.ephemeralStorage;
    if (r.scalar) {
      const s = (this.requestedScalar ??= new Map());
      for (const [k, v] of r.scalar) s.set(k, (s.get(k) ?? 0) + sign * v);
    }
    this.nonZeroMilliCPU += sign * r.nonZeroMilliCPU;
    this.nonZeroMemory += sign * r.nonZeroMemory;
    for (const p of pi.hostPorts) {
      const key = `${p.protocol}/${p.port}`;
      let ips = this.usedPorts.get(key);
      if (!ips) this.usedPorts.set(key, (ips = new Map()));
      const n = (ips.get(p.ip) ?? 0) + sign;
      if (n > 0) ips.set(p.ip, n);
      else ips.delete(p.ip);
      if (ips.size === 0) this.usedPorts.delete(key);
    }
    this.generation = nextGeneration();
  }
}

function removeByKey(list: PodInfo[], key: string): PodInfo | undefined {
  for (let i = 0; i < list.length; i++) {
    if (list[i]!.key === key) {
      const found = list[i]!;
      list[i] = list[list.length - 1]!;
      list.pop();
      return found;
    }
  }
  return undefined;
}
