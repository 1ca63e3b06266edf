/**
 * The node simulator: any number of simulated kubelets in one process (kwok's model), built only
 * on the framework's public API.
 *
 * - One pod informer for the whole process (`fieldSelector=spec.nodeName!=`, indexed by node
 *   name) and one node informer, however many nodes; one work queue of pod keys served by a few
 *   workers; one heartbeat timer for every Lease and status report ({@link Heartbeats}).
 * - {@link NodeSimulator.start} registers the nodes (at most `registerConcurrency` at a time,
 *   reporting progress), then starts the informers and workers; it resolves once every node is
 *   registered and the caches have synced. Registration failures reject it.
 * - `kuberx.io/simulate` on a Node is applied as soon as the node informer sees it (see
 *   `annotations.ts`); when a stopped kubelet resumes, its Lease and status are written at once
 *   and its pods synced again.
 * - A deleted Node is dropped: its kubelet stops, its pods are left to the pod garbage
 *   collector, as upstream (a restarted simulator registers it again).
 * - {@link NodeSimulator.stop} stops everything it started; Nodes, Leases and pods stay, so a
 *   new simulator over the same nodes carries on.
 */
import {
  createLogger,
  Node,
  Pod,
  RateLimitingQueue,
  realClock,
  SharedIndexInformer,
  type Clock,
} from '../../framework/index.js';
import { parseNodeSimulation } from './annotations.js';
import type { NodeClients } from './clients.js';
import { defaultPodWorkers } from './defaults.js';
import { Heartbeats, runLimited, type HeartbeatOptions } from './heartbeat.js';
import { SimulatedNode } from './kubelet.js';
import type { NodeSpec } from './nodeobject.js';
import { PodWorker } from './podworker.js';

export interface NodeSimulatorOptions {
  clients: NodeClients;
  nodes: readonly NodeSpec[];
  clock?: Clock;
  /** Pod status workers shared by all nodes; default 16. */
  podWorkers?: number;
  /** First container restart back-off; default 10 s. */
  backOffInitialMs?: number;
  /** Heartbeat intervals and batching (defaults: 10 s Lease, 5 min status, 250 ms window). */
  heartbeat?: Omit<HeartbeatOptions, 'clock'>;
  /** Nodes registered at once; default 32. */
  registerConcurrency?: number;
  /** Called after each node is registered. */
  onProgress?(registered: number, total: number): void;
}

const nodeNameIndex = 'spec.nodeName';
const log = createLogger({ component: 'node-simulator' });

export class NodeSimulator {
  readonly nodes = new Map<string, SimulatedNode>();
  readonly clock: Clock;
  private readonly pods: SharedIndexInformer<Pod>;
  private readonly nodeInformer: SharedIndexInformer<Node>;
  private readonly queue: RateLimitingQueue<string>;
  private readonly heartbeats: Heartbeats;
  private readonly worker: PodWorker;
  private workers: Promise<void>[] = [];
  private started = false;

  constructor(private readonly options: NodeSimulatorOptions) {
    this.clock = options.clock ?? realClock;
    const rest = options.clients.reader.rest;
    this.pods = new SharedIndexInformer<Pod>(rest, Pod, {
      fieldSelector: 'spec.nodeName!=',
      clock: this.clock,
      indexers: { [nodeNameIndex]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) },
    });
    this.nodeInformer = new SharedIndexInformer<Node>(rest, Node, { clock: this.clock });
    this.queue = new RateLimitingQueue<string>({ clock: this.clock });
    for (const spec of options.nodes) {
      this.nodes.set(
        spec.name,
        new SimulatedNode(spec, options.clients.clientFor(spec.name), this.clock),
      );
    }
    this.heartbeats = new Heartbeats(
      {
        renewLease: (name) => this.nodes.get(name)!.renewLease(),
        postStatus: (name) => this.nodes.get(name)!.postStatus(),
        paused: (name) => this.nodes.get(name)?.simulation.failed ?? true,
      },
      { ...options.heartbeat, clock: this.clock },
    );
    this.worker = new PodWorker({
      clock: this.clock,
      backOffInitialMs: options.backOffInitialMs,
      pod: (key) => this.pods.store.get(key),
      node: (name) => this.nodes.get(name),
      podIPsOnNode: (name) => {
        const ips = new Set<string>();
        for (const p of this.pods.store.byIndex(nodeNameIndex, name)) {
          const phase = p.status?.phase;
          if (p.status?.podIP && phase !== 'Succeeded' && phase !== 'Failed')
            ips.add(p.status.podIP);
        }
        return ips;
      },
    });
  }

  /** Registers every node, then runs informers, workers and heartbeats. */
  async start(): Promise<void> {
    if (this.started) throw new Error('the node simulator is already started');
    this.started = true;
    let registered = 0;
    const total = this.nodes.size;
    await runLimited(
      [...this.nodes.values()].map((node) => async () => {
        await node.register();
        this.heartbeats.add(node.name);
        this.options.onProgress?.(++registered, total);
      }),
      this.options.registerConcurrency ?? 32,
    );
    this.nodeInformer.addEventHandler({
      onAdd: (n) => this.nodeChanged(n),
      onUpdate: (_old, n) => this.nodeChanged(n),
      onDelete: (n) => this.nodeDeleted(n),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podChanged(p),
      onUpdate: (_old, p) => this.podChanged(p),
      onDelete: (p) => {
        if (p.metadata?.uid) this.worker.forgetUid(p.metadata.uid);
        this.podChanged(p);
      },
    });
    this.nodeInformer.start();
    this.pods.start();
    await Promise.all([this.nodeInformer.synced(), this.pods.synced()]);
    const count = this.options.podWorkers ?? defaultPodWorkers;
    this.workers = Array.from({ length: count }, () => this.work());
  }

  /** Stops heartbeats, workers and informers (Nodes, Leases and pods stay). */
  async stop(): Promise<void> {
    this.heartbeats.stop();
    this.queue.shutDown();
    this.pods.stop();
    this.nodeInformer.stop();
    await Promise.all(this.workers);
    this.workers = [];
  }

  /** Pods waiting to be synced plus pods being synced (0 when idle). */
  pendingPods(): number {
    return this.queue.len();
  }

  /** Pods this process runs (has a runtime for). */
  runningPods(): number {
    return this.worker.size;
  }

  private podChanged(pod: Readonly<Pod>): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || !this.nodes.has(nodeName)) return;
    this.queue.add(`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`);
  }

  private nodeChanged(node: Readonly<Node>): void {
    const ours = this.nodes.get(node.metadata?.name ?? '');
    if (!ours || ours.deleted) return;
    const { simulation, unknown } = parseNodeSimulation(node.metadata?.annotations);
    if (unknown.length) {
      log.warn({ node: ours.name, unknown }, 'ignoring unknown kuberx.io/simulate values');
    }
    const { changed, resumed } = ours.setSimulation(simulation);
    if (resumed) {
      this.heartbeats.resume(ours.name);
      for (const p of this.pods.store.byIndex(nodeNameIndex, ours.name)) this.podChanged(p);
    } else if (changed || ours.statusDiffers(node)) this.heartbeats.statusChanged(ours.name);
  }

  private nodeDeleted(node: Readonly<Node>): void {
    const ours = this.nodes.get(node.metadata?.name ?? '');
    if (!ours || ours.uid !== node.metadata?.uid) return;
    ours.deleted = true;
    this.heartbeats.remove(ours.name);
    log.info({ node: ours.name }, 'node deleted: its kubelet stops');
  }

  private async work(): Promise<void> {
    for (;;) {
      const { item, shutdown } = await this.queue.get();
      if (shutdown) return;
      try {
        const again = await this.worker.sync(item);
        this.queue.forget(item);
        if (again !== undefined) this.queue.addAfter(item, again);
      } catch (err) {
        log.warn({ pod: item, err: String(err) }, 'pod sync failed; retrying');
        this.queue.addRateLimited(item);
      } finally {
        this.queue.done(item);
      }
    }
  }
}
