/** The in-process cluster of `kuberx up` (see `cluster.ts`). */
export { startCluster, type Cluster, type ClusterOptions } from './cluster.js';
export * from './defaults.js';
export { ensureNodeTokens, type NodeTokens } from './tokens.js';
export { progressReporter, type ProgressSink } from './progress.js';
