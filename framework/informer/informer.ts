/**
 * The shared index informer: one list+watch of one kind (and scope), an indexed cache of frozen
 * objects, and notifications to any number of handlers (client-go `SharedIndexInformer`, with
 * kube-rs's explicit relists).
 *
 * Contract:
 * - The cache is eventually consistent with the server. For one object, the states handlers see
 *   are a subsequence of the states the server had, in order; there is no order across objects.
 *   Identity is `namespace/name`: a delete and re-create may be seen as one update.
 * - Before caching, each object goes through the transform (default: strip `managedFields`;
 *   metadata-only informers keep only `apiVersion`, `kind` and `metadata`) and is deep-frozen.
 * - A relist replaces the cache atomically. Handlers then get adds for new objects, updates for
 *   objects whose resourceVersion changed (unchanged ones are not re-delivered), and deletes with
 *   `finalStateUnknown` for objects that vanished.
 * - `hasSynced()` turns true after the first complete list is in the cache. A handler added at
 *   any time first receives the cache as adds (`isInInitialList`) and has its own `hasSynced()`,
 *   true once that replay and the first list were delivered to it.
 * - Read-your-writes: {@link SharedIndexInformer.recordWrite} puts an object the controller just
 *   wrote into the cache at once when it is newer than the cached one (by resourceVersion), so the
 *   next read sees it. Handlers are not notified of it: they still get the server's watch events,
 *   with `old` being the last state the watch reported. A write whose answer arrives after the
 *   watch reported the object deleted (e.g. removing the last finalizer of a deleting object) does
 *   not bring it back: deletions are remembered (the last 10 000) with their resourceVersion.
 * - Errors never stop the informer (see `watcher`); `onWatchError` hears about them.
 */
import { Observable, Subject, type Subscription } from 'rxjs';
import {
  createLogger,
  parseLabelSelector,
  realClock,
  type Clock,
  type Timer,
} from '../../common/index.js';
import {
  deepFreeze,
  Indexer,
  stripManagedFields,
  toPartialObjectMetadata,
  type CacheReader,
  type Indexers,
  type TransformFunc,
} from '../cache/index.js';
import { objectKey, type Kind, type KubernetesObject, type RestClient } from '../client/index.js';
import { watcher, type WatcherConfig, type WatcherEvent } from '../watch/index.js';
import { defaultHandlerBufferSize, minimumResyncPeriodMs } from './defaults.js';
import { Listener } from './listener.js';
import { compareResourceVersions } from './rv.js';
import type {
  HandlerOptions,
  HandlerRegistration,
  Informer,
  InformerEvent,
  ResourceEventHandler,
} from './types.js';

export interface InformerOptions<T extends KubernetesObject> extends Omit<
  WatcherConfig<T>,
  'transform' | 'clock'
> {
  /** Runs before caching; default {@link stripManagedFields}. Must be idempotent. */
  transform?: TransformFunc<KubernetesObject>;
  indexers?: Indexers<T>;
  /** Deep-freeze cached objects. Default true. */
  freeze?: boolean;
  clock?: Clock;
  /** The watch error handler. */
  onWatchError?: WatcherConfig<T>['onError'];
}

const log = createLogger({ component: 'informer' });

/** Deletions remembered against late read-your-writes records. */
const maxTombstones = 10_000;

export class SharedIndexInformer<
  T extends KubernetesObject = KubernetesObject,
> implements Informer<T> {
  private readonly indexer: Indexer<T>;
  private readonly subject = new Subject<InformerEvent<T>>();
  private readonly listeners = new Set<Listener<T>>();
  private readonly clock: Clock;
  private readonly transform: TransformFunc<KubernetesObject>;
  private readonly freeze: boolean;
  /** Objects written by us and newer than the watch has reported, with the watch's last state. */
  private readonly overlays = new Map<string, Readonly<T> | undefined>();
  /** resourceVersions of recent deletions, so a late recordWrite cannot resurrect an object. */
  private readonly tombstones = new Map<string, string | undefined>();
  private relist: Map<string, Readonly<T>> | undefined;
  private subscription: Subscription | undefined;
  private isSynced = false;
  private syncWaiters: Array<() => void> = [];
  private lastRV = '';

  constructor(
    private readonly rest: RestClient,
    readonly kind: Kind<T>,
    private readonly options: InformerOptions<T> = {},
  ) {
    this.indexer = new Indexer<T>(options.indexers);
    this.clock = options.clock ?? realClock;
    const base = options.transform ?? stripManagedFields;
    this.transform = options.metadataOnly ? (o) => toPartialObjectMetadata(base(o)) : base;
    this.freeze = options.freeze ?? true;
  }

  /** The cache. Objects are frozen: copy before changing. */
  get store(): CacheReader<T> {
    return this.indexer;
  }

  /** Starts listing and watching; idempotent. */
  start(): void {
    if (this.subscription) return;
    this.subscription = watcher<T>(this.rest, this.kind, {
      ...this.options,
      clock: this.clock,
      onError: this.options.onWatchError,
      transform: (o) => this.prepare(o),
    }).subscribe((e) => this.process(e));
  }

  /** Stops the watch and every handler; the cache keeps its content. */
  stop(): void {
    this.subscription?.unsubscribe();
    for (const l of this.listeners) l.stop();
    this.listeners.clear();
    this.subject.complete();
  }

  isStarted(): boolean {
    return this.subscription !== undefined && !this.subscription.closed;
  }

  hasSynced(): boolean {
    return this.isSynced;
  }

  /** Resolves when the first list is in the cache. */
  synced(): Promise<void> {
    if (this.isSynced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** The resourceVersion of the last list, event or bookmark processed. */
  lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  /** Adds indices; existing objects are indexed at once. */
  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  /**
   * The notifications as a stream. Each subscription first gets the current cache as one
   * `init`/`initApply`…/`initDone` block (when synced), then live events. Subscribers run
   * synchronously: keep them quick or use {@link addEventHandler}.
   */
  events(): Observable<InformerEvent<T>> {
    return new Observable<InformerEvent<T>>((subscriber) => {
      if (this.isSynced) {
        subscriber.next({ type: 'init' });
        for (const object of this.indexer.list()) subscriber.next({ type: 'initApply', object });
        subscriber.next({ type: 'initDone' });
      }
      return this.subject.subscribe(subscriber);
    });
  }

  /** Registers a handler; see the module comment for replay and sync. */
  addEventHandler(
    handler: ResourceEventHandler<T>,
    options: HandlerOptions = {},
  ): HandlerRegistration {
    const listener = new Listener<T>(handler, options.bufferSize ?? defaultHandlerBufferSize);
    let handlerSynced = false;
    const waiters: Array<() => void> = [];
    const markSynced = (): void => {
      handlerSynced = true;
      for (const w of waiters.splice(0)) w();
    };
    this.listeners.add(listener);
    for (const obj of this.indexer.list()) listener.add(objectKey(obj), obj, true);
    if (this.isSynced) listener.marker(markSynced);
    else void this.synced().then(() => listener.marker(markSynced));
    let timer: Timer | undefined;
    if (options.resyncPeriodMs !== undefined) {
      const period = Math.max(options.resyncPeriodMs, minimumResyncPeriodMs);
      const tick = (): void => {
        for (const obj of this.indexer.list()) listener.update(objectKey(obj), obj, obj);
        timer = this.clock.setTimeout(tick, period);
      };
      timer = this.clock.setTimeout(tick, period);
    }
    return {
      hasSynced: () => handlerSynced,
      synced: () => (handlerSynced ? Promise.resolve() : new Promise((r) => waiters.push(r))),
      pending: () => listener.waiting,
      remove: () => {
        timer?.cancel();
        listener.stop();
        this.listeners.delete(listener);
      },
    };
  }

  /** Read-your-writes: caches `obj` (just returned by the server) if it is newer than the cache. */
  recordWrite(obj: KubernetesObject): void {
    if (!this.inScope(obj)) return;
    const key = objectKey(obj);
    const cached = this.indexer.get(key);
    const rv = obj.metadata?.resourceVersion;
    if (cached && compareResourceVersions(rv, cached.metadata?.resourceVersion) !== 1) return;
    if (!cached && this.tombstones.has(key)) {
      const deletedAt = this.tombstones.get(key);
      if (deletedAt === undefined || compareResourceVersions(rv, deletedAt) !== 1) return;
    }
    const prepared = this.prepare(structuredClone(obj));
    if (!this.overlays.has(key)) this.overlays.set(key, cached);
    this.indexer.upsert(prepared);
  }

  /** Whether this informer watches `obj` (field selectors cannot be checked: then no). */
  private inScope(obj: KubernetesObject): boolean {
    const { namespace, labelSelector, fieldSelector } = this.options;
    if (fieldSelector) return false;
    if (namespace && obj.metadata?.namespace !== namespace) return false;
    if (labelSelector && !parseLabelSelector(labelSelector).matches(obj.metadata?.labels)) {
      return false;
    }
    return true;
  }

  private prepare(obj: KubernetesObject): T {
    const out = this.transform(obj) as T;
    return this.freeze ? (deepFreeze(out) as T) : out;
  }

  private process(e: WatcherEvent<T>): void {
    try {
      switch (e.type) {
        case 'init':
          this.relist = new Map();
          return;
        case 'initApply':
          this.relist?.set(objectKey(e.object), e.object);
          return;
        case 'initDone':
          this.lastRV = e.resourceVersion;
          return this.swap(e.resourceVersion);
        case 'apply':
          return this.apply(e.object);
        case 'delete':
          return this.remove(e.object);
        case 'bookmark':
          this.lastRV = e.resourceVersion;
          return;
      }
    } catch (err) {
      log.error({ err, kind: this.kind.kind }, 'informer failed to process an event');
    }
  }

  private swap(listRV: string): void {
    const listed = this.relist ?? new Map<string, Readonly<T>>();
    this.relist = undefined;
    const content = new Map(listed);
    for (const [key] of this.overlays) {
      const mine = this.indexer.get(key);
      if (mine && compareResourceVersions(mine.metadata?.resourceVersion, listRV) === 1) {
        content.set(key, mine);
      } else {
        this.overlays.delete(key);
      }
    }
    const previous = this.indexer.replace(content.values());
    const first = !this.isSynced;
    this.subject.next({ type: 'init' });
    for (const [key, object] of listed) {
      const old = previous.get(key);
      this.subject.next({ type: 'initApply', object, old });
      if (!old) for (const l of this.listeners) l.add(key, object, first);
      else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
        for (const l of this.listeners) l.update(key, old, object);
      }
    }
    for (const [key, old] of previous) {
      if (content.has(key)) continue;
      this.tombstone(key, listRV);
      this.subject.next({ type: 'delete', object: old, finalStateUnknown: true });
      for (const l of this.listeners) l.delete(key, old, true);
    }
    this.subject.next({ type: 'initDone' });
    if (first) {
      this.isSynced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private apply(object: Readonly<T>): void {
    const key = objectKey(object);
    this.lastRV = object.metadata?.resourceVersion ?? this.lastRV;
    let old: Readonly<T> | undefined;
    if (this.overlays.has(key)) {
      old = this.overlays.get(key);
      const mine = this.indexer.get(key);
      const order = compareResourceVersions(
        object.metadata?.resourceVersion,
        mine?.metadata?.resourceVersion,
      );
      if (order === -1) this.overlays.set(key, object);
      else {
        this.overlays.delete(key);
        this.indexer.upsert(object);
      }
    } else {
      old = this.indexer.upsert(object);
    }
    this.subject.next({ type: 'apply', object, old });
    for (const l of this.listeners) {
      if (old) l.update(key, old, object);
      else l.add(key, object, false);
    }
  }

  /** Remembers that `key` was deleted at `rv` (bounded, oldest forgotten first). */
  private tombstone(key: string, rv: string | undefined): void {
    this.tombstones.delete(key);
    this.tombstones.set(key, rv);
    if (this.tombstones.size > maxTombstones) {
      this.tombstones.delete(this.tombstones.keys().next().value!);
    }
  }

  private remove(object: Readonly<T>): void {
    const key = objectKey(object);
    this.lastRV = object.metadata?.resourceVersion ?? this.lastRV;
    this.tombstones.delete(key);
    this.tombstones.set(key, object.metadata?.resourceVersion);
    if (this.tombstones.size > maxTombstones)
      this.tombstones.delete(this.tombstones.keys().next().value!);
    this.overlays.delete(key);
    this.indexer.delete(key);
    this.subject.next({ type: 'delete', object, finalStateUnknown: false });
    for (const l of this.listeners) l.delete(key, object, false);
  }
}
