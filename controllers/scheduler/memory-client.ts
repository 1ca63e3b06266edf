/**
 * A {@link SchedulerClient} that keeps everything in memory: bindings, status patches, events and
 * evictions are recorded, nothing is sent anywhere. For unit tests and for measuring the pure
 * scheduling loop. Bindings succeed unless `failBind` says otherwise; `onBind` may feed the
 * bound pod back to the scheduler as an informer would.
 */
import type { EventType } from '../../framework/index.js';
import type { PodStatusPatch, SchedulerClient } from './client.js';
import type { PodInfo } from './podinfo.js';

export interface RecordedEvent {
  namespace: string;
  name: string;
  type: EventType;
  reason: string;
  message: string;
}

export interface InMemoryClientOptions {
  /** Return an error to make the binding of `pod` fail. */
  failBind?(pod: PodInfo, node: string): Error | undefined;
  /** Called after a successful binding (e.g. to report the bound pod back). */
  onBind?(pod: PodInfo, node: string): void;
  /** Called after a victim was preempted (e.g. to report its deletion back). */
  onPreempt?(victim: PodInfo): void;
}

export class InMemorySchedulerClient implements SchedulerClient {
  readonly bindings: Array<{ pod: PodInfo; node: string }> = [];
  readonly statusPatches: Array<{ pod: PodInfo; patch: PodStatusPatch }> = [];
  readonly events: RecordedEvent[] = [];
  readonly preempted: Array<{
    victim: PodInfo;
    preemptor: PodInfo;
    node: string;
    message: string;
  }> = [];
  readonly clearedNominations: PodInfo[] = [];
  /** Record events (turn off in benchmarks to save memory). */
  recordEvents = true;

  constructor(private readonly options: InMemoryClientOptions = {}) {}

  bind(pod: PodInfo, node: string): Promise<void> {
    const err = this.options.failBind?.(pod, node);
    if (err) return Promise.reject(err);
    this.bindings.push({ pod, node });
    this.options.onBind?.(pod, node);
    return Promise.resolve();
  }

  patchPodStatus(pod: PodInfo, patch: PodStatusPatch): Promise<void> {
    this.statusPatches.push({ pod, patch });
    return Promise.resolve();
  }

  event(pod: PodInfo, type: EventType, reason: string, message: string): void {
    if (!this.recordEvents) return;
    this.events.push({ namespace: pod.namespace, name: pod.name, type, reason, message });
  }

  preemptVictim(victim: PodInfo, preemptor: PodInfo, node: string, message: string): Promise<void> {
    this.preempted.push({ victim, preemptor, node, message });
    this.options.onPreempt?.(victim);
    return Promise.resolve();
  }

  clearNomination(pod: PodInfo): Promise<void> {
    this.clearedNominations.push(pod);
    return Promise.resolve();
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Where `name` (in `namespace`) was bound, if it was. */
  boundNode(namespace: string, name: string): string | undefined {
    return this.bindings.find((b) => b.pod.namespace === namespace && b.pod.name === name)?.node;
  }
}
