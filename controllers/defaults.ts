/**
 * controller-manager defaults, each with the upstream value it mirrors
 * (`cmd/kube-controller-manager/app/options`, `pkg/controller/*\/config/v1alpha1/defaults.go`).
 * Per-controller defaults live in each controller's own `defaults.ts`.
 */

/** The Lease the controller-manager elects its leader on (`--leader-elect-resource-name`). */
export const defaultLeaderElectionID = 'kube-controller-manager';

/** Namespace of that Lease (`--leader-elect-resource-namespace`). */
export const defaultLeaderElectionNamespace = 'kube-system';

/** `--leader-elect-lease-duration` 15 s. */
export const defaultLeaseDurationMs = 15_000;

/** `--leader-elect-renew-deadline` 10 s. */
export const defaultRenewDeadlineMs = 10_000;

/** `--leader-elect-retry-period` 2 s. */
export const defaultRetryPeriodMs = 2_000;

/**
 * `--kube-api-qps` 20 and `--kube-api-burst` 30: upstream's client limits. kuberx applies them
 * only to API servers that are not on a loopback address; on loopback the default is no limit.
 */
export const defaultKubeApiQps = 20;
export const defaultKubeApiBurst = 30;

/**
 * Where `/metrics`, `/healthz` and `/readyz` are served. Upstream serves them over HTTPS on
 * `:10257`; kuberx serves plain HTTP on loopback, same port.
 */
export const defaultMetricsBindAddress = '127.0.0.1:10257';

/** `--terminated-pod-gc-threshold` 12500. */
export const defaultTerminatedPodGCThreshold = 12_500;

/** `--max-endpoints-per-slice` 100 (range 1–1000). */
export const defaultMaxEndpointsPerSlice = 100;

/** `--mirroring-max-endpoints-per-subset` 1000 (range 1–1000). */
export const defaultMirroringMaxEndpointsPerSubset = 1000;

/** Field manager and user-agent-ish name of the controller-manager's writes. */
export const controllerManagerFieldManager = 'kube-controller-manager';
