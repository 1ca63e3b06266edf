/**
 * kube-scheduler for kuberx — the only public door of `controllers/scheduler`.
 *
 * - {@link createSchedulerManager}: the whole process (`kuberx scheduler`, `kuberx up`): a
 *   Manager with the scheduler, leader election on `kube-system/kube-scheduler`, metrics and
 *   health on 127.0.0.1:10259.
 * - {@link addScheduler}: the scheduler added to an existing Manager (informers, API writes,
 *   metrics on its registry).
 * - {@link Scheduler}: the scheduling core, driven by event handlers; with
 *   {@link InMemorySchedulerClient} it runs without any API server (benchmarks, tests).
 *
 * Behaviour, plugins, messages and defaults follow upstream kube-scheduler (see each module).
 */
export * from './defaults.js';
export { Scheduler, type SchedulerOptions } from './scheduler.js';
export { addScheduler, InformerListers, type AddSchedulerOptions } from './informers.js';
export { createSchedulerManager, type SchedulerProcessOptions } from './server.js';
export {
  ApiSchedulerClient,
  type ApiSchedulerClientOptions,
  type PodCondition,
  type PodStatusPatch,
  type SchedulerClient,
} from './client.js';
export {
  InMemorySchedulerClient,
  type InMemoryClientOptions,
  type RecordedEvent,
} from './memory-client.js';
export { StaticListers, type ClusterListers } from './listers.js';
export { schedulerMetrics, noopSchedulerMetrics, type SchedulerMetrics } from './metrics.js';
export { PodInfo } from './podinfo.js';
export { numFeasibleNodesToFind } from './algorithm.js';
export { fitErrorMessage, errNoNodesAvailable } from './fiterror.js';
export { makeNode, makePod, updatedPod, type NodeOptions, type PodOptions } from './fixtures.js';
