/**
 * Factories for the embedded store: {@link openEngine} (what `kuberx etcd` serves over gRPC) and
 * {@link openEmbeddedStorage} (the in-process Storage the API server uses by default).
 */
import type { Clock } from '../../common/index.js';
import type { Backend } from '../backend/backend.js';
import { MemoryBackend } from '../backend/memory.js';
import { SqliteBackend } from '../backend/sqlite.js';
import { dataDir as defaultDataDir, progressNotifyIntervalMs } from '../defaults.js';
import type { Storage } from '../storage.js';
import { Engine } from './engine.js';
import { EmbeddedStorage } from './storage.js';

export interface OpenEngineOptions {
  /** Directory of the SQLite database. Default `.kuberx/etcd`. Ignored with `memory`. */
  dataDir?: string;
  /** Keep everything in memory: nothing survives the process (for tests). */
  memory?: boolean;
  /** Time for lease TTLs and progress notifications. Default: the real clock. */
  clock?: Clock;
  /** Minimum lease TTL in seconds. Default 2, like etcd. */
  minLeaseTtlSeconds?: number;
}

export interface EmbeddedStorageOptions extends OpenEngineOptions {
  /**
   * How often an idle watch with `progressNotify` gets a progress batch, in ms of `clock`.
   * Default 10 minutes (etcd's).
   */
  progressNotifyIntervalMs?: number;
}

export function openBackend(options: OpenEngineOptions): Backend {
  return options.memory
    ? new MemoryBackend()
    : new SqliteBackend(options.dataDir ?? defaultDataDir);
}

/** Opens (or creates) the store and recovers its durable state. */
export async function openEngine(options: OpenEngineOptions = {}): Promise<Engine> {
  return Engine.open({
    backend: openBackend(options),
    clock: options.clock,
    minLeaseTtlSeconds: options.minLeaseTtlSeconds,
  });
}

/**
 * The embedded store as a {@link Storage}: in-process, no network hop. Durable in `dataDir`
 * (SQLite, WAL, fsync on every group commit) unless `memory` is set.
 */
export async function openEmbeddedStorage(options: EmbeddedStorageOptions = {}): Promise<Storage> {
  const engine = await openEngine(options);
  return new EmbeddedStorage(engine, {
    clock: options.clock,
    progressNotifyIntervalMs: options.progressNotifyIntervalMs ?? progressNotifyIntervalMs,
  });
}
