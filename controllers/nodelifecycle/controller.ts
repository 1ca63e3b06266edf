/**
 * The node lifecycle controller (upstream `pkg/controller/nodelifecycle`, taint-based eviction
 * mode), as a leader-only runnable of the controller-manager.
 *
 * Every `nodeMonitorPeriod` (5 s) it looks at every node (from the shared informers):
 * 1. Health ({@link NodeHealthTracker}): a node silent for longer than the grace period (50 s;
 *    60 s before its first Ready) gets Ready/MemoryPressure/DiskPressure/PIDPressure `Unknown`,
 *    written with an update of its status.
 * 2. NoExecute taints: Ready=False → `node.kubernetes.io/not-ready:NoExecute`, Ready=Unknown →
 *    `node.kubernetes.io/unreachable:NoExecute` — queued per zone and added at the zone's rate
 *    (0.1 node/s; in a partially disrupted zone 0.01 when it has more than 50 nodes, else none;
 *    nothing at all while every zone is fully disrupted). One flips to the other at once; both go
 *    as soon as the node is Ready again.
 * 3. A node whose Ready left True in this pass gets a `NodeNotReady` event and its pods'
 *    Ready condition set False; pods bound later to a not-ready node get the same.
 * 4. Zone states are recomputed and the zone rate limits swapped accordingly.
 * Independently, each node change re-derives its NoSchedule taints from its conditions and
 * `spec.unschedulable` (TaintNodesByCondition) and writes the difference.
 *
 * Deviation from upstream, on purpose: a node that already has the NoExecute taint it needs is
 * not queued again, so it does not spend its zone's tokens every pass.
 */
import {
  createLogger,
  Lease,
  Node,
  Pod,
  RateLimitingQueue,
  type ApiClient,
  type Clock,
  type EventRecorder,
  type Informer,
  type Manager,
  type Runnable,
} from '../../framework/index.js';
import { runLimited } from '../nodes/index.js';
import {
  defaultLargeClusterSizeThreshold,
  defaultNodeEvictionRate,
  defaultNodeMonitorGracePeriodMs,
  defaultNodeMonitorPeriodMs,
  defaultNodeStartupGracePeriodMs,
  defaultSecondaryNodeEvictionRate,
  defaultUnhealthyZoneThreshold,
  excludeDisruptionLabel,
  nodeControllerComponent,
  nodeEvictionPeriodMs,
  nodeLeaseNamespace,
  noScheduleWorkers,
  podUpdateWorkers,
} from './defaults.js';
import { NodeHealthTracker } from './health.js';
import { ensureNodeNameIndex, podsOnNode } from './index-nodename.js';
import {
  conditionTaints,
  hasTaint,
  isConditionTaint,
  notReadyNoExecute,
  readyCondition,
  sameTaint,
  unreachableNoExecute,
  type Taint,
} from './taints.js';
import { markPodNotReady, runQueueWorkers, swapNodeTaints } from './writes.js';
import { computeZoneState, RateLimitedTimedQueue, zoneKey, type ZoneState } from './zones.js';

/**
 * The NoExecute taint a Ready status calls for and its opposite (upstream keeps not-ready and
 * unreachable mutually exclusive): False → not-ready, Unknown → unreachable, otherwise none.
 */
function noExecuteSwapFor(status: string | undefined): [Taint, Taint] | undefined {
  if (status === 'False') return [notReadyNoExecute, unreachableNoExecute];
  if (status === 'Unknown') return [unreachableNoExecute, notReadyNoExecute];
  return undefined;
}

/** `kube-controller-manager` flags of the node lifecycle controller. */
export interface NodeLifecycleOptions {
  nodeMonitorPeriodMs?: number;
  nodeMonitorGracePeriodMs?: number;
  nodeStartupGracePeriodMs?: number;
  nodeEvictionRate?: number;
  secondaryNodeEvictionRate?: number;
  largeClusterSizeThreshold?: number;
  unhealthyZoneThreshold?: number;
}

const log = createLogger({ component: 'node-lifecycle' });
type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

export class NodeLifecycleController implements Runnable {
  readonly needLeaderElection = true;
  private readonly api: ApiClient;
  private readonly clock: Clock;
  private readonly events: EventRecorder;
  private readonly health: NodeHealthTracker;
  private readonly opts: Required<NodeLifecycleOptions>;
  private readonly known = new Set<string>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, RateLimitedTimedQueue>();
  private readonly noSchedule: RateLimitingQueue<string>;
  private readonly podQueue: RateLimitingQueue<string>;
  private nodes!: Informer<Node>;
  private leases!: Informer<Lease>;
  private pods!: Informer<Pod>;
  private taintTimer: { cancel(): void } | undefined;
  private taintTimerAt = Infinity;

  constructor(
    private readonly manager: Manager,
    options: NodeLifecycleOptions = {},
  ) {
    this.api = manager.apiClient;
    this.clock = manager.clock;
    this.events = manager.eventRecorderFor(nodeControllerComponent);
    this.opts = {
      nodeMonitorPeriodMs: options.nodeMonitorPeriodMs ?? defaultNodeMonitorPeriodMs,
      nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs ?? defaultNodeMonitorGracePeriodMs,
      nodeStartupGracePeriodMs: options.nodeStartupGracePeriodMs ?? defaultNodeStartupGracePeriodMs,
      nodeEvictionRate: options.nodeEvictionRate ?? defaultNodeEvictionRate,
      secondaryNodeEvictionRate:
        options.secondaryNodeEvictionRate ?? defaultSecondaryNodeEvictionRate,
      largeClusterSizeThreshold:
        options.largeClusterSizeThreshold ?? defaultLargeClusterSizeThreshold,
      unhealthyZoneThreshold: options.unhealthyZoneThreshold ?? defaultUnhealthyZoneThreshold,
    };
    this.health = new NodeHealthTracker({
      gracePeriodMs: this.opts.nodeMonitorGracePeriodMs,
      startupGracePeriodMs: this.opts.nodeStartupGracePeriodMs,
    });
    this.noSchedule = new RateLimitingQueue<string>({ clock: this.clock });
    this.podQueue = new RateLimitingQueue<string>({ clock: this.clock });
  }

  async start(signal: AbortSignal): Promise<void> {
    const informers = this.manager.informers;
    this.nodes = (await informers.informerFor(Node)) as Informer<Node>;
    this.leases = (await informers.informerFor(Lease, {
      namespace: nodeLeaseNamespace,
    })) as Informer<Lease>;
    this.pods = (await informers.informerFor(Pod)) as Informer<Pod>;
    ensureNodeNameIndex(this.pods);
    const nodeReg = this.nodes.addEventHandler({
      onAdd: (n) => this.noSchedule.add(n.metadata?.name ?? ''),
      onUpdate: (_o, n) => this.noSchedule.add(n.metadata?.name ?? ''),
      onDelete: (n) => this.health.forget(n.metadata?.name ?? ''),
    });
    const podReg = this.pods.addEventHandler({
      onAdd: (p) => this.podAssigned(undefined, p),
      onUpdate: (o, p) => this.podAssigned(o, p),
    });
    await Promise.all([nodeReg.synced(), podReg.synced(), this.leases.synced()]);
    const workers = Promise.all([
      runQueueWorkers(this.noSchedule, noScheduleWorkers, (n) => this.doNoScheduleTaintingPass(n)),
      runQueueWorkers(this.podQueue, podUpdateWorkers, (k) => this.processPod(k)),
    ]);
    try {
      while (!signal.aborted) {
        try {
          await this.monitorNodeHealth();
        } catch (err) {
          log.error({ err: String(err) }, 'error monitoring node health');
        }
        await this.clock.sleep(this.opts.nodeMonitorPeriodMs, signal).catch(() => undefined);
      }
    } finally {
      this.taintTimer?.cancel();
      this.noSchedule.shutDown();
      this.podQueue.shutDown();
      nodeReg.remove();
      podReg.remove();
      await workers;
    }
  }

  /** One monitoring pass over every node (upstream `monitorNodeHealth`). */
  async monitorNodeHealth(): Promise<void> {
    const nodes = this.nodes.store.list();
    const seen = new Set<string>();
    const readyByZone = new Map<string, (string | undefined)[]>();
    for (const cached of nodes) {
      const name = cached.metadata?.name ?? '';
      seen.add(name);
      const zone = zoneKey(cached);
      if (!this.tainters.has(zone)) {
        this.tainters.set(zone, new RateLimitedTimedQueue(this.opts.nodeEvictionRate, this.clock));
        this.zoneStates.set(zone, 'Initial');
      }
      if (!this.known.has(name)) {
        this.known.add(name);
        await this.markNodeAsReachable(cached);
      }
      const checked = await this.updateHealth(cached);
      if (!checked) continue;
      const { node, observedReady, currentReady } = checked;
      if (!(node.metadata?.labels ?? {})[excludeDisruptionLabel]) {
        const list = readyByZone.get(zone) ?? [];
        list.push(currentReady?.status);
        readyByZone.set(zone, list);
      }
      if (!currentReady) continue;
      await this.processTaintBaseEviction(node, observedReady);
      if (currentReady.status !== 'True' && observedReady.status === 'True') {
        void this.events.event(
          node,
          'Normal',
          'NodeNotReady',
          `Node ${name} status is now: NodeNotReady`,
        );
        await this.markPodsNotReady(name);
      }
    }
    for (const name of this.known) if (!seen.has(name)) this.known.delete(name);
    await this.handleDisruption(readyByZone, nodes);
    await this.noExecuteTaintingPass();
  }

  /** Health check with the write it calls for; re-reads the node on a conflict. */
  private async updateHealth(
    cached: Readonly<Node>,
  ): Promise<
    { node: Readonly<Node>; observedReady: NodeCondition; currentReady?: NodeCondition } | undefined
  > {
    let node = cached;
    const name = node.metadata?.name ?? '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const lease = this.leases.store.getByName(nodeLeaseNamespace, name);
      const result = this.health.check(node, lease, this.clock.now());
      if (!result.update) return { node, ...result };
      try {
        node = await this.api.updateStatus<Node>(
          { ...node, status: result.update },
          { kind: Node },
        );
        return { node, ...result };
      } catch (err) {
        log.warn({ node: name, err: String(err) }, 'could not update node health; re-reading it');
        try {
          node = await this.api.get(Node, name);
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  }

  private async processTaintBaseEviction(node: Readonly<Node>, observed: NodeCondition) {
    if (observed.status === 'True') return this.markNodeAsReachable(node);
    const swap = noExecuteSwapFor(observed.status);
    if (!swap) return;
    const [add, opposite] = swap;
    const taints = node.spec?.taints;
    // The opposite taint flips at once; a new taint waits for the zone's rate limit.
    if (hasTaint(taints, opposite)) {
      await swapNodeTaints(this.api, this.clock, node, [add], [opposite]);
    } else if (!hasTaint(taints, add)) {
      this.tainters.get(zoneKey(node))!.add(node.metadata?.name ?? '', node.metadata?.uid ?? '');
    }
  }

  private async markNodeAsReachable(node: Readonly<Node>): Promise<void> {
    this.tainters.get(zoneKey(node))?.remove(node.metadata?.name ?? '');
    const taints = node.spec?.taints ?? [];
    if (!hasTaint(taints, unreachableNoExecute) && !hasTaint(taints, notReadyNoExecute)) return;
    await swapNodeTaints(this.api, this.clock, node, [], [unreachableNoExecute, notReadyNoExecute]);
  }

  /** Upstream `doNoExecuteTaintingPass`: taints queued nodes as each zone's bucket allows. */
  private async noExecuteTaintingPass(): Promise<void> {
    for (const queue of this.tainters.values()) {
      await queue.try(async (name) => {
        const node = this.nodes.store.getByName(undefined, name);
        if (!node) return true;
        const swap = noExecuteSwapFor(readyCondition(node)?.status);
        if (!swap) return true;
        const [add, remove] = swap;
        return (await swapNodeTaints(this.api, this.clock, node, [add], [remove])) ? true : 50;
      });
    }
    this.scheduleTaintingPass();
  }

  private scheduleTaintingPass(): void {
    let wait = Infinity;
    for (const q of this.tainters.values()) wait = Math.min(wait, q.nextTryMs());
    if (!Number.isFinite(wait)) return;
    const at = this.clock.now() + Math.max(wait, nodeEvictionPeriodMs);
    if (at >= this.taintTimerAt) return;
    this.taintTimer?.cancel();
    this.taintTimerAt = at;
    this.taintTimer = this.clock.setTimeout(() => {
      this.taintTimer = undefined;
      this.taintTimerAt = Infinity;
      this.noExecuteTaintingPass().catch((err) =>
        log.error({ err: String(err) }, 'NoExecute tainting pass failed'),
      );
    }, at - this.clock.now());
  }

  /** Upstream `handleDisruption`: zone states and their rate limits. */
  private async handleDisruption(
    readyByZone: Map<string, (string | undefined)[]>,
    nodes: readonly Readonly<Node>[],
  ): Promise<void> {
    const newStates = new Map<string, ZoneState>();
    let allAreFull = true;
    for (const [zone, statuses] of readyByZone) {
      const { state } = computeZoneState(statuses, this.opts.unhealthyZoneThreshold);
      if (state !== 'FullDisruption') allAreFull = false;
      newStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWasFull = true;
    for (const [zone, state] of [...this.zoneStates]) {
      if (!readyByZone.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') allWasFull = false;
    }
    if (allAreFull && allWasFull) return;
    if (allAreFull) {
      log.info('every node is not Ready: entering master disruption mode, evictions stop');
      await runLimited(
        nodes.map((n) => () => this.markNodeAsReachable(n)),
        16,
      );
      for (const zone of this.zoneStates.keys()) {
        this.tainters.get(zone)?.swapLimiter(0);
        this.zoneStates.set(zone, 'FullDisruption');
      }
      return;
    }
    if (allWasFull) {
      log.info('some nodes are Ready: leaving master disruption mode');
      this.health.resetAll(this.clock.now());
    }
    for (const [zone, state] of newStates) {
      if (!allWasFull && this.zoneStates.get(zone) === state) continue;
      this.setLimiterInZone(zone, readyByZone.get(zone)?.length ?? 0, state);
      this.zoneStates.set(zone, state);
    }
  }

  private setLimiterInZone(zone: string, size: number, state: ZoneState): void {
    const queue = this.tainters.get(zone);
    if (!queue) return;
    if (state === 'PartialDisruption') {
      queue.swapLimiter(
        size > this.opts.largeClusterSizeThreshold ? this.opts.secondaryNodeEvictionRate : 0,
      );
    } else queue.swapLimiter(this.opts.nodeEvictionRate);
  }

  private async markPodsNotReady(nodeName: string): Promise<void> {
    const pods = podsOnNode(this.pods, nodeName);
    await runLimited(
      pods.map((pod) => async () => {
        if (await markPodNotReady(this.api, this.clock, pod)) {
          void this.events.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
        }
      }),
      16,
    );
  }

  /** A pod newly bound to a node: mark it not Ready if the node is not (upstream `podUpdated`). */
  private podAssigned(old: Readonly<Pod> | undefined, pod: Readonly<Pod>): void {
    const node = pod.spec?.nodeName;
    if (!node || old?.spec?.nodeName === node) return;
    this.podQueue.add(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
  }

  private async processPod(key: string): Promise<void> {
    const pod = this.pods.store.get(key);
    const node = pod && this.nodes.store.getByName(undefined, pod.spec?.nodeName ?? '');
    if (!pod || !node) return;
    const status = readyCondition(node)?.status;
    if (status === undefined || status === 'True') return;
    if (await markPodNotReady(this.api, this.clock, pod)) {
      void this.events.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
  }

  /** Upstream `doNoScheduleTaintingPass`. */
  private async doNoScheduleTaintingPass(name: string): Promise<void> {
    const node = this.nodes.store.getByName(undefined, name);
    if (!node) return;
    const want = conditionTaints(node);
    const have = (node.spec?.taints ?? []).filter(isConditionTaint);
    const add = want.filter((t) => !have.some((h) => sameTaint(h, t)));
    const remove = have.filter((h) => !want.some((t) => sameTaint(h, t)));
    if (add.length === 0 && remove.length === 0) return;
    if (!(await swapNodeTaints(this.api, this.clock, node, add, remove))) {
      throw new Error(`failed to swap NoSchedule taints of node ${name}`);
    }
  }
}
