/**
 * kube-scheduler defaults, each with the upstream value it mirrors
 * (`pkg/scheduler/apis/config/v1/defaults.go`, `default_plugins.go`, `schedule_one.go`,
 * `internal/queue/scheduling_queue.go`, `pkg/scheduler/util/pod_resources.go`).
 */

/** The profile name pods select with `spec.schedulerName` (`v1.DefaultSchedulerName`). */
export const defaultSchedulerName = 'default-scheduler';

/** `podInitialBackoffSeconds`: 1 s, doubled per attempt. */
export const defaultPodInitialBackoffMs = 1_000;

/** `podMaxBackoffSeconds`: 10 s. */
export const defaultPodMaxBackoffMs = 10_000;

/** `podMaxInUnschedulablePodsDuration`: an unschedulable pod is retried after 5 min at the latest. */
export const defaultPodMaxInUnschedulablePodsDurationMs = 5 * 60_000;

/** How often the backoff queue is flushed into the active queue (`flushBackoffQCompleted`): 1 s. */
export const backoffFlushIntervalMs = 1_000;

/** How often unschedulable pods are checked against the 5 min limit: 30 s. */
export const unschedulableFlushIntervalMs = 30_000;

/**
 * `percentageOfNodesToScore`: 0 means adaptive — 50 % minus 1 % per 125 nodes, at least 5 %, and
 * never fewer than 100 nodes.
 */
export const defaultPercentageOfNodesToScore = 0;

/** `minFeasibleNodesToFind`: clusters smaller than this are always searched whole. */
export const minFeasibleNodesToFind = 100;

/** `minFeasibleNodesPercentageToFind`: the adaptive percentage never goes below 5 %. */
export const minFeasibleNodesPercentageToFind = 5;

/** `framework.MaxNodeScore`: every plugin's normalised score is in 0…100. */
export const maxNodeScore = 100;

/** Requests counted for a container without a cpu request, when scoring (`DefaultMilliCPURequest`). */
export const defaultMilliCPURequest = 100;

/** Requests counted for a container without a memory request, when scoring: 200 MiB. */
export const defaultMemoryRequest = 200 * 1024 * 1024;

/** Score weights of the default profile (`getDefaultPlugins`). */
export const pluginWeights = {
  TaintToleration: 3,
  NodeAffinity: 2,
  NodeResourcesFit: 1,
  PodTopologySpread: 2,
  InterPodAffinity: 2,
  NodeResourcesBalancedAllocation: 1,
} as const;

/** `InterPodAffinityArgs.hardPodAffinityWeight`: 1. */
export const defaultHardPodAffinityWeight = 1;

/**
 * The system default topology spread constraints (`PodTopologySpreadArgs`, `defaultingType:
 * System`), applied to pods without constraints that belong to a Service or controller.
 */
export const systemDefaultSpreadConstraints = [
  { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
] as const;

/** `DefaultPreemptionArgs.minCandidateNodesPercentage`: 10 %. */
export const minCandidateNodesPercentage = 10;

/** `DefaultPreemptionArgs.minCandidateNodesAbsolute`: 100. */
export const minCandidateNodesAbsolute = 100;

/** `validation.NoteLengthLimit`: event and condition messages are cut to 1024 characters. */
export const noteLengthLimit = 1024;

/** The Lease the scheduler elects its leader on (`--leader-elect-resource-name`). */
export const defaultLeaderElectionID = 'kube-scheduler';

/** Namespace of that Lease (`--leader-elect-resource-namespace`). */
export const defaultLeaderElectionNamespace = 'kube-system';

/**
 * Where `/metrics`, `/healthz` and `/readyz` are served. Upstream serves them over HTTPS on
 * `:10259`; kuberx serves plain HTTP on loopback, same port.
 */
export const defaultMetricsBindAddress = '127.0.0.1:10259';

/** Field manager of the scheduler's writes. */
export const schedulerFieldManager = 'kube-scheduler';

/**
 * Bindings in flight at once. Upstream starts one goroutine per binding without a limit; a limit
 * keeps a burst of thousands of pods from opening thousands of requests at once.
 */
export const defaultMaxInFlightBindings = 256;

/**
 * Events and status patches waiting to be written. Upstream's event broadcaster drops events when
 * its queue (1000) is full; kuberx does the same for events (status patches are never dropped).
 */
export const defaultEventQueueSize = 1000;

/** Concurrent event writes. */
export const defaultEventConcurrency = 8;

/** Well-known labels, taints and condition values the plugins use (`k8s.io/api/core/v1`). */
export const labelHostname = 'kubernetes.io/hostname';
export const labelTopologyZone = 'topology.kubernetes.io/zone';
export const labelTopologyRegion = 'topology.kubernetes.io/region';
export const taintNodeUnschedulable = 'node.kubernetes.io/unschedulable';
