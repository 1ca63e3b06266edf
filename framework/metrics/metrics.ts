/**
 * Prometheus metrics with the names existing dashboards expect: client-go's workqueue metrics (with
 * controller-runtime's `name`/`controller` labels), controller-runtime's reconcile metrics, the
 * REST client request counter, and leader election status. Each manager owns one prom-client
 * `Registry` (never the global one), so several managers can live in one process.
 */
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  exponentialBuckets,
} from 'prom-client';
import type { RequestObserver } from '../client/index.js';
import type { ControllerMetrics } from '../controller/index.js';
import type {
  ProcessingProbe,
  QueueMetrics,
  WorkqueueMetricsProvider,
} from '../workqueue/index.js';

/** controller-runtime's `controller_runtime_reconcile_time_seconds` buckets. */
const reconcileBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9,
  1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/** All metrics of one manager. */
export class FrameworkMetrics {
  readonly registry: Registry;
  readonly workqueue: WorkqueueMetricsProvider;
  readonly controller: ControllerMetrics;
  /** Pass to `RestClient` as its observer. */
  readonly restObserver: RequestObserver;
  private readonly leaderStatus: Gauge<'name'>;

  constructor(options: { registry?: Registry; processMetrics?: boolean } = {}) {
    this.registry = options.registry ?? new Registry();
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    this.workqueue = workqueueProvider(this.registry);
    this.controller = controllerMetrics(this.registry);
    this.restObserver = restObserver(this.registry);
    this.leaderStatus = new Gauge({
      name: 'leader_election_master_status',
      help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.",
      labelNames: ['name'],
      registers: [this.registry],
    });
  }

  /** Sets `leader_election_master_status{name}`. */
  leading(name: string, isLeader: boolean): void {
    this.leaderStatus.set({ name }, isLeader ? 1 : 0);
  }

  /** The exposition text of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

function workqueueProvider(registry: Registry): WorkqueueMetricsProvider {
  const registers = [registry];
  const probes = new Map<
    string,
    { labels: { name: string; controller: string }; probe: ProcessingProbe }
  >();
  const depth = new Gauge({
    name: 'workqueue_depth',
    help: 'Current depth of workqueue by workqueue and priority',
    labelNames: ['name', 'controller', 'priority'],
    registers,
  });
  const adds = new Counter({
    name: 'workqueue_adds_total',
    help: 'Total number of adds handled by workqueue',
    labelNames: ['name', 'controller'],
    registers,
  });
  const latency = new Histogram({
    name: 'workqueue_queue_duration_seconds',
    help: 'How long in seconds an item stays in workqueue before being requested',
    labelNames: ['name', 'controller'],
    buckets: exponentialBuckets(10e-9, 10, 12),
    registers,
  });
  const work = new Histogram({
    name: 'workqueue_work_duration_seconds',
    help: 'How long in seconds processing an item from workqueue takes.',
    labelNames: ['name', 'controller'],
    buckets: exponentialBuckets(10e-9, 10, 12),
    registers,
  });
  new Gauge({
    name: 'workqueue_unfinished_work_seconds',
    help: "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.",
    labelNames: ['name', 'controller'],
    registers,
    collect() {
      for (const { labels, probe } of probes.values())
        this.set(labels, probe.unfinishedWorkSeconds());
    },
  });
  new Gauge({
    name: 'workqueue_longest_running_processor_seconds',
    help: 'How many seconds has the longest running processor for workqueue been running.',
    labelNames: ['name', 'controller'],
    registers,
    collect() {
      for (const { labels, probe } of probes.values()) {
        this.set(labels, probe.longestRunningProcessorSeconds());
      }
    },
  });
  const retries = new Counter({
    name: 'workqueue_retries_total',
    help: 'Total number of retries handled by workqueue',
    labelNames: ['name', 'controller'],
    registers,
  });
  return {
    newQueueMetrics(name: string, controller = name): QueueMetrics {
      const labels = { name, controller };
      adds.inc(labels, 0);
      retries.inc(labels, 0);
      return {
        add: () => adds.inc(labels),
        depth: (delta, priority) =>
          depth.inc({ ...labels, priority: priority === undefined ? '' : String(priority) }, delta),
        queueLatency: (s) => latency.observe(labels, s),
        workDuration: (s) => work.observe(labels, s),
        retry: () => retries.inc(labels),
        trackProcessing: (probe) =>
          void probes.set(`${name}\u0000${controller}`, { labels, probe }),
        dispose: () => void probes.delete(`${name}\u0000${controller}`),
      };
    },
  };
}

function controllerMetrics(registry: Registry): ControllerMetrics {
  const registers = [registry];
  const total = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'],
    registers,
  });
  const errors = new Counter({
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Total number of reconciliation errors per controller',
    labelNames: ['controller'],
    registers,
  });
  const terminal = new Counter({
    name: 'controller_runtime_terminal_reconcile_errors_total',
    help: 'Total number of terminal reconciliation errors per controller',
    labelNames: ['controller'],
    registers,
  });
  const panics = new Counter({
    name: 'controller_runtime_reconcile_panics_total',
    help: 'Total number of reconciliation panics per controller',
    labelNames: ['controller'],
    registers,
  });
  const timeouts = new Counter({
    name: 'controller_runtime_reconcile_timeouts_total',
    help: 'Total number of reconciliation timeouts per controller',
    labelNames: ['controller'],
    registers,
  });
  const time = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'],
    buckets: reconcileBuckets,
    registers,
  });
  const workers = new Gauge({
    name: 'controller_runtime_max_concurrent_reconciles',
    help: 'Maximum number of concurrent reconciles per controller',
    labelNames: ['controller'],
    registers,
  });
  const active = new Gauge({
    name: 'controller_runtime_active_workers',
    help: 'Number of currently used workers per controller',
    labelNames: ['controller'],
    registers,
  });
  return {
    init(controller, n) {
      for (const result of ['error', 'requeue_after', 'requeue', 'success'])
        total.inc({ controller, result }, 0);
      for (const c of [errors, terminal, panics, timeouts]) c.inc({ controller }, 0);
      workers.set({ controller }, n);
      active.set({ controller }, 0);
    },
    reconciled(controller, result, seconds) {
      total.inc({ controller, result });
      time.observe({ controller }, seconds);
    },
    error: (controller) => errors.inc({ controller }),
    terminalError: (controller) => terminal.inc({ controller }),
    panic: (controller) => panics.inc({ controller }),
    timeout: (controller) => timeouts.inc({ controller }),
    activeWorkers: (controller, delta) => active.inc({ controller }, delta),
  };
}

function restObserver(registry: Registry): RequestObserver {
  const requests = new Counter({
    name: 'rest_client_requests_total',
    help: 'Number of HTTP requests, partitioned by status code, method, and host.',
    labelNames: ['code', 'method', 'host'],
    registers: [registry],
  });
  return ({ code, method, host }) =>
    requests.inc({ code: code === 'error' ? '<error>' : String(code), method, host });
}
