/**
 * Object types of the framework. Objects travel and are cached as plain JSON; their TypeScript
 * shapes come from @kubernetes/client-node's generated models through {@link Json}, which turns the
 * models' `Date` fields into the RFC 3339 strings that are actually on the wire.
 */
import type { V1ObjectMeta, V1OwnerReference } from '@kubernetes/client-node';

/**
 * The JSON form of a client-node model: `Date` (and `V1MicroTime`) fields become strings, the rest
 * is kept. `Json<V1Deployment>` is a Deployment as the API server sends it.
 */
export type Json<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer U>
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** `metav1.ObjectMeta` on the wire. */
export type ObjectMeta = Json<V1ObjectMeta>;

/** `metav1.OwnerReference`. */
export type OwnerReference = Json<V1OwnerReference>;

/** Any Kubernetes object: typed fields for the envelope, anything else allowed. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** `metav1.ListMeta`. */
export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A list as the server returns it. */
export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

/** A group, version and kind. The core group is `''`. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** A group, version and plural resource name. */
export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/**
 * A kind with what it takes to reach it over REST (a RESTMapping): the plural resource name and
 * its scope. `T` is the TypeScript shape of its objects; it never exists at run time.
 */
export interface Kind<T extends KubernetesObject = KubernetesObject> extends GroupVersionKind {
  /** Plural lower-case resource, e.g. `deployments`. */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Phantom field carrying `T`; always undefined. */
  readonly __object?: T;
}

/** The key under which a class declared as a custom resource carries its {@link Kind}. */
export const kindSymbol: unique symbol = Symbol.for('kuberx.kind') as never;

/** A class whose instances are objects of a kind (see the `@CustomResource` decorator). */
export type KindClass<T extends KubernetesObject = KubernetesObject> = abstract new (
  ...args: never[]
) => T;

/** Anything naming a kind: a {@link Kind}, a custom-resource class, or a bare group/version/kind. */
export type KindRef<T extends KubernetesObject = KubernetesObject> =
  Kind<T> | KindClass<T> | GroupVersionKind;

/** The object type a kind reference describes. */
export type ObjectOf<R> =
  R extends Kind<infer T>
    ? T
    : R extends abstract new (...args: never[]) => infer T
      ? T
      : KubernetesObject;

/**
 * The {@link Kind} a reference names when it says everything (a Kind, or a class declared with
 * `@CustomResource`); `undefined` for a bare group/version/kind, which needs the REST mapper.
 * Throws for a class that was never declared as a custom resource.
 */
export function staticKindOf(ref: KindRef<KubernetesObject>): Kind | undefined {
  if (typeof ref === 'function') {
    const kind = (ref as unknown as { [kindSymbol]?: Kind })[kindSymbol];
    if (!kind) {
      throw new Error(
        `class ${ref.name} is not a custom resource: decorate it with @CustomResource({ group, version, kind })`,
      );
    }
    return kind;
  }
  const k = ref as Partial<Kind>;
  return k.plural !== undefined && k.namespaced !== undefined ? (ref as Kind) : undefined;
}

/** Declares a kind (used for built-ins and for custom resources declared in TypeScript). */
export function defineKind<T extends KubernetesObject>(kind: {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}): Kind<T> {
  return Object.freeze({ ...kind });
}

/** The {@link Kind} of a Kind or of a class declared with `@CustomResource`. */
export function kindOf<T extends KubernetesObject>(ref: Kind<T> | KindClass<T>): Kind<T> {
  return staticKindOf(ref as KindRef<KubernetesObject>) as Kind<T>;
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(gv: { group: string; version: string }): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

/** Splits `apps/v1` into group and version (`v1` → core group). */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The group/version/kind an object says it is; throws when `apiVersion` or `kind` is missing. */
export function gvkOf(obj: KubernetesObject): GroupVersionKind {
  if (!obj.apiVersion || !obj.kind) {
    throw new Error(
      `object ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''} has no apiVersion/kind; set both or pass its Kind`,
    );
  }
  return { ...parseApiVersion(obj.apiVersion), kind: obj.kind };
}

/** `Deployment.apps/v1`-style text for messages. */
export function gvkString(gvk: GroupVersionKind): string {
  return `${gvk.kind}.${apiVersionOf(gvk)}`;
}

/**
 * The cache key of an object: `namespace/name`, or `name` for cluster-scoped objects (client-go
 * `MetaNamespaceKeyFunc`).
 */
export function objectKey(obj: KubernetesObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** Builds a key from parts (`namespace` empty for cluster-scoped objects). */
export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a key into namespace (`''` when cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
