/**
 * HorizontalPodAutoscaler controller defaults (`pkg/controller/podautoscaler`,
 * `cmd/kube-controller-manager` HPA flags), each with its upstream value.
 */

/** `--horizontal-pod-autoscaler-sync-period` 15 s: each HPA is reconciled this often. */
export const defaultSyncPeriodMs = 15_000;

/** `--horizontal-pod-autoscaler-tolerance` 0.1: ratios within 10 % of 1 change nothing. */
export const defaultTolerance = 0.1;

/** `--horizontal-pod-autoscaler-downscale-stabilization` 5 min. */
export const defaultDownscaleStabilizationMs = 5 * 60_000;

/** `--horizontal-pod-autoscaler-cpu-initialization-period` 5 min. */
export const defaultCpuInitializationPeriodMs = 5 * 60_000;

/** `--horizontal-pod-autoscaler-initial-readiness-delay` 30 s. */
export const defaultInitialReadinessDelayMs = 30_000;

/** Workers (`--concurrent-horizontal-pod-autoscaler-syncs`). */
export const defaultConcurrentSyncs = 5;

/** Without `spec.behavior`, one rescale grows to at most max(2 × current, 4) (`scaleUpLimit*`). */
export const scaleUpLimitFactor = 2;
export const scaleUpLimitMinimum = 4;

/** The event source of the controller's events. */
export const podAutoscalerComponent = 'horizontal-pod-autoscaler';

/** Condition types of `autoscaling/v2`. */
export const conditionTypes = {
  ableToScale: 'AbleToScale',
  scalingActive: 'ScalingActive',
  scalingLimited: 'ScalingLimited',
} as const;
