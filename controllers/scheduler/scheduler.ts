/**
 * The scheduler (upstream `pkg/scheduler` `Scheduler` and `schedule_one.go`): takes pending pods
 * from the queue one at a time, runs the default profile's plugins, assumes the chosen node in the
 * cache, and binds asynchronously, so the next pod is scheduled without waiting for the bind.
 *
 * Contract:
 * - Only pods whose `spec.schedulerName` is this scheduler's name (default `default-scheduler`)
 *   are scheduled; pods of every scheduler count in the cache once bound.
 * - Success: the pod is bound (`pods/binding`) and a `Scheduled` event says `Successfully
 *   assigned <ns>/<name> to <node>`.
 * - Failure: a `FailedScheduling` warning event and the condition `PodScheduled=False` with reason
 *   `Unschedulable` (no node fits; the message is the fit error) or `SchedulerError`; the pod
 *   goes back to the queue (see `queue/scheduling-queue.ts`). A failed bind forgets the assumed
 *   pod and retries with backoff.
 * - Cluster changes arrive through {@link Scheduler.handlers} (informers call them; tests and
 *   benchmarks may call them directly). The scheduler keeps no reference to the objects it is given
 *   beyond its cache and never mutates them.
 * - {@link Scheduler.run} resolves after its signal aborts and in-flight bindings, evictions and
 *   writes have finished.
 */
import { createLogger, realClock, type Clock } from '../../common/index.js';
import { Algorithm } from './algorithm.js';
import { SchedulerCache } from './cache/cache.js';
import type { SchedulerClient } from './client.js';
import { defaultMaxInFlightBindings, defaultSchedulerName } from './defaults.js';
import { EventHandlers } from './eventhandlers.js';
import { errNoNodesAvailable, truncateMessage, type FitError } from './fiterror.js';
import { CycleState } from './framework/cyclestate.js';
import { Framework } from './framework/runtime.js';
import { asErrorStatus, Code, Status, unresolvable } from './framework/status.js';
import { StaticListers, type ClusterListers } from './listers.js';
import { noopSchedulerMetrics, type MetricSources, type SchedulerMetrics } from './metrics.js';
import type { DefaultPreemption } from './plugins/defaultpreemption/index.js';
import { defaultProfile } from './plugins/registry.js';
import type { PodInfo } from './podinfo.js';
import { assignedPodDelete } from './queue/events.js';
import type { NominatingInfo } from './queue/nominator.js';
import { SchedulingQueue, type QueuedPodInfo } from './queue/scheduling-queue.js';

export interface SchedulerOptions {
  /** Where bindings, status patches, events and evictions go. */
  client: SchedulerClient;
  /** Namespaces, Services, controllers and PDBs. Default: empty static listers. */
  listers?: ClusterListers;
  clock?: Clock;
  /** Default `default-scheduler`. */
  schedulerName?: string;
  /** 0 (default) = adaptive. */
  percentageOfNodesToScore?: number;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
  /** Randomness for tie-breaking and preemption offsets. */
  random?: () => number;
  /** Metrics, or a factory given the gauges' sources. Default: none. */
  metrics?: SchedulerMetrics | ((sources: MetricSources) => SchedulerMetrics);
  /** Bindings in flight at once (default 256). */
  maxInFlightBindings?: number;
  /** Called after each successful binding. */
  onBound?(pod: PodInfo, node: string): void;
}

const log = createLogger({ component: 'scheduler' });

/** Pods scheduled between two yields to the event loop. */
const podsPerTurn = 16;

export class Scheduler {
  readonly schedulerName: string;
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  readonly handlers: EventHandlers;
  readonly metrics: SchedulerMetrics;
  private readonly pending = new Map<string, PodInfo>();
  private readonly algorithm: Algorithm;
  private readonly preemption: DefaultPreemption;
  private readonly clock: Clock;
  private readonly client: SchedulerClient;
  private readonly bindings = new Set<Promise<void>>();
  private readonly maxInFlight: number;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? realClock;
    this.client = options.client;
    this.schedulerName = options.schedulerName ?? defaultSchedulerName;
    this.maxInFlight = options.maxInFlightBindings ?? defaultMaxInFlightBindings;
    this.cache = new SchedulerCache(options.listers ?? new StaticListers());
    const sources: MetricSources = {
      pending: () => this.queue.pendingCounts(),
      cacheSize: () => ({ nodes: this.cache.nodeCount, pods: this.cache.podCount }),
    };
    this.metrics =
      typeof options.metrics === 'function'
        ? options.metrics(sources)
        : (options.metrics ?? noopSchedulerMetrics);
    this.queue = new SchedulingQueue({
      clock: this.clock,
      podInitialBackoffMs: options.podInitialBackoffMs,
      podMaxBackoffMs: options.podMaxBackoffMs,
      podMaxInUnschedulablePodsDurationMs: options.podMaxInUnschedulablePodsDurationMs,
      // The framework is built below; the queue only calls this once pods arrive.
      preEnqueue: (pod) => this.framework.runPreEnqueue(pod),
      onIncoming: (queue, event) => this.metrics.incoming(queue, event),
    });
    const profile = defaultProfile(this.cache, {
      nominator: this.queue.nominator,
      client: this.client,
      activate: (key) => this.queue.activate([key]),
      now: () => this.clock.now(),
      random: options.random,
      schedulerName: this.schedulerName,
      onVictims: (n) => this.metrics.preemptionVictims(n),
      onAttempt: () => this.metrics.preemptionAttempt(),
      onError: (err, victim) =>
        log.warn({ err: String(err), victim: `${victim.namespace}/${victim.name}` }, 'preemption'),
    });
    const fw = new Framework(profile.plugins, profile.weights, this.cache, this.queue.nominator);
    profile.preemption.framework = fw;
    this.framework = fw;
    this.preemption = profile.preemption;
    this.queue.setPluginEvents(fw.pluginEvents());
    this.algorithm = new Algorithm(this.cache, fw, {
      percentageOfNodesToScore: options.percentageOfNodesToScore,
      random: options.random,
    });
    this.handlers = new EventHandlers({
      cache: this.cache,
      queue: this.queue,
      pending: this.pending,
      schedulerName: this.schedulerName,
    });
  }

  /**
   * Schedules until `signal` aborts (or {@link Scheduler.stop}), then waits for in-flight
   * bindings, evictions and writes.
   */
  async run(signal?: AbortSignal): Promise<void> {
    this.queue.run();
    const onAbort = () => this.queue.close();
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let turn = 0;
    try {
      for (;;) {
        while (this.bindings.size >= this.maxInFlight) await Promise.race(this.bindings);
        const qpi = await this.queue.pop();
        if (!qpi) break;
        this.scheduleOneSafely(qpi);
        if (++turn >= podsPerTurn) {
          turn = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await Promise.allSettled([...this.bindings]);
      await this.preemption.drain();
      await this.client.flush();
    }
  }

  /** Stops {@link Scheduler.run}. */
  stop(): void {
    this.queue.close();
  }

  /** Resolves when no binding is in flight. */
  async bindingsSettled(): Promise<void> {
    while (this.bindings.size > 0) await Promise.allSettled([...this.bindings]);
  }

  /** {@link scheduleOne}, turning a bug into a retried SchedulerError instead of a crash. */
  private scheduleOneSafely(qpi: QueuedPodInfo): void {
    try {
      this.scheduleOne(qpi);
    } catch (err) {
      const pod = `${qpi.podInfo.namespace}/${qpi.podInfo.name}`;
      log.error({ err: String(err), pod }, 'scheduling cycle failed');
      try {
        const clear: NominatingInfo = { mode: 'override', nominatedNodeName: '' };
        this.failure(qpi, asErrorStatus(err), undefined, clear, this.clock.now(), this.queue.cycle);
      } catch {
        this.queue.done(qpi.podInfo.key);
      }
    }
  }

  /** One scheduling cycle for a popped pod (`ScheduleOne`); binding continues asynchronously. */
  scheduleOne(qpi: QueuedPodInfo): void {
    const pod = qpi.podInfo;
    if (pod.deleting) {
      this.client.event(
        pod,
        'Warning',
        'FailedScheduling',
        `skip schedule deleting pod: ${pod.namespace}/${pod.name}`,
      );
      this.queue.done(pod.key);
      return;
    }
    if (this.cache.isAssumed(pod.key)) {
      this.queue.done(pod.key);
      return;
    }
    const start = this.clock.now();
    const cycle = this.queue.cycle;
    const state = new CycleState();
    const clear: NominatingInfo = { mode: 'override', nominatedNodeName: '' };
    const outcome = this.algorithm.schedulePod(state, pod);
    switch (outcome.kind) {
      case 'scheduled':
        this.assumeAndBind(qpi, outcome.host, start);
        return;
      case 'noNodes':
        this.failure(qpi, unresolvable(errNoNodesAvailable), undefined, clear, start, cycle);
        return;
      case 'error':
        this.failure(qpi, outcome.status, undefined, clear, start, cycle);
        return;
      case 'unschedulable': {
        const fitError = outcome.fitError;
        const post = this.framework.runPostFilter(state, pod, fitError.diagnosis.nodeToStatus);
        fitError.diagnosis.postFilterMsg = post.status?.message() ?? '';
        if (post.status?.code === Code.Error) {
          log.error(
            { pod: `${pod.namespace}/${pod.name}`, status: fitError.diagnosis.postFilterMsg },
            'PostFilter failed',
          );
        }
        const nominating: NominatingInfo | undefined = post.result
          ? { mode: 'override', nominatedNodeName: post.result.nominatedNodeName }
          : undefined;
        const status = new Status(Code.Unschedulable, [fitError.message]);
        this.failure(qpi, status, fitError, nominating, start, cycle);
      }
    }
  }

  private assumeAndBind(qpi: QueuedPodInfo, host: string, start: number): void {
    const pod = qpi.podInfo;
    const assumed = pod.withNodeName(host);
    const cycle = this.queue.cycle;
    try {
      this.cache.assumePod(assumed);
    } catch (err) {
      const clear: NominatingInfo = { mode: 'override', nominatedNodeName: '' };
      this.failure(qpi, asErrorStatus(err), undefined, clear, start, cycle);
      return;
    }
    this.queue.nominator.delete(pod);
    const binding: Promise<void> = this.client
      .bind(assumed, host)
      .then(
        () => {
          this.cache.finishBinding(pod.key);
          this.queue.done(pod.key);
          const now = this.clock.now();
          this.metrics.attempt('scheduled', (now - start) / 1000);
          this.metrics.podScheduled(
            qpi.attempts,
            (now - (qpi.initialAttemptTimestamp ?? start)) / 1000,
          );
          this.client.event(
            assumed,
            'Normal',
            'Scheduled',
            `Successfully assigned ${pod.namespace}/${pod.name} to ${host}`,
          );
          this.options.onBound?.(assumed, host);
        },
        (err: unknown) => {
          this.cache.forgetPod(pod.key);
          this.queue.moveAllToActiveOrBackoffQueue(assignedPodDelete, (p) => p.key !== pod.key);
          const clear: NominatingInfo = { mode: 'override', nominatedNodeName: '' };
          this.failure(qpi, asErrorStatus(err), undefined, clear, start, cycle);
        },
      )
      .catch((err: unknown) => log.error({ err: String(err) }, 'binding cycle failed'))
      .finally(() => this.bindings.delete(binding));
    this.bindings.add(binding);
  }

  /** `handleSchedulingFailure`. */
  private failure(
    qpi: QueuedPodInfo,
    status: Status,
    fitError: FitError | undefined,
    nominating: NominatingInfo | undefined,
    start: number,
    cycle: number,
  ): void {
    const pod = qpi.podInfo;
    const rejected = status.isRejected();
    this.metrics.attempt(rejected ? 'unschedulable' : 'error', (this.clock.now() - start) / 1000);
    qpi.unschedulablePlugins = new Set(fitError?.diagnosis.unschedulablePlugins ?? []);
    const current = this.pending.get(pod.key);
    if (current && !current.nodeName) {
      qpi.podInfo = current;
      this.queue.addUnschedulableIfNotPresent(qpi, cycle);
    } else {
      this.queue.done(pod.key);
    }
    this.queue.nominate(qpi.podInfo, nominating);
    const message = status.message();
    if (!rejected) {
      log.warn(
        { pod: `${pod.namespace}/${pod.name}`, err: message },
        'Error scheduling pod; retrying',
      );
    }
    this.client.event(qpi.podInfo, 'Warning', 'FailedScheduling', truncateMessage(message));
    this.updatePodStatus(
      qpi.podInfo,
      rejected ? 'Unschedulable' : 'SchedulerError',
      message,
      nominating,
    );
  }

  /** `updatePod`: patches PodScheduled and the nomination when they change. */
  private updatePodStatus(
    pod: PodInfo,
    reason: string,
    message: string,
    nominating: NominatingInfo | undefined,
  ): void {
    const old = (pod.pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    const now = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const conditionChanged =
      !old || old.status !== 'False' || old.reason !== reason || old.message !== message;
    const nominationChanged =
      nominating?.mode === 'override' &&
      (pod.pod.status?.nominatedNodeName ?? '') !== nominating.nominatedNodeName;
    if (!conditionChanged && !nominationChanged) return;
    void this.client.patchPodStatus(pod, {
      condition: conditionChanged
        ? {
            type: 'PodScheduled',
            status: 'False',
            reason,
            message,
            lastProbeTime: null,
            lastTransitionTime:
              old && old.status === 'False' && old.lastTransitionTime
                ? old.lastTransitionTime
                : now,
          }
        : undefined,
      nominatedNodeName: nominationChanged ? nominating.nominatedNodeName : undefined,
    });
  }
}
