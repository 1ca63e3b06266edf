/**
 * Defaults of the store, with etcd's values wherever etcd has one (etcd `embed/config.go`,
 * `etcdserver/server.go`, `lease/lessor.go`, `v3rpc/watch.go`). Units are in the names.
 */

/** etcd `DefaultMaxRequestBytes`: the largest request the server applies, 1.5 MiB. */
export const maxRequestBytes = 1.5 * 1024 * 1024;

/** etcd `grpcOverheadBytes`: gRPC frames up to `maxRequestBytes` + this are received at all. */
export const grpcOverheadBytes = 512 * 1024;

/** etcd `DefaultMaxTxnOps`: at most this many compares, and this many ops per branch, per Txn. */
export const maxTxnOps = 128;

/**
 * etcd's minimum lease TTL: `ceil((3 * electionTicks / 2) * heartbeat)` with the default 10 ticks of
 * 100 ms = 2 s. Shorter grants are raised to it.
 */
export const minLeaseTtlSeconds = 2;

/** etcd `MaxLeaseTTL`: longer grants fail with `etcdserver: too large lease TTL`. */
export const maxLeaseTtlSeconds = 9_000_000_000;

/** etcd's default `--experimental-watch-progress-notify-interval`: 10 minutes. */
export const progressNotifyIntervalMs = 10 * 60 * 1000;

/** etcd `watchBatchMaxRevs`: a catching-up watcher gets at most this many revisions per response. */
export const watchBatchMaxRevisions = 1000;

/**
 * The version reported by Maintenance.Status. Like kine's `--emulated-etcd-version`, it is high
 * enough for kube-apiserver to use watch progress requests (it requires ≥ 3.4.31 or ≥ 3.5.13);
 * the watch progress semantics implemented are those of 3.5.13 (a requested progress notification
 * is sent only once every watcher of the stream is synced).
 */
export const emulatedEtcdVersion = '3.5.13';

/** Where `kuberx etcd` listens unless told otherwise (loopback only, like etcd's default). */
export const listenClientUrl = 'http://127.0.0.1:2379';

/** Where `kuberx etcd` keeps its data unless told otherwise. */
export const dataDir = '.kuberx/etcd';

/** The SQLite file inside the data directory. */
export const databaseFileName = 'kuberx-store.sqlite';

/** The member name reported by Cluster.MemberList (etcd's default `--name`). */
export const memberName = 'default';
