/**
 * The store's public door. Other modules import only this file.
 *
 * - {@link openEmbeddedStorage}: the embedded etcd-compatible store as a {@link Storage}
 *   (in-process; SQLite-durable, or in memory with `memory: true`).
 * - {@link startEtcd}: the store served over the etcd v3 gRPC API (`kuberx etcd`).
 * - {@link openEtcdStorage}: a {@link Storage} over etcd v3 gRPC (`--etcd-servers`: a real etcd
 *   cluster or `kuberx etcd`).
 */
export * from './storage.js';
export * as storeDefaults from './defaults.js';
export { openEmbeddedStorage } from './embedded/open.js';
export type { EmbeddedStorageOptions } from './embedded/open.js';
export { startEtcd } from './etcdserver/etcd.js';
export { openEtcdStorage } from './etcdclient/open.js';
export type { EtcdStorageOptions } from './etcdclient/open.js';
export type { RunningEtcd, StartEtcdOptions } from './etcdserver/etcd.js';
export type { TlsFiles } from './etcdserver/server.js';
