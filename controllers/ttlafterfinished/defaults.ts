/** TTL-after-finished controller defaults (`pkg/controller/ttlafterfinished`). */

/** Workers (`--concurrent-ttl-after-finished-syncs`). */
export const defaultConcurrentSyncs = 5;
