/**
 * The scheduling queue (upstream `internal/queue.PriorityQueue`): three places a pending pod can
 * wait, with upstream's rules for moving between them.
 *
 * - **activeQ**: pods to try now, highest `spec.priority` first, then the oldest enqueue time
 *   (PrioritySort). {@link SchedulingQueue.pop} takes from here.
 * - **backoffQ**: pods that failed and wait out their backoff: 1 s after the first attempt,
 *   doubling per attempt, at most 10 s. Flushed to activeQ every second.
 * - **unschedulablePods**: pods no node could take. They move back (to backoffQ while their
 *   backoff lasts, else activeQ) when a cluster event one of their rejecting plugins registered
 *   happens, or after 5 minutes at the latest (checked every 30 s). Pods a PreEnqueue plugin
 *   rejects (scheduling gates) wait here as "gated" until an update lets them in.
 *
 * A pod that fails while a move request arrived during its attempt goes to backoffQ rather than
 * unschedulablePods, so an event that happened mid-attempt is not lost. Timers run on the
 * injected clock; the queue does no I/O and never throws on unknown pods.
 */
import { realClock, type Clock, type Timer } from '../../../common/index.js';
import {
  backoffFlushIntervalMs,
  defaultPodInitialBackoffMs,
  defaultPodMaxBackoffMs,
  defaultPodMaxInUnschedulablePodsDurationMs,
  unschedulableFlushIntervalMs,
} from '../defaults.js';
import type { Status } from '../framework/status.js';
import type { PodInfo } from '../podinfo.js';
import { KeyedHeap } from './heap.js';
import { eventLabel, eventMatches, unschedulableTimeout, type ClusterEvent } from './events.js';
import { Nominator, type NominatingInfo } from './nominator.js';
import { isPodUpdated } from './podupdate.js';

/** A pod in the queue (upstream `QueuedPodInfo`). */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When it last entered the queue (ms); orders activeQ and starts the backoff. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When it was first popped (ms). */
  initialAttemptTimestamp: number | undefined;
  /** Plugins that rejected it in its last attempt. */
  unschedulablePlugins: Set<string>;
  /** Rejected by a PreEnqueue plugin (e.g. scheduling gates). */
  gated: boolean;
}

export type QueueName = 'active' | 'backoff' | 'unschedulable' | 'gated';

export interface SchedulingQueueOptions {
  clock?: Clock;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
  /** The first PreEnqueue rejection of a pod, with the rejecting plugin in `status.plugin`. */
  preEnqueue?: (pod: PodInfo) => Status | undefined;
  /** The events each plugin registered. */
  pluginEvents?: ReadonlyMap<string, readonly ClusterEvent[]>;
  /** Told of every pod entering a queue, with the reason (metrics). */
  onIncoming?: (queue: QueueName, event: string) => void;
}

export class SchedulingQueue {
  readonly nominator = new Nominator();
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly activeQ: KeyedHeap<QueuedPodInfo>;
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Set<string>();
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private waiters: Array<(p: QueuedPodInfo | undefined) => void> = [];
  private timers: Timer[] = [];
  private closed = false;
  private pluginEvents: ReadonlyMap<string, readonly ClusterEvent[]>;

  constructor(private readonly options: SchedulingQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.initialBackoffMs = options.podInitialBackoffMs ?? defaultPodInitialBackoffMs;
    this.maxBackoffMs = options.podMaxBackoffMs ?? defaultPodMaxBackoffMs;
    this.maxUnschedulableMs =
      options.podMaxInUnschedulablePodsDurationMs ?? defaultPodMaxInUnschedulablePodsDurationMs;
    const key = (q: QueuedPodInfo) => q.podInfo.key;
    this.activeQ = new KeyedHeap(key, (a, b) => {
      const pa = a.podInfo.priority;
      const pb = b.podInfo.priority;
      return pa > pb || (pa === pb && a.timestamp < b.timestamp);
    });
    this.backoffQ = new KeyedHeap(key, (a, b) => this.backoffTime(a) < this.backoffTime(b));
    this.pluginEvents = options.pluginEvents ?? new Map();
  }

  /** Sets the events each plugin registered (the framework exists after the queue). */
  setPluginEvents(events: ReadonlyMap<string, readonly ClusterEvent[]>): void {
    this.pluginEvents = events;
  }

  /** Starts the flush timers (backoffQ every 1 s, unschedulable pods every 30 s). */
  run(): void {
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (this.closed) return;
        fn();
        this.timers.push(this.clock.setTimeout(tick, ms));
      };
      this.timers.push(this.clock.setTimeout(tick, ms));
    };
    every(backoffFlushIntervalMs, () => this.flushBackoffQCompleted());
    every(unschedulableFlushIntervalMs, () => this.flushUnschedulablePodsLeftover());
  }

  /** Stops the timers and wakes every waiting `pop` with undefined. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** Number of scheduling attempts started so far (upstream `SchedulingCycle`). */
  get cycle(): number {
    return this.schedulingCycle;
  }

  /** A new pending pod (`Add`). */
  add(pi: PodInfo): void {
    const qpi = this.newQueued(pi);
    this.unschedulable.delete(pi.key);
    this.backoffQ.delete(pi.key);
    this.moveToActiveQ(qpi, 'PodAdd');
    this.nominator.add(pi);
  }

  /** A pending pod changed (`Update`). */
  update(old: PodInfo, updated: PodInfo): void {
    const key = updated.key;
    const inActive = this.activeQ.get(key);
    if (inActive) {
      inActive.podInfo = updated;
      this.activeQ.addOrUpdate(inActive);
      this.nominator.update(old, updated);
      return;
    }
    const inBackoff = this.backoffQ.get(key);
    if (inBackoff) {
      inBackoff.podInfo = updated;
      this.backoffQ.addOrUpdate(inBackoff);
      this.nominator.update(old, updated);
      return;
    }
    const waiting = this.unschedulable.get(key);
    if (waiting) {
      waiting.podInfo = updated;
      this.nominator.update(old, updated);
      if (isPodUpdated(old.pod, updated.pod)) {
        if (this.isBackingOff(waiting)) {
          this.unschedulable.delete(key);
          this.backoffQ.addOrUpdate(waiting);
          this.options.onIncoming?.('backoff', 'PodUpdate');
        } else {
          this.unschedulable.delete(key);
          this.moveToActiveQ(waiting, 'PodUpdate');
        }
      }
      return;
    }
    if (this.inFlight.has(key)) {
      this.nominator.update(old, updated);
      return;
    }
    this.moveToActiveQ(this.newQueued(updated), 'PodUpdate');
    this.nominator.update(old, updated);
  }

  /** A pending pod was deleted or bound by someone else (`Delete`). */
  delete(pi: PodInfo): void {
    this.nominator.delete(pi);
    this.activeQ.delete(pi.key);
    this.backoffQ.delete(pi.key);
    this.unschedulable.delete(pi.key);
  }

  /** Waits for a pod in activeQ; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const p = this.tryPop();
    if (p || this.closed) return Promise.resolve(p);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next pod in activeQ, if any (no waiting). */
  tryPop(): QueuedPodInfo | undefined {
    const qpi = this.activeQ.pop();
    if (!qpi) return undefined;
    qpi.attempts++;
    qpi.initialAttemptTimestamp ??= this.clock.now();
    this.schedulingCycle++;
    this.inFlight.add(qpi.podInfo.key);
    return qpi;
  }

  /** The attempt for `key` ended without requeueing the pod (bound, deleted, skipped). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * A failed pod goes back (`AddUnschedulableIfNotPresent`): to backoffQ when a move request
   * arrived since its attempt started or nothing in particular rejected it, else to
   * unschedulablePods.
   */
  addUnschedulableIfNotPresent(qpi: QueuedPodInfo, podSchedulingCycle: number): void {
    const key = qpi.podInfo.key;
    this.inFlight.delete(key);
    if (this.unschedulable.has(key) || this.activeQ.has(key) || this.backoffQ.has(key)) return;
    qpi.timestamp = this.clock.now();
    qpi.gated = false;
    if (this.moveRequestCycle >= podSchedulingCycle || qpi.unschedulablePlugins.size === 0) {
      this.backoffQ.addOrUpdate(qpi);
      this.options.onIncoming?.('backoff', 'ScheduleAttemptFailure');
    } else {
      this.unschedulable.set(key, qpi);
      this.options.onIncoming?.('unschedulable', 'ScheduleAttemptFailure');
    }
    this.nominator.add(qpi.podInfo);
  }

  /**
   * A cluster event happened (`MoveAllToActiveOrBackoffQueue`): unschedulable pods it may help
   * move on. `preCheck` limits the pods considered.
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, preCheck?: (pi: PodInfo) => boolean): void {
    const candidates: QueuedPodInfo[] = [];
    for (const qpi of this.unschedulable.values()) {
      if (!preCheck || preCheck(qpi.podInfo)) candidates.push(qpi);
    }
    this.movePods(candidates, event);
  }

  /** Moves the named pods to activeQ now, whatever their backoff (`Activate`). */
  activate(keys: Iterable<string>): void {
    for (const key of keys) {
      const qpi = this.unschedulable.get(key) ?? this.backoffQ.get(key);
      if (!qpi) continue;
      this.unschedulable.delete(key);
      this.backoffQ.delete(key);
      this.moveToActiveQ(qpi, 'ForceActivate');
    }
  }

  /** Moves pods whose backoff expired to activeQ. */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (;;) {
      const top = this.backoffQ.peek();
      if (!top || this.backoffTime(top) > now) break;
      this.backoffQ.pop();
      this.moveToActiveQ(top, 'BackoffComplete');
    }
  }

  /** Moves pods that waited longer than 5 minutes in unschedulablePods. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    const stale: QueuedPodInfo[] = [];
    for (const qpi of this.unschedulable.values()) {
      if (now - qpi.timestamp > this.maxUnschedulableMs) stale.push(qpi);
    }
    if (stale.length > 0) this.movePods(stale, unschedulableTimeout, 'UnschedulableTimeout');
  }

  /** Pods in each queue (`scheduler_pending_pods`). */
  pendingCounts(): Record<QueueName, number> {
    let gated = 0;
    for (const q of this.unschedulable.values()) if (q.gated) gated++;
    return {
      active: this.activeQ.size,
      backoff: this.backoffQ.size,
      unschedulable: this.unschedulable.size - gated,
      gated,
    };
  }

  /** Where the pod with `key` waits, if anywhere. */
  whereIs(key: string): QueueName | 'inFlight' | undefined {
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    const u = this.unschedulable.get(key);
    if (u) return u.gated ? 'gated' : 'unschedulable';
    if (this.inFlight.has(key)) return 'inFlight';
    return undefined;
  }

  /** The nominator's `add` with an explicit nominating decision. */
  nominate(pi: PodInfo, info?: NominatingInfo): void {
    this.nominator.add(pi, info);
  }

  private newQueued(pi: PodInfo): QueuedPodInfo {
    return {
      podInfo: pi,
      timestamp: this.clock.now(),
      attempts: 0,
      initialAttemptTimestamp: undefined,
      unschedulablePlugins: new Set(),
      gated: false,
    };
  }

  /** Runs PreEnqueue; a rejected pod waits in unschedulablePods as gated. */
  private moveToActiveQ(qpi: QueuedPodInfo, event: string): boolean {
    const rejected = this.options.preEnqueue?.(qpi.podInfo);
    if (rejected) {
      qpi.gated = true;
      qpi.unschedulablePlugins = new Set([rejected.plugin]);
      this.unschedulable.set(qpi.podInfo.key, qpi);
      this.options.onIncoming?.('gated', event);
      return false;
    }
    qpi.gated = false;
    if (event === 'PodAdd') qpi.timestamp = this.clock.now();
    this.activeQ.addOrUpdate(qpi);
    this.options.onIncoming?.('active', event);
    const w = this.waiters.shift();
    if (w) w(this.tryPop());
    return true;
  }

  private movePods(pods: QueuedPodInfo[], event: ClusterEvent, label = eventLabel(event)): void {
    for (const qpi of pods) {
      if (qpi.gated && qpi.unschedulablePlugins.has('SchedulingGates')) continue;
      if (!this.worthRequeuing(qpi, event)) continue;
      this.unschedulable.delete(qpi.podInfo.key);
      if (this.isBackingOff(qpi)) {
        this.backoffQ.addOrUpdate(qpi);
        this.options.onIncoming?.('backoff', label);
      } else {
        this.moveToActiveQ(qpi, label);
      }
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  /** `isPodWorthRequeuing` without queueing hints: a rejecting plugin registered the event. */
  private worthRequeuing(qpi: QueuedPodInfo, event: ClusterEvent): boolean {
    if (qpi.unschedulablePlugins.size === 0) return true;
    if (event === unschedulableTimeout) return true;
    for (const plugin of qpi.unschedulablePlugins) {
      for (const registered of this.pluginEvents.get(plugin) ?? []) {
        if (eventMatches(registered, event)) return true;
      }
    }
    return false;
  }

  private backoffDuration(qpi: QueuedPodInfo): number {
    if (qpi.attempts === 0) return 0;
    let d = this.initialBackoffMs;
    for (let i = 1; i < qpi.attempts; i++) {
      if (d > this.maxBackoffMs - d) return this.maxBackoffMs;
      d += d;
    }
    return d;
  }

  private backoffTime(qpi: QueuedPodInfo): number {
    return qpi.timestamp + this.backoffDuration(qpi);
  }

  private isBackingOff(qpi: QueuedPodInfo): boolean {
    return this.backoffTime(qpi) > this.clock.now();
  }
}
