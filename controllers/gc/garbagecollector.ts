/**
 * The garbage collector (upstream `pkg/controller/garbagecollector`): metadata-only monitors on
 * every resource that supports delete, list and watch (built-in and custom, found by discovery
 * and re-discovered every 30 s), one dependency graph fed by them (`graphbuilder.ts`), and two
 * work queues — attemptToDelete and attemptToOrphan — drained by `--concurrent-gc-syncs` workers
 * each (`collector.ts`).
 *
 * - Start: monitors are started, the GC waits (at most `monitorSyncTimeoutMs`) for them to list,
 *   then starts its workers. Resources that appear later get monitors at the next discovery;
 *   monitors of resources that disappeared are stopped.
 * - Failures are retried with the controller rate limiter (5 ms → 1000 s per item); virtual
 *   owners are re-verified until observed.
 * - It runs only on the leader, and stops when the manager stops.
 */
import {
  createLogger,
  defaultControllerRateLimiter,
  RateLimitingQueue,
  realClock,
  SharedIndexInformer,
  type Clock,
  type EventRecorder,
  type Kind,
  type Manager,
  type OwnerReference,
  type Runnable,
} from '../../framework/index.js';
import type { ControllerContext, ControllerDescriptor } from '../registry.js';
import { Collector, type Outcome } from './collector.js';
import {
  defaultDiscoveryResyncMs,
  defaultGCWorkers,
  defaultMonitorSyncTimeoutMs,
  ignoredResources,
} from './defaults.js';
import { resourceKey, serverPreferredResources, supportsVerbs } from './discovery.js';
import type { GraphNode } from './graph.js';
import { identityString } from './graph.js';
import { GraphBuilder, type ObservedObject } from './graphbuilder.js';
import { Operations } from './operations.js';

const log = createLogger({ component: 'garbagecollector' });

export interface GarbageCollectorOptions {
  workers?: number;
  clock?: Clock;
  discoveryResyncMs?: number;
  monitorSyncTimeoutMs?: number;
}

interface Monitor {
  kind: Kind;
  informer: SharedIndexInformer;
  remove(): void;
}

export class GarbageCollector implements Runnable {
  readonly needLeaderElection = true;
  readonly attemptToDelete: RateLimitingQueue<GraphNode>;
  readonly attemptToOrphan: RateLimitingQueue<GraphNode>;
  readonly graph: GraphBuilder;
  private readonly collector: Collector;
  private readonly monitors = new Map<string, Monitor>();
  private readonly clock: Clock;
  private readonly workers: number;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly manager: Manager,
    private readonly options: GarbageCollectorOptions = {},
  ) {
    this.clock = options.clock ?? manager.clock ?? realClock;
    this.workers = options.workers ?? defaultGCWorkers;
    const queue = (name: string) =>
      new RateLimitingQueue<GraphNode>({
        name,
        clock: this.clock,
        rateLimiter: defaultControllerRateLimiter<GraphNode>(this.clock),
        metricsProvider: manager.metrics.workqueue,
      });
    this.attemptToDelete = queue('garbage_collector_attempt_to_delete');
    this.attemptToOrphan = queue('garbage_collector_attempt_to_orphan');
    this.recorder = manager.eventRecorderFor('garbage-collector-controller');
    this.graph = new GraphBuilder({
      attemptToDelete: this.attemptToDelete,
      attemptToOrphan: this.attemptToOrphan,
      reportInvalidNamespaceOwnerRef: (dep, uid) => {
        const ref = dep.owners.find((o) => o.uid === uid);
        if (ref) this.reportInvalidNamespace(dep, ref);
      },
    });
    this.collector = new Collector(this.graph, new Operations(manager.apiClient), {
      invalidNamespaceOwnerRef: (dep, ref) => this.reportInvalidNamespace(dep, ref),
      error: (node, err) =>
        log.info({ item: identityString(node.identity), err: String(err) }, 'error syncing item'),
    });
    this.collector.queueDelete = (n) => this.attemptToDelete.add(n);
  }

  /** Upstream `reportInvalidNamespaceOwnerRef`: a Warning event on the dependent. */
  private reportInvalidNamespace(dep: GraphNode, ref: OwnerReference): void {
    const id = dep.identity;
    const owner = `[${ref.apiVersion}/${ref.kind}, namespace: ${id.namespace}, name: ${ref.name}, uid: ${ref.uid}]`;
    void this.recorder.event(
      {
        apiVersion: id.apiVersion,
        kind: id.kind,
        metadata: { name: id.name, namespace: id.namespace || undefined, uid: id.uid },
      },
      'Warning',
      'OwnerRefInvalidNamespace',
      `ownerRef ${owner} does not exist in namespace "${id.namespace}"`,
    );
  }

  /** Runs until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    try {
      await this.resyncMonitors();
      await this.waitForMonitors(signal);
      if (signal.aborted) return;
      log.info({ monitors: this.monitors.size, workers: this.workers }, 'garbage collector synced');
      const loops: Promise<void>[] = [];
      for (let i = 0; i < this.workers; i++) {
        loops.push(this.worker(this.attemptToDelete, (n) => this.collector.attemptToDelete(n)));
        loops.push(this.worker(this.attemptToOrphan, (n) => this.collector.attemptToOrphan(n)));
      }
      const discovery = this.discoveryLoop(signal);
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      this.attemptToDelete.shutDown();
      this.attemptToOrphan.shutDown();
      await Promise.all([...loops, discovery]);
    } finally {
      this.attemptToDelete.shutDown();
      this.attemptToOrphan.shutDown();
      for (const m of this.monitors.values()) m.remove();
      this.monitors.clear();
    }
  }

  /** True once every monitor has listed (upstream `IsSynced`). */
  isSynced(): boolean {
    return [...this.monitors.values()].every((m) => m.informer.hasSynced());
  }

  /** Names (`group/resource`) of the resources monitored. */
  monitoredResources(): string[] {
    return [...this.monitors.keys()].sort();
  }

  /**
   * Discovers deletable resources and adds/removes monitors to match (upstream `resyncMonitors`).
   * Discovery failures of single groups keep those groups' monitors as they are.
   */
  async resyncMonitors(): Promise<void> {
    const discovery = await serverPreferredResources(this.manager.rest);
    const wanted = new Map<string, Kind>();
    for (const r of discovery.resources) {
      if (!supportsVerbs(r, ['delete', 'list', 'watch'])) continue;
      const key = resourceKey(r.kind);
      if (ignoredResources.has(key)) continue;
      wanted.set(key, r.kind);
    }
    const failedGroups = new Set(
      [...discovery.failedGroups.keys()].map((gv) => (gv.includes('/') ? gv.split('/')[0]! : '')),
    );
    for (const [key, monitor] of this.monitors) {
      const existing = wanted.get(key);
      const sameVersion = existing && existing.version === monitor.kind.version;
      if (sameVersion || failedGroups.has(monitor.kind.group)) continue;
      monitor.remove();
      this.monitors.delete(key);
    }
    for (const [key, kind] of wanted) {
      if (!this.monitors.has(key)) this.monitors.set(key, this.startMonitor(kind));
    }
    if (discovery.failedGroups.size > 0) {
      log.warn({ groups: [...discovery.failedGroups.keys()] }, 'failed to discover some groups');
    }
  }

  private startMonitor(kind: Kind): Monitor {
    const informer = new SharedIndexInformer(this.manager.rest, kind, {
      metadataOnly: true,
      clock: this.clock,
    });
    const gvk = {
      apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
      kind: kind.kind,
    };
    const registration = informer.addEventHandler({
      onAdd: (obj) => this.graph.observe(gvk, obj as ObservedObject),
      onUpdate: (old, obj) => this.graph.observe(gvk, obj as ObservedObject, old as ObservedObject),
      onDelete: (obj) => this.graph.observeDelete(gvk, obj as ObservedObject),
    });
    informer.start();
    return {
      kind,
      informer,
      remove: () => {
        registration.remove();
        informer.stop();
      },
    };
  }

  private async waitForMonitors(signal: AbortSignal): Promise<void> {
    const timeoutMs = this.options.monitorSyncTimeoutMs ?? defaultMonitorSyncTimeoutMs;
    let timer: { cancel(): void } | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = this.clock.setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const aborted = new Promise<'aborted'>((resolve) =>
      signal.addEventListener('abort', () => resolve('aborted'), { once: true }),
    );
    const synced = Promise.all([...this.monitors.values()].map((m) => m.informer.synced())).then(
      () => 'synced' as const,
    );
    const result = await Promise.race([synced, timeout, aborted]);
    timer?.cancel();
    if (result === 'timeout') {
      const unsynced = [...this.monitors.entries()]
        .filter(([, m]) => !m.informer.hasSynced())
        .map(([k]) => k);
      log.warn({ unsynced }, 'timed out waiting for dependency graph builder sync; proceeding');
    }
  }

  private async discoveryLoop(signal: AbortSignal): Promise<void> {
    const period = this.options.discoveryResyncMs ?? defaultDiscoveryResyncMs;
    while (!signal.aborted) {
      try {
        await this.clock.sleep(period, signal);
      } catch {
        return;
      }
      try {
        await this.resyncMonitors();
      } catch (err) {
        log.warn({ err: String(err) }, 'failed to discover resources');
      }
    }
  }

  private async worker(
    queue: RateLimitingQueue<GraphNode>,
    process: (n: GraphNode) => Promise<Outcome>,
  ): Promise<void> {
    for (;;) {
      const next = await queue.get();
      if (next.shutdown) return;
      try {
        const outcome = await process(next.item);
        if (outcome === 'requeue') queue.addRateLimited(next.item);
        else queue.forget(next.item);
      } finally {
        queue.done(next.item);
      }
    }
  }
}

/** Registers the garbage collector with `context.manager`. */
export function registerGarbageCollector(
  context: ControllerContext,
  options: Omit<GarbageCollectorOptions, 'workers'> = {},
): GarbageCollector {
  const gc = new GarbageCollector(context.manager, {
    clock: context.settings.clock,
    ...options,
    workers: context.concurrency,
  });
  context.manager.add(gc);
  return gc;
}

export const garbageCollectorController: ControllerDescriptor = {
  name: 'garbagecollector',
  aliases: ['garbage-collector-controller'],
  concurrencyFlag: 'concurrent-gc-syncs',
  defaultConcurrency: defaultGCWorkers,
  register: (context) => void registerGarbageCollector(context),
};
