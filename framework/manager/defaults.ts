/** Manager defaults (controller-runtime `pkg/manager`), adapted to listen on loopback by default. */

/** How long a stopping manager waits for its runnables: 30 s (`defaultGracefulShutdownPeriod`). */
export const defaultGracefulShutdownTimeoutMs = 30_000;

/**
 * Where `/metrics` (and, unless a probe address is set, `/healthz` and `/readyz`) are served.
 * controller-runtime binds `:8080`; kuberx binds loopback by default. `0` disables the server.
 */
export const defaultMetricsBindAddress = '127.0.0.1:8080';

/** The leader election lease namespace when none is set and not running in a cluster. */
export const defaultLeaderElectionNamespace = 'default';

/** Where a pod's namespace is mounted (used as leader election namespace in a cluster). */
export const inClusterNamespaceFile = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';
