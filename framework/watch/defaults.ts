/** List/watch defaults, each with the upstream value it mirrors (client-go `reflector.go`). */

/** First backoff delay after a failure: 800 ms (`defaultBackoffInit`). */
export const defaultBackoffInitialMs = 800;

/** Backoff cap before jitter: 30 s (`defaultBackoffMax`); jitter may stretch a capped delay to 60 s, as in client-go. */
export const defaultBackoffMaxMs = 30_000;

/** Backoff growth per failure: ×2 (`defaultBackoffFactor`). */
export const defaultBackoffFactor = 2;

/** Jitter: each delay is stretched by up to 100 % (`defaultBackoffJitter` = 1.0). */
export const defaultBackoffJitter = 1.0;

/** Quiet time after which the backoff starts over: 2 min (`defaultBackoffReset`). */
export const defaultBackoffResetMs = 120_000;

/** Shortest watch: `timeoutSeconds` is drawn from [300, 600) s (`defaultMinWatchTimeout` = 5 min). */
export const defaultMinWatchTimeoutSeconds = 300;

/**
 * A watch that has sent nothing for its `timeoutSeconds` plus this margin is considered hung and
 * is re-opened (kube-rs uses a 5 s margin).
 */
export const defaultWatchIdleMarginMs = 5_000;

/** A watch that closes sooner than this with no event counts as a failure ("very short watch"). */
export const defaultShortWatchMs = 1_000;

/** Page size of lists: 500 (`tools/pager` `defaultPageSize`). */
export const defaultListPageSize = 500;

/** The annotation on the bookmark that ends a streaming list. */
export const initialEventsEndAnnotation = 'k8s.io/initial-events-end';
