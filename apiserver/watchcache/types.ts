/**
 * What the watch cache holds. Entries are immutable once built: the cache, the event history and
 * every watcher share them, and a handler that wants to change an object parses its own copy.
 */

/** One object as stored, at one revision. */
export interface CachedObject {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** The revision of the write that produced this state (its resourceVersion). */
  readonly rv: number;
  /** The object in its storage version, with `metadata.resourceVersion` = `rv`. */
  readonly json: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Field-selector values of the storage-version type (see `Cacher` options). */
  readonly fields: Readonly<Record<string, string>>;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as the cache saw it from storage. */
export interface CacheEvent {
  readonly type: WatchEventType;
  /** The revision of the change. */
  readonly rv: number;
  readonly key: string;
  /** The new state; for DELETED, the last state with `rv` = the deletion's revision. */
  readonly object: CachedObject;
  /** The state before the change (absent for ADDED). */
  readonly prev?: CachedObject;
  /** When the cache received the change (Clock ms), for history retention by age. */
  readonly receivedAt: number;
}
