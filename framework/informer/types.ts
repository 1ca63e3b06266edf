/** The notifications informers deliver, and the informer interface controllers use. */
import type { CacheReader, Indexers } from '../cache/index.js';
import type { KubernetesObject } from '../client/index.js';

/**
 * One notification of an informer's event stream. A relist is explicit: `init`, then one
 * `initApply` per listed object (`old` is the previously cached version, if any), `delete`s (with
 * `finalStateUnknown`) for objects that vanished, then `initDone`; the cache was swapped before
 * `init` is emitted. Watch changes are `apply` (`old` undefined for a new object) and `delete`.
 */
export type InformerEvent<T> =
  | { type: 'init' }
  | { type: 'initApply'; object: Readonly<T>; old?: Readonly<T> }
  | { type: 'initDone' }
  | { type: 'apply'; object: Readonly<T>; old?: Readonly<T> }
  | { type: 'delete'; object: Readonly<T>; finalStateUnknown: boolean };

/**
 * Callbacks of a handler (client-go `ResourceEventHandler`). A callback may return a promise: the
 * next notification for this handler waits for it (other handlers do not). Thrown errors are
 * logged and the notification is skipped.
 */
export interface ResourceEventHandler<T> {
  /** A new object; `isInInitialList` for objects of the first list or of a late handler's replay. */
  onAdd?(obj: Readonly<T>, isInInitialList: boolean): void | Promise<void>;
  /** A changed object; `old === obj` for periodic resyncs. */
  onUpdate?(old: Readonly<T>, obj: Readonly<T>): void | Promise<void>;
  /** A deleted object; `finalStateUnknown` when the deletion was inferred from a relist. */
  onDelete?(obj: Readonly<T>, finalStateUnknown: boolean): void | Promise<void>;
}

export interface HandlerOptions {
  /** Re-deliver every cached object as an update this often (ms, ≥ 1 s). Default: never. */
  resyncPeriodMs?: number;
  /** Warn when more objects than this wait for the handler. Default 1024. */
  bufferSize?: number;
}

/** A handler's registration (client-go `ResourceEventHandlerRegistration`). */
export interface HandlerRegistration {
  /** True once the informer synced and this handler has been given the whole initial list. */
  hasSynced(): boolean;
  /** Resolves when {@link hasSynced} turns true. */
  synced(): Promise<void>;
  /** Objects waiting for this handler. */
  pending(): number;
  /** Stops delivering to this handler. */
  remove(): void;
}

/** What controllers and the client use of an informer (the shared informer implements it). */
export interface Informer<T extends KubernetesObject = KubernetesObject> {
  readonly store: CacheReader<T>;
  addEventHandler(handler: ResourceEventHandler<T>, options?: HandlerOptions): HandlerRegistration;
  addIndexers(indexers: Indexers<T>): void;
  hasSynced(): boolean;
  synced(): Promise<void>;
  recordWrite(obj: KubernetesObject): void;
}
