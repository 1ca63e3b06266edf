/** ReplicaSet / ReplicationController controller defaults (kube-controller-manager's values). */

/** Workers (`--concurrent-replicaset-syncs`, `--concurrent-rc-syncs`). */
export const defaultConcurrentSyncs = 5;

/** Most pods created or deleted in one sync (`BurstReplicas`). */
export const defaultBurstReplicas = 500;
