/**
 * The API client: typed and dynamic access to any kind, straight to the server (controller-runtime's
 * "API reader" plus writes). Kinds are named by a {@link Kind}, a custom-resource class, or a bare
 * group/version/kind resolved through the {@link RestMapper}; objects with `apiVersion`/`kind` name
 * their own kind. Every failure is a `StatusError` (or a network error), never a crash.
 */
import type { Status } from '../../common/index.js';
import { defaultFieldManager, defaultPageSize } from './defaults.js';
import { patchContentTypes, resourcePath, type PatchType, type RestClient } from './rest.js';
import { RestMapper } from './restmapper.js';
import {
  apiVersionOf,
  gvkOf,
  staticKindOf,
  type Kind,
  type KindRef,
  type KubernetesObject,
  type ObjectList,
  type ObjectOf,
} from './types.js';

export interface ListOptions {
  /** Default: all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  signal?: AbortSignal;
}

export interface WriteOptions {
  /** `true` sends `dryRun=All`. */
  dryRun?: boolean;
  /** Default: the client's field manager. */
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

export interface PatchOptions extends WriteOptions {
  namespace?: string;
  /** Default `merge` (JSON merge patch). */
  type?: PatchType;
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
  subresource?: string;
}

export interface ApplyOptions extends WriteOptions {
  /** Take ownership of fields other managers own (controllers usually want true). Default false. */
  force?: boolean;
}

export interface DeleteOptions {
  namespace?: string;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface ApiClientOptions {
  mapper?: RestMapper;
  /** Field manager of writes. Default `kuberx`. */
  fieldManager?: string;
}

export class ApiClient {
  readonly mapper: RestMapper;
  readonly fieldManager: string;

  constructor(
    readonly rest: RestClient,
    options: ApiClientOptions = {},
  ) {
    this.mapper = options.mapper ?? new RestMapper(rest);
    this.fieldManager = options.fieldManager ?? defaultFieldManager;
  }

  /** Resolves a kind reference to its full {@link Kind}. */
  async resolve(ref: KindRef<KubernetesObject>): Promise<Kind> {
    return staticKindOf(ref) ?? this.mapper.mapping(ref as Kind);
  }

  /** The kind of an object, from its `apiVersion` and `kind`. */
  kindForObject(obj: KubernetesObject): Promise<Kind> {
    return this.mapper.mapping(gvkOf(obj));
  }

  async get<R extends KindRef>(
    ref: R,
    name: string,
    options: { namespace?: string; signal?: AbortSignal } = {},
  ): Promise<ObjectOf<R>> {
    const kind = await this.resolve(ref);
    return this.rest.json({
      method: 'GET',
      path: resourcePath(kind, { namespace: objectNamespace(kind, options.namespace), name }),
      signal: options.signal,
    });
  }

  /** One page of a list (everything when no `limit`). */
  async list<R extends KindRef>(
    ref: R,
    options: ListOptions = {},
  ): Promise<ObjectList<ObjectOf<R>>> {
    const kind = await this.resolve(ref);
    return this.rest.json({
      method: 'GET',
      path: resourcePath(kind, { namespace: scoped(kind, options.namespace) }),
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        continue: options.continue,
        resourceVersion: options.resourceVersion,
        resourceVersionMatch: options.resourceVersionMatch,
      },
      signal: options.signal,
    });
  }

  /**
   * Every item, following `continue` tokens page by page (default pages of 500); the result
   * carries the resourceVersion of the list.
   */
  async listAll<R extends KindRef>(
    ref: R,
    options: Omit<ListOptions, 'limit' | 'continue'> & { pageSize?: number } = {},
  ): Promise<ObjectList<ObjectOf<R>>> {
    const { pageSize = defaultPageSize, ...rest } = options;
    const items: ObjectOf<R>[] = [];
    let page = await this.list(ref, { ...rest, limit: pageSize });
    for (;;) {
      for (const item of page.items) items.push(item);
      const token = page.metadata?.continue;
      if (!token) break;
      page = await this.list(ref, {
        ...rest,
        resourceVersion: undefined,
        limit: pageSize,
        continue: token,
      });
    }
    return { ...page, items, metadata: { resourceVersion: page.metadata?.resourceVersion } };
  }

  async create<T extends KubernetesObject>(
    obj: T,
    options: WriteOptions & { namespace?: string; kind?: KindRef } = {},
  ): Promise<T> {
    const kind = await this.kindFor(obj, options.kind);
    return this.rest.json({
      method: 'POST',
      path: resourcePath(kind, {
        namespace: objectNamespace(kind, options.namespace ?? obj.metadata?.namespace),
      }),
      query: this.writeQuery(options),
      body: withTypeMeta(obj, kind),
    });
  }

  /** PUT of the whole object (optimistic concurrency on its resourceVersion). */
  update<T extends KubernetesObject>(
    obj: T,
    options: WriteOptions & { kind?: KindRef } = {},
  ): Promise<T> {
    return this.put(obj, undefined, options);
  }

  /** PUT of the `status` subresource. */
  updateStatus<T extends KubernetesObject>(
    obj: T,
    options: WriteOptions & { kind?: KindRef } = {},
  ): Promise<T> {
    return this.put(obj, 'status', options);
  }

  async patch<R extends KindRef>(
    ref: R,
    name: string,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<ObjectOf<R>> {
    const kind = await this.resolve(ref);
    const type = options.type ?? 'merge';
    return this.rest.json({
      method: 'PATCH',
      path: resourcePath(kind, {
        namespace: objectNamespace(kind, options.namespace),
        name,
        subresource: options.subresource,
      }),
      query: {
        ...this.writeQuery(options),
        force: type === 'apply' && options.force ? true : undefined,
      },
      body: patch,
      contentType: patchContentTypes[type],
    });
  }

  /** Server-side apply of `obj` (its apiVersion, kind, name and namespace must be set). */
  apply<T extends KubernetesObject>(obj: T, options: ApplyOptions = {}): Promise<T> {
    return this.applyTo(obj, undefined, options);
  }

  /** Server-side apply to the `status` subresource. */
  applyStatus<T extends KubernetesObject>(obj: T, options: ApplyOptions = {}): Promise<T> {
    return this.applyTo(obj, 'status', options);
  }

  /**
   * Deletes an object. Resolves with what the server answers: the object (when finalizers or a
   * grace period keep it around, or as the last state) or a `Status`.
   */
  async delete<R extends KindRef>(
    ref: R,
    name: string,
    options: DeleteOptions = {},
  ): Promise<ObjectOf<R> | Status> {
    const kind = await this.resolve(ref);
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
    if (options.gracePeriodSeconds !== undefined)
      body.gracePeriodSeconds = options.gracePeriodSeconds;
    if (options.preconditions) body.preconditions = options.preconditions;
    if (options.dryRun) body.dryRun = ['All'];
    return this.rest.json({
      method: 'DELETE',
      path: resourcePath(kind, { namespace: objectNamespace(kind, options.namespace), name }),
      body,
    });
  }

  private async put<T extends KubernetesObject>(
    obj: T,
    subresource: string | undefined,
    options: WriteOptions & { kind?: KindRef },
  ): Promise<T> {
    const kind = await this.kindFor(obj, options.kind);
    return this.rest.json({
      method: 'PUT',
      path: resourcePath(kind, {
        namespace: objectNamespace(kind, obj.metadata?.namespace),
        name: requireName(obj),
        subresource,
      }),
      query: this.writeQuery(options),
      body: withTypeMeta(obj, kind),
    });
  }

  private async applyTo<T extends KubernetesObject>(
    obj: T,
    subresource: string | undefined,
    options: ApplyOptions,
  ): Promise<T> {
    const kind = await this.kindForObject(obj);
    return this.rest.json({
      method: 'PATCH',
      path: resourcePath(kind, {
        namespace: objectNamespace(kind, obj.metadata?.namespace),
        name: requireName(obj),
        subresource,
      }),
      query: { ...this.writeQuery(options), force: options.force ? true : undefined },
      body: obj,
      contentType: patchContentTypes.apply,
    });
  }

  private kindFor(obj: KubernetesObject, ref: KindRef | undefined): Promise<Kind> {
    return ref ? this.resolve(ref) : this.kindForObject(obj);
  }

  private writeQuery(options: WriteOptions): Record<string, string | undefined> {
    return {
      dryRun: options.dryRun ? 'All' : undefined,
      fieldManager: options.fieldManager ?? this.fieldManager,
      fieldValidation: options.fieldValidation,
    };
  }
}

/** The namespace part of a collection path: ignored for cluster-scoped kinds. */
function scoped(kind: Kind, namespace: string | undefined): string | undefined {
  return kind.namespaced ? namespace : undefined;
}

/** The namespace of an object path: required for namespaced kinds. */
function objectNamespace(kind: Kind, namespace: string | undefined): string | undefined {
  if (!kind.namespaced) return undefined;
  if (!namespace) throw new Error(`a namespace is required for ${kind.kind} (a namespaced kind)`);
  return namespace;
}

function requireName(obj: KubernetesObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('metadata.name is required');
  return name;
}

/** The object with `apiVersion`/`kind` filled in from its kind when missing. */
function withTypeMeta<T extends KubernetesObject>(obj: T, kind: Kind): T {
  if (obj.apiVersion && obj.kind) return obj;
  return { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(kind), kind: obj.kind ?? kind.kind };
}
