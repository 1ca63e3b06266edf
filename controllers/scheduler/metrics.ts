/**
 * kube-scheduler's metrics, with upstream's names and labels (`pkg/scheduler/metrics`), on a
 * prom-client registry (the manager's, so `/metrics` serves them next to the framework's):
 *
 * - `scheduler_schedule_attempts_total{result,profile}` — result `scheduled`, `unschedulable`,
 *   `error`;
 * - `scheduler_scheduling_attempt_duration_seconds{result,profile}`;
 * - `scheduler_pending_pods{queue}` — `active`, `backoff`, `unschedulable`, `gated`;
 * - `scheduler_queue_incoming_pods_total{queue,event}`;
 * - `scheduler_preemption_attempts_total`, `scheduler_preemption_victims`;
 * - `scheduler_pod_scheduling_attempts`, `scheduler_pod_scheduling_sli_duration_seconds{attempts}`;
 * - `scheduler_cache_size{type}` — `nodes`, `pods`.
 */
import { Counter, Gauge, Histogram, exponentialBuckets, type Registry } from 'prom-client';
import type { QueueName } from './queue/scheduling-queue.js';

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

export interface SchedulerMetrics {
  attempt(result: AttemptResult, seconds: number): void;
  incoming(queue: QueueName, event: string): void;
  preemptionAttempt(): void;
  preemptionVictims(n: number): void;
  podScheduled(attempts: number, sinceFirstAttemptSeconds: number): void;
}

export const noopSchedulerMetrics: SchedulerMetrics = {
  attempt() {},
  incoming() {},
  preemptionAttempt() {},
  preemptionVictims() {},
  podScheduled() {},
};

export interface MetricSources {
  pending(): Record<QueueName, number>;
  cacheSize(): { nodes: number; pods: number };
}

/** Registers the metrics on `registry`; `sources` feed the gauges at scrape time. */
export function schedulerMetrics(
  registry: Registry,
  profile: string,
  sources: MetricSources,
): SchedulerMetrics {
  const registers = [registry];
  const attempts = new Counter({
    name: 'scheduler_schedule_attempts_total',
    help: "Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, while 'error' means an internal scheduler problem.",
    labelNames: ['result', 'profile'],
    registers,
  });
  const duration = new Histogram({
    name: 'scheduler_scheduling_attempt_duration_seconds',
    help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding)',
    labelNames: ['result', 'profile'],
    buckets: exponentialBuckets(0.001, 2, 15),
    registers,
  });
  new Gauge({
    name: 'scheduler_pending_pods',
    help: "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
    labelNames: ['queue'],
    registers,
    collect() {
      for (const [queue, n] of Object.entries(sources.pending())) this.set({ queue }, n);
    },
  });
  const incoming = new Counter({
    name: 'scheduler_queue_incoming_pods_total',
    help: 'Number of pods added to scheduling queues by event and queue type.',
    labelNames: ['queue', 'event'],
    registers,
  });
  const preemptionAttempts = new Counter({
    name: 'scheduler_preemption_attempts_total',
    help: 'Total preemption attempts in the cluster till now',
    registers,
  });
  const victims = new Histogram({
    name: 'scheduler_preemption_victims',
    help: 'Number of selected preemption victims',
    buckets: exponentialBuckets(1, 2, 7),
    registers,
  });
  const podAttempts = new Histogram({
    name: 'scheduler_pod_scheduling_attempts',
    help: 'Number of attempts to successfully schedule a pod.',
    buckets: exponentialBuckets(1, 2, 5),
    registers,
  });
  const sli = new Histogram({
    name: 'scheduler_pod_scheduling_sli_duration_seconds',
    help: 'E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue and might involve multiple scheduling attempts.',
    labelNames: ['attempts'],
    buckets: exponentialBuckets(0.01, 2, 20),
    registers,
  });
  new Gauge({
    name: 'scheduler_cache_size',
    help: 'Number of nodes, pods, and assumed (bound) pods in the scheduler cache.',
    labelNames: ['type'],
    registers,
    collect() {
      const s = sources.cacheSize();
      this.set({ type: 'nodes' }, s.nodes);
      this.set({ type: 'pods' }, s.pods);
    },
  });
  return {
    attempt(result, seconds) {
      attempts.inc({ result, profile });
      duration.observe({ result, profile }, seconds);
    },
    incoming(queue, event) {
      incoming.inc({ queue, event });
    },
    preemptionAttempt() {
      preemptionAttempts.inc();
    },
    preemptionVictims(n) {
      victims.observe(n);
    },
    podScheduled(n, since) {
      podAttempts.observe(n);
      sli.observe({ attempts: n >= 15 ? '15+' : String(n) }, since);
    },
  };
}
