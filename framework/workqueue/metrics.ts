/**
 * The hooks a workqueue reports through, mirroring client-go's `workqueue.MetricsProvider`. The
 * Prometheus implementation (client-go's metric names: `workqueue_depth`, `workqueue_adds_total`,
 * `workqueue_queue_duration_seconds`, `workqueue_work_duration_seconds`,
 * `workqueue_unfinished_work_seconds`, `workqueue_longest_running_processor_seconds`,
 * `workqueue_retries_total`) lives in `framework/metrics`. A queue without a name reports nothing.
 */

/** What a queue knows about its in-flight work, read when metrics are scraped. */
export interface ProcessingProbe {
  /** Seconds of work in progress that `workDuration` has not observed yet (summed over items). */
  unfinishedWorkSeconds(): number;
  /** Seconds the longest-running item has been processing (0 when idle). */
  longestRunningProcessorSeconds(): number;
}

/** The metrics of one named queue. */
export interface QueueMetrics {
  /** An item was added (`adds_total`). */
  add(): void;
  /** Depth changed by `delta`; `priority` is set by priority queues (`depth{priority}`). */
  depth(delta: number, priority?: number): void;
  /** Seconds an item waited between add and get (`queue_duration_seconds`). */
  queueLatency(seconds: number): void;
  /** Seconds between get and done (`work_duration_seconds`). */
  workDuration(seconds: number): void;
  /** A delayed or rate-limited re-add (`retries_total`). */
  retry(): void;
  /** Registers the probe read for the unfinished/longest-running gauges. */
  trackProcessing(probe: ProcessingProbe): void;
  /** Stops reporting (the queue shut down). */
  dispose(): void;
}

export interface WorkqueueMetricsProvider {
  /** Metrics for the queue `name`, owned by `controller` (controller-runtime labels both). */
  newQueueMetrics(name: string, controller?: string): QueueMetrics;
}

/** Reports nothing: the metrics of an unnamed queue. */
export const noopQueueMetrics: QueueMetrics = {
  add: () => {},
  depth: () => {},
  queueLatency: () => {},
  workDuration: () => {},
  retry: () => {},
  trackProcessing: () => {},
  dispose: () => {},
};
