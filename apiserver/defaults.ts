/**
 * Defaults of the API server, each with upstream's value and units in the name. Options objects
 * override them; nothing else in `apiserver/` hard-codes a limit or a duration.
 */

/** Address the server listens on (loopback unless told otherwise). */
export const defaultBindAddress = '127.0.0.1';

/** kube-apiserver's secure port. */
export const defaultPort = 6443;

/**
 * The Kubernetes version this server presents on `/version`. kubectl 1.27–1.33 are the clients it
 * is tested with; the `/usr/bin/kubectl` dispatcher picks the matching binary from this value.
 */
export const kubernetesVersion = { major: '1', minor: '33', gitVersion: 'v1.33.1-kuberx' };

/**
 * JSON lists longer than this many items are written in chunks of this many (chunked transfer
 * encoding, waiting for the socket to drain between chunks) instead of as one string: whole
 * lists at resourceVersion "0" can exceed what one string may hold.
 */
export const listStreamChunkItems = 2000;

/** Upstream `MaxRequestBodyBytes`: 3 MiB; larger bodies are refused with 413. */
export const maxRequestBodyBytes = 3 * 1024 * 1024;

/** Upstream `JSONPatchMaxCopyBytes`: the most bytes a JSON patch's copy operations may add. */
export const jsonPatchMaxCopyBytes = 3 * 1024 * 1024;

/** Upstream's `--min-request-timeout` (1800 s): watches without `timeoutSeconds` last 1–2× this. */
export const minRequestTimeoutSeconds = 1800;

/** The watch cache sends each watcher a BOOKMARK about this often (upstream: 60 s). */
export const bookmarkIntervalMs = 60_000;

/** ... and one this long before the watch's deadline (upstream: 2 s). */
export const bookmarkBeforeDeadlineMs = 2_000;

/** How often the watch cache looks for watchers due a bookmark (upstream: ~1 s). */
export const bookmarkTickMs = 1_000;

/**
 * How long a read waits for the watch cache to catch up with a resourceVersion it has not seen
 * (upstream `blockTimeout`: 3 s); then 504 "Too large resource version".
 */
export const cacheWaitTimeoutMs = 3_000;

/** `retryAfterSeconds` of the "Too large resource version" error (upstream: 1). */
export const resourceVersionTooHighRetrySeconds = 1;

/**
 * Watch-cache event history, by age: events younger than this are always kept (upstream
 * `eventFreshDuration` is 75 s; the etcd compaction window is 5 min, which this matches).
 */
export const watchCacheHistoryMs = 5 * 60_000;

/** ... and at most this many events per resource, whatever their age. */
export const watchCacheMaxEvents = 100_000;

/**
 * How long the watch cache keeps the snapshot a paged list's `continue` token points at, counted
 * from the last page served from it (upstream keeps list snapshots 75 s). A token whose snapshot
 * is gone still works while its revision is in the history: the snapshot is rebuilt once.
 */
export const watchCacheSnapshotTtlMs = 75_000;

/** ... and at most this many snapshots per resource (the ones expiring first go first). */
export const watchCacheMaxSnapshots = 32;

/**
 * Writes announced to a watch cache with their entries prebuilt (`watchcache/pending.ts`) that
 * may wait for their storage event at once, per resource; beyond it the oldest are forgotten
 * (their events are then decoded as usual).
 */
export const watchCachePendingWrites = 4096;

/**
 * A watcher whose response buffer holds more than this many bytes unsent is too slow and is
 * closed (upstream closes watchers whose channel stays full past a short budget).
 */
export const watcherMaxBufferedBytes = 16 * 1024 * 1024;

/** Storage compaction period (upstream `--etcd-compaction-interval`: 5 min). 0 disables it. */
export const compactionIntervalMs = 5 * 60_000;

/** Upstream `maxNameGenerationCreateAttempts`: retries of a generateName create on collision. */
export const maxNameGenerationAttempts = 8;

/** Upstream names.SimpleNameGenerator: base truncated to 58 chars + 5 random characters. */
export const generateNameMaxBaseLength = 58;
export const generateNameRandomLength = 5;

/** Default grace period of a pod deletion when the pod does not say (upstream: 30 s). */
export const defaultTerminationGracePeriodSeconds = 30;

/** kube-apiserver's default `--service-cluster-ip-range`. */
export const defaultServiceClusterIPRange = '10.0.0.0/24';

/** kube-apiserver's default `--service-node-port-range` (inclusive). */
export const defaultServiceNodePortRange = { base: 30000, size: 2768 };

/** Namespaces the server creates at start (upstream's system namespaces controller). */
export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Storage key root (upstream `--etcd-prefix`). */
export const storagePrefix = '/registry';
