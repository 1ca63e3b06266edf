/**
 * The scheduler's writes (upstream: the DefaultBinder, `util.PatchPodStatus`, `util.DeletePod`
 * and the event recorder), behind one interface so the scheduling core can run against the API
 * server ({@link ApiSchedulerClient}) or in memory (benchmarks, unit tests).
 *
 * - `bind` POSTs `pods/<name>/binding` with `Binding{metadata:{name, uid}, target:{kind: Node,
 *   name}}` and rejects with the server's StatusError (e.g. 409 when already bound).
 * - `patchPodStatus` sends a strategic merge patch of `pods/<name>/status` (conditions merge by
 *   type), at most `statusConcurrency` at once; patches are never dropped.
 * - `event` never waits and never fails: events queue (at most `eventQueueSize`, then new ones
 *   are dropped, as upstream's broadcaster does) and are written in the background, aggregated
 *   like client-go's correlator.
 * - `flush` resolves once every queued write has finished.
 */
import type { Clock } from '../../common/index.js';
import {
  kinds,
  Recorder,
  resourcePath,
  type ApiClient,
  type EventType,
} from '../../framework/index.js';
import {
  defaultEventConcurrency,
  defaultEventQueueSize,
  defaultSchedulerName,
} from './defaults.js';
import type { PreemptionClient } from './plugins/defaultpreemption/index.js';
import type { PodInfo } from './podinfo.js';

/** `v1.PodCondition` as the scheduler writes it. */
export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

export interface PodStatusPatch {
  condition?: PodCondition;
  /** `''` clears it. */
  nominatedNodeName?: string;
}

export interface SchedulerClient extends PreemptionClient {
  bind(pod: PodInfo, node: string): Promise<void>;
  patchPodStatus(pod: PodInfo, patch: PodStatusPatch): Promise<void>;
  event(pod: PodInfo, type: EventType, reason: string, message: string): void;
  flush(): Promise<void>;
}

/** Runs async tasks with at most `limit` at once; `drop` past `maxQueued` waiting tasks. */
export class TaskQueue {
  private running = 0;
  private readonly waiting: Array<() => Promise<void>> = [];
  private idle: Array<() => void> = [];
  dropped = 0;

  constructor(
    private readonly limit: number,
    private readonly maxQueued = Infinity,
  ) {}

  push(task: () => Promise<void>): void {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxQueued) {
        this.dropped++;
        return;
      }
      this.waiting.push(task);
      return;
    }
    this.start(task);
  }

  /** Resolves when nothing runs or waits. */
  drained(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private start(task: () => Promise<void>): void {
    this.running++;
    void task()
      .catch(() => {})
      .finally(() => {
        this.running--;
        const next = this.waiting.shift();
        if (next) this.start(next);
        else if (this.running === 0) for (const r of this.idle.splice(0)) r();
      });
  }
}

export interface ApiSchedulerClientOptions {
  /** `source.component` of events. Default `default-scheduler`. */
  component?: string;
  host?: string;
  clock?: Clock;
  eventQueueSize?: number;
  eventConcurrency?: number;
  statusConcurrency?: number;
  /** Told of failed status patches (they are not retried: the next attempt writes again). */
  onError?(err: unknown, what: string): void;
}

function podPath(pod: PodInfo, subresource?: string): string {
  return resourcePath(kinds.Pod, { namespace: pod.namespace, name: pod.name, subresource });
}

export class ApiSchedulerClient implements SchedulerClient {
  private readonly recorder: Recorder;
  private readonly events: TaskQueue;
  private readonly statuses: TaskQueue;
  private readonly clock: Clock | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly options: ApiSchedulerClientOptions = {},
  ) {
    this.clock = options.clock;
    this.recorder = new Recorder(api, {
      component: options.component ?? defaultSchedulerName,
      host: options.host,
      clock: options.clock,
    });
    this.events = new TaskQueue(
      options.eventConcurrency ?? defaultEventConcurrency,
      options.eventQueueSize ?? defaultEventQueueSize,
    );
    this.statuses = new TaskQueue(options.statusConcurrency ?? 16);
  }

  async bind(pod: PodInfo, node: string): Promise<void> {
    await this.api.rest.json({
      method: 'POST',
      path: podPath(pod, 'binding'),
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: pod.name, namespace: pod.namespace, uid: pod.uid || undefined },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      },
    });
  }

  patchPodStatus(pod: PodInfo, patch: PodStatusPatch): Promise<void> {
    const status: Record<string, unknown> = {};
    if (patch.condition) status.conditions = [patch.condition];
    if (patch.nominatedNodeName !== undefined) {
      status.nominatedNodeName = patch.nominatedNodeName === '' ? null : patch.nominatedNodeName;
    }
    return new Promise((resolve) =>
      this.statuses.push(async () => {
        try {
          await this.api.rest.json({
            method: 'PATCH',
            path: podPath(pod, 'status'),
            body: { status },
            contentType: 'application/strategic-merge-patch+json',
          });
        } catch (err) {
          this.options.onError?.(err, `patch status of ${pod.namespace}/${pod.name}`);
        } finally {
          resolve();
        }
      }),
    );
  }

  event(pod: PodInfo, type: EventType, reason: string, message: string): void {
    const obj = { apiVersion: 'v1', kind: 'Pod', metadata: pod.pod.metadata };
    this.events.push(() => this.recorder.event(obj, type, reason, message));
  }

  async preemptVictim(
    victim: PodInfo,
    preemptor: PodInfo,
    node: string,
    message: string,
  ): Promise<void> {
    const now = new Date(this.clock?.now() ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await ignoreNotFound(
      this.api.rest.json({
        method: 'PATCH',
        path: podPath(victim, 'status'),
        body: {
          status: {
            conditions: [
              {
                type: 'DisruptionTarget',
                status: 'True',
                reason: 'PreemptionByScheduler',
                message,
                lastTransitionTime: now,
                lastProbeTime: null,
              },
            ],
          },
        },
        contentType: 'application/strategic-merge-patch+json',
      }),
    );
    await ignoreNotFound(
      this.api.delete(kinds.Pod, victim.name, {
        namespace: victim.namespace,
        preconditions: victim.uid ? { uid: victim.uid } : undefined,
      }),
    );
    this.event(
      victim,
      'Normal',
      'Preempted',
      `Preempted by pod ${preemptor.uid || preemptor.name} on node ${node}`,
    );
  }

  async clearNomination(pod: PodInfo): Promise<void> {
    if (!pod.pod.status?.nominatedNodeName) return;
    await this.patchPodStatus(pod, { nominatedNodeName: '' });
  }

  async flush(): Promise<void> {
    await this.statuses.drained();
    await this.events.drained();
  }
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    const code = (err as { status?: { code?: number } }).status?.code;
    if (code !== 404 && code !== 409) throw err;
  }
}
