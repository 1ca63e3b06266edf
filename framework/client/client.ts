/**
 * The client controllers use (controller-runtime's delegating client): reads come from the
 * informer cache, writes go to the server, and every successful write is recorded in the cache at
 * once, so the controller's next read sees its own write (read-your-writes).
 *
 * - The first read of a kind starts a shared informer for it (all namespaces, or the manager's
 *   namespace) and waits until it has synced; later reads are local.
 * - A cached `get` of a missing object throws a 404 `StatusError`, as the server would.
 * - Cached lists take a namespace, a label selector, or an index (`{ index: name, value }`); field
 *   selectors need an index or the uncached {@link Client.api}.
 * - Returned objects are frozen: copy (`structuredClone`) before changing them.
 * - Kinds listed in `uncached` are always read from the server.
 */
import { newNotFound } from '../../common/index.js';
import type {
  ApiClient,
  ApplyOptions,
  DeleteOptions,
  PatchOptions,
  WriteOptions,
} from './apiclient.js';
import {
  staticKindOf,
  type Kind,
  type KindRef,
  type KubernetesObject,
  type ObjectOf,
} from './types.js';

/** The read side of an informer, as the client needs it. */
export interface CachedInformer<T> {
  readonly store: {
    getByName(namespace: string | undefined, name: string): Readonly<T> | undefined;
    list(options?: { namespace?: string; labelSelector?: string }): Readonly<T>[];
    byIndex(indexName: string, value: string): Readonly<T>[];
  };
  synced(): Promise<void>;
  recordWrite(obj: KubernetesObject): void;
}

/** Where cached informers come from (the shared informer factory). */
export interface InformerSource {
  /** The informer for `ref` (all namespaces, or the source's namespace), created when missing. */
  informerFor(ref: KindRef): Promise<CachedInformer<KubernetesObject>>;
  /** The informer for `kind` if one exists already (writes never start informers). */
  existing(kind: Kind): CachedInformer<KubernetesObject> | undefined;
}

export interface CachedListOptions {
  namespace?: string;
  labelSelector?: string;
  /** Use an index of the cache; `value` is matched exactly. */
  index?: { name: string; value: string };
  /** Not served from the cache; present to give a clear error. */
  fieldSelector?: string;
}

export interface ClientOptions {
  /** Kinds always read from the server. */
  uncached?: KindRef[];
}

export class Client {
  private readonly uncached: Set<string>;

  constructor(
    /** The uncached client: reads straight from the server. */
    readonly api: ApiClient,
    private readonly cache: InformerSource,
    options: ClientOptions = {},
  ) {
    this.uncached = new Set(
      (options.uncached ?? []).map((r) => gvkKey(staticKindOf(r) ?? (r as Kind))),
    );
  }

  /** Reads one object (from the cache unless the kind is uncached). */
  async get<R extends KindRef>(
    ref: R,
    name: string,
    options: { namespace?: string } = {},
  ): Promise<Readonly<ObjectOf<R>>> {
    const kind = await this.api.resolve(ref);
    if (this.isUncached(kind)) return this.api.get(ref, name, options);
    const informer = await this.informer(kind);
    const obj = informer.store.getByName(kind.namespaced ? options.namespace : undefined, name);
    if (!obj) throw newNotFound({ group: kind.group, resource: kind.plural }, name);
    return obj as Readonly<ObjectOf<R>>;
  }

  /** Lists objects (from the cache unless the kind is uncached). */
  async list<R extends KindRef>(
    ref: R,
    options: CachedListOptions = {},
  ): Promise<Readonly<ObjectOf<R>>[]> {
    const kind = await this.api.resolve(ref);
    if (this.isUncached(kind)) {
      const list = await this.api.listAll(ref, {
        namespace: options.namespace,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
      });
      return list.items;
    }
    if (options.fieldSelector) {
      throw new Error(
        'field selectors are not served from the cache: add an index and list with { index }, or use client.api',
      );
    }
    const informer = await this.informer(kind);
    let items: Readonly<KubernetesObject>[];
    if (options.index) {
      items = informer.store.byIndex(options.index.name, options.index.value);
      if (options.namespace)
        items = items.filter((o) => o.metadata?.namespace === options.namespace);
      if (options.labelSelector) {
        const allowed = new Set(informer.store.list({ labelSelector: options.labelSelector }));
        items = items.filter((o) => allowed.has(o));
      }
    } else {
      items = informer.store.list({
        namespace: kind.namespaced ? options.namespace : undefined,
        labelSelector: options.labelSelector,
      });
    }
    return items as Readonly<ObjectOf<R>>[];
  }

  async create<T extends KubernetesObject>(
    obj: T,
    options: WriteOptions & { namespace?: string; kind?: KindRef } = {},
  ): Promise<T> {
    return this.recorded(await this.api.create(obj, options), options.kind);
  }

  async update<T extends KubernetesObject>(
    obj: T,
    options: WriteOptions & { kind?: KindRef } = {},
  ): Promise<T> {
    return this.recorded(await this.api.update(obj, options), options.kind);
  }

  async updateStatus<T extends KubernetesObject>(
    obj: T,
    options: WriteOptions & { kind?: KindRef } = {},
  ): Promise<T> {
    return this.recorded(await this.api.updateStatus(obj, options), options.kind);
  }

  async patch<R extends KindRef>(
    ref: R,
    name: string,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<ObjectOf<R>> {
    return this.recorded(await this.api.patch(ref, name, patch, options), ref);
  }

  async apply<T extends KubernetesObject>(obj: T, options: ApplyOptions = {}): Promise<T> {
    return this.recorded(await this.api.apply(obj, options));
  }

  async applyStatus<T extends KubernetesObject>(obj: T, options: ApplyOptions = {}): Promise<T> {
    return this.recorded(await this.api.applyStatus(obj, options));
  }

  /** Deletes; when the server returns the object (finalizers pending), it is recorded too. */
  async delete<R extends KindRef>(ref: R, name: string, options: DeleteOptions = {}) {
    const result = await this.api.delete(ref, name, options);
    if ((result as KubernetesObject).metadata?.deletionTimestamp) {
      await this.recorded(result as KubernetesObject, ref);
    }
    return result;
  }

  /** The informer serving `ref` (started and synced). */
  async informer(ref: KindRef): Promise<CachedInformer<KubernetesObject>> {
    const informer = await this.cache.informerFor(ref);
    await informer.synced();
    return informer;
  }

  private async recorded<T extends KubernetesObject>(obj: T, ref?: KindRef): Promise<T> {
    if (!obj?.metadata?.name) return obj;
    try {
      const kind = ref ? await this.api.resolve(ref) : await this.api.kindForObject(obj);
      if (!this.isUncached(kind)) this.cache.existing(kind)?.recordWrite(obj);
    } catch {
      // Recording is best effort: the watch brings the object anyway.
    }
    return obj;
  }

  private isUncached(kind: Kind): boolean {
    return this.uncached.has(gvkKey(kind));
  }
}

function gvkKey(k: { group: string; version: string; kind: string }): string {
  return `${k.group}/${k.version}/${k.kind}`;
}
