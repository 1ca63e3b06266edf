/** The in-process cluster of `kuberx up` (see `cluster.ts`). */
export { startCluster, type Cluster, type ClusterOptions } from './cluster.js';
export * from './defaults.js';
export { ensureClusterTokens, type ClusterTokens } from './tokens.js';
export { InProcessServer } from './inprocess.js';
export { progressReporter, type ProgressSink } from './progress.js';
