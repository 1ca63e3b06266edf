/**
 * An informer fed by the test instead of a server: objects are added, changed and deleted by hand,
 * and `sync()` marks the end of the "initial list". Handlers get the same notifications, buffering
 * and replay as with a real informer, so controllers can be tested without HTTP.
 */
import { realClock, type Clock, type Timer } from '../../common/index.js';
import { Indexer, deepFreeze, type Indexers } from '../cache/index.js';
import { objectKey, staticKindOf, type KindRef, type KubernetesObject } from '../client/index.js';
import {
  Listener,
  type HandlerOptions,
  type HandlerRegistration,
  type Informer,
  type InformerScope,
  type ResourceEventHandler,
} from '../informer/index.js';

export class FakeInformer<T extends KubernetesObject = KubernetesObject> implements Informer<T> {
  /** Handlers' resync periods run on this clock (default: the real one). */
  constructor(private readonly clock: Clock = realClock) {}

  private readonly indexer = new Indexer<T>();
  private readonly listeners = new Set<Listener<T>>();
  private isSynced = false;
  private waiters: Array<() => void> = [];
  private readonly syncedMarkers: Array<() => void> = [];

  get store() {
    return this.indexer;
  }

  /** Adds or changes an object (frozen), notifying handlers as a watch event would. */
  apply(obj: T, options: { initial?: boolean } = {}): void {
    const frozen = deepFreeze(structuredClone(obj));
    const key = objectKey(frozen);
    const old = this.indexer.upsert(frozen);
    for (const l of this.listeners) {
      if (old) l.update(key, old, frozen);
      else l.add(key, frozen, options.initial ?? !this.isSynced);
    }
  }

  /** Deletes an object, notifying handlers. */
  delete(obj: T, options: { finalStateUnknown?: boolean } = {}): void {
    const key = objectKey(obj);
    const old = this.indexer.delete(key);
    if (!old) return;
    for (const l of this.listeners) l.delete(key, old, options.finalStateUnknown ?? false);
  }

  /** Marks the initial list as complete. */
  sync(): void {
    if (this.isSynced) return;
    this.isSynced = true;
    for (const w of this.waiters.splice(0)) w();
    for (const m of this.syncedMarkers.splice(0)) m();
  }

  hasSynced(): boolean {
    return this.isSynced;
  }

  synced(): Promise<void> {
    return this.isSynced ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }

  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  recordWrite(obj: KubernetesObject): void {
    this.indexer.upsert(deepFreeze(structuredClone(obj)) as T);
  }

  addEventHandler(
    handler: ResourceEventHandler<T>,
    options: HandlerOptions = {},
  ): HandlerRegistration {
    const listener = new Listener<T>(handler, options.bufferSize ?? 1024);
    this.listeners.add(listener);
    for (const obj of this.indexer.list()) listener.add(objectKey(obj), obj, true);
    let synced = false;
    const waiters: Array<() => void> = [];
    const mark = () =>
      listener.marker(() => {
        synced = true;
        for (const w of waiters.splice(0)) w();
      });
    if (this.isSynced) mark();
    else this.syncedMarkers.push(mark);
    let timer: Timer | undefined;
    if (options.resyncPeriodMs !== undefined) {
      const period = options.resyncPeriodMs;
      const tick = (): void => {
        for (const obj of this.indexer.list()) listener.update(objectKey(obj), obj, obj);
        timer = this.clock.setTimeout(tick, period);
      };
      timer = this.clock.setTimeout(tick, period);
    }
    return {
      hasSynced: () => synced,
      synced: () => (synced ? Promise.resolve() : new Promise((r) => waiters.push(r))),
      pending: () => listener.waiting,
      remove: () => {
        timer?.cancel();
        listener.stop();
        this.listeners.delete(listener);
      },
    };
  }
}

/** Hands out one {@link FakeInformer} per kind (scope is ignored). */
export class FakeInformerProvider {
  private readonly informers = new Map<string, FakeInformer>();

  constructor(private readonly clock: Clock = realClock) {}

  /** The informer of `ref` (a Kind, a custom-resource class or a group/version/kind). */
  get<T extends KubernetesObject = KubernetesObject>(ref: KindRef): FakeInformer<T> {
    const key = kindKey(ref);
    let informer = this.informers.get(key);
    if (!informer) this.informers.set(key, (informer = new FakeInformer(this.clock)));
    return informer as unknown as FakeInformer<T>;
  }

  async informerFor(ref: KindRef, _scope?: InformerScope): Promise<Informer<KubernetesObject>> {
    return this.get(ref);
  }
}

function kindKey(ref: KindRef): string {
  const k = staticKindOf(ref) ?? (ref as { group: string; version: string; kind: string });
  return `${k.group}/${k.version}/${k.kind}`;
}
