/**
 * The shared informer factory: one informer — one list+watch — per kind and scope, however many
 * controllers ask for it (client-go `SharedInformerFactory`, controller-runtime's informer cache).
 * Informers asked for after {@link SharedInformerFactory.start} start at once.
 */
import type { Clock } from '../../common/index.js';
import type { TransformFunc } from '../cache/index.js';
import type { ApiClient, Kind, KindRef, KubernetesObject, ObjectOf } from '../client/index.js';
import { SharedIndexInformer, type InformerOptions } from './informer.js';

/** What makes two informers the same one. */
export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  metadataOnly?: boolean;
}

export interface FactoryOptions {
  /** Restrict every informer to this namespace (like `kuberx run --namespace`). */
  namespace?: string;
  /** Transform of informers that do not set one. Default: strip managedFields. */
  defaultTransform?: TransformFunc<KubernetesObject>;
  clock?: Clock;
  /** Options passed to every informer (initial list strategy, backoff, error handler…). */
  informerDefaults?: Omit<InformerOptions<KubernetesObject>, keyof InformerScope | 'indexers'>;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, Promise<SharedIndexInformer<KubernetesObject>>>();
  private readonly created = new Map<string, SharedIndexInformer<KubernetesObject>>();
  private started = false;

  constructor(
    readonly client: ApiClient,
    private readonly options: FactoryOptions = {},
  ) {}

  /** The informer for `kind` in `scope`, created on first request. */
  async informerFor<R extends KindRef>(
    ref: R,
    scope: InformerScope = {},
  ): Promise<SharedIndexInformer<ObjectOf<R> & KubernetesObject>> {
    const kind = await this.client.resolve(ref);
    const effective = { ...scope, namespace: scope.namespace ?? this.options.namespace };
    const key = informerKey(kind, effective);
    let pending = this.informers.get(key);
    if (!pending) {
      const informer = new SharedIndexInformer(this.client.rest, kind, {
        ...this.options.informerDefaults,
        transform: this.options.defaultTransform,
        clock: this.options.clock,
        ...effective,
      });
      if (this.started) informer.start();
      this.created.set(key, informer);
      pending = Promise.resolve(informer);
      this.informers.set(key, pending);
    }
    return pending as unknown as Promise<SharedIndexInformer<ObjectOf<R> & KubernetesObject>>;
  }

  /** The informer for `kind` and `scope` if it was created already. */
  existing(
    kind: Kind,
    scope: InformerScope = {},
  ): SharedIndexInformer<KubernetesObject> | undefined {
    return this.created.get(
      informerKey(kind, { ...scope, namespace: scope.namespace ?? this.options.namespace }),
    );
  }

  /** Every informer created so far. */
  async all(): Promise<SharedIndexInformer<KubernetesObject>[]> {
    return Promise.all(this.informers.values());
  }

  /** Starts every informer, and any created later. */
  async start(): Promise<void> {
    this.started = true;
    for (const informer of await this.all()) informer.start();
  }

  /** Resolves when every informer created so far has synced. */
  async waitForCacheSync(): Promise<void> {
    await Promise.all((await this.all()).map((i) => i.synced()));
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const informer of await this.all()) informer.stop();
    this.informers.clear();
    this.created.clear();
  }
}

function informerKey(kind: Kind, scope: InformerScope): string {
  return JSON.stringify([
    kind.group,
    kind.version,
    kind.kind,
    scope.namespace ?? '',
    scope.labelSelector ?? '',
    scope.fieldSelector ?? '',
    scope.metadataOnly ?? false,
  ]);
}
