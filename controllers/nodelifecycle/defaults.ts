/**
 * Node lifecycle and taint eviction defaults (kube-controller-manager's flags, 1.32+ values) and
 * the upstream names of the taints they manage.
 */

/** `--node-monitor-period` 5 s: how often node health is checked. */
export const defaultNodeMonitorPeriodMs = 5_000;

/** `--node-monitor-grace-period` 50 s (40 s before 1.32): silence before a node is Unknown. */
export const defaultNodeMonitorGracePeriodMs = 50_000;

/** `--node-startup-grace-period` 60 s: the same for a node that never posted Ready. */
export const defaultNodeStartupGracePeriodMs = 60_000;

/** `--node-eviction-rate` 0.1: nodes per second tainted NoExecute in a healthy zone. */
export const defaultNodeEvictionRate = 0.1;

/** `--secondary-node-eviction-rate` 0.01: the rate in a partially disrupted large zone. */
export const defaultSecondaryNodeEvictionRate = 0.01;

/** `--large-cluster-size-threshold` 50: zones above this keep evicting (slowly) when disrupted. */
export const defaultLargeClusterSizeThreshold = 50;

/** `--unhealthy-zone-threshold` 0.55: not-ready share that makes a zone partially disrupted. */
export const defaultUnhealthyZoneThreshold = 0.55;

/** `EvictionRateLimiterBurst` 1. */
export const evictionRateLimiterBurst = 1;

/** `NodeEvictionPeriod` 100 ms: the shortest pause between NoExecute tainting passes. */
export const nodeEvictionPeriodMs = 100;

/** Retries of a node write that conflicts (`NodeHealthUpdateRetry`, `UpdateTaintBackoff` steps). */
export const nodeUpdateRetries = 5;

/** Workers of the NoSchedule tainting queue and of the pod queue (`UpdateWorkerSize` 8, 4). */
export const noScheduleWorkers = 8;
export const podUpdateWorkers = 4;

/** Workers of the taint eviction controller (`UpdateWorkerSize`). */
export const taintEvictionWorkers = 8;

const prefix = 'node.kubernetes.io/';

/** Taint keys (`k8s.io/api/core/v1` well-known taints). */
export const taintKeys = {
  notReady: `${prefix}not-ready`,
  unreachable: `${prefix}unreachable`,
  unschedulable: `${prefix}unschedulable`,
  memoryPressure: `${prefix}memory-pressure`,
  diskPressure: `${prefix}disk-pressure`,
  networkUnavailable: `${prefix}network-unavailable`,
  pidPressure: `${prefix}pid-pressure`,
} as const;

/** Nodes carrying this label are left out of zone disruption checks. */
export const excludeDisruptionLabel = 'node.kubernetes.io/exclude-disruption';

/** Namespace of the node heartbeat Leases. */
export const nodeLeaseNamespace = 'kube-node-lease';

/** Event source names, as upstream records them. */
export const nodeControllerComponent = 'node-controller';
export const taintEvictionComponent = 'taint-eviction-controller';

/** Field manager of the controllers' writes. */
export const fieldManager = 'kube-controller-manager';
