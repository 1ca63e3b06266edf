/**
 * The store's public door. Other modules import only this file.
 *
 * - {@link openEmbeddedStorage}: the embedded etcd-compatible store as a {@link Storage}
 *   (in-process; SQLite-durable, or in memory with `memory: true`).
 */
export * from './storage.js';
export { openEmbeddedStorage } from './embedded/open.js';
export type { EmbeddedStorageOptions } from './embedded/open.js';
