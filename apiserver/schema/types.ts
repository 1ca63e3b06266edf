/**
 * The one schema model of the API server: a JSON-schema node in the shape of OpenAPI v3 (the shape
 * of a CRD's `openAPIV3Schema`), carrying the Kubernetes `x-kubernetes-*` extensions. The OpenAPI
 * documents, strategic merge patch, server-side apply and field validation all read this model,
 * so a custom resource's schema registered at runtime behaves exactly like a built-in type.
 *
 * A `$ref` holds the bare name of another definition in the same {@link SchemaSet}
 * (e.g. `io.k8s.api.apps.v1.DeploymentSpec`); serializers add `#/definitions/` or
 * `#/components/schemas/`. A node with `$ref` may also carry `description` and use-site
 * extensions (`x-kubernetes-patch-strategy`, `x-kubernetes-map-type`, list extensions), which
 * apply to this use of the referenced type only — as upstream's generated specs do.
 */

/** A group, version and kind, as `x-kubernetes-group-version-kind` lists it. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** One `x-kubernetes-unions` entry. */
export interface UnionSpec {
  discriminator?: string;
  'fields-to-discriminateBy'?: Record<string, string>;
}

/** The JSON types a schema may declare. */
export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** A schema node (see the module comment). Unknown keywords are kept and served as given. */
export interface Schema {
  $ref?: string;
  type?: SchemaType;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  /** A schema for map values, or `true` for free-form values, or `false` for none. */
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  // JSON-schema validation keywords used by CRD structural schemas.
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  // Kubernetes extensions.
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-unions'?: UnionSpec[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [keyword: string]: unknown;
}

/** `group/version` as apiVersion spells it: `v1` for the core group, `apps/v1` otherwise. */
export function apiVersionOf(gv: { group: string; version: string }): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

/** A stable map key for a GVK. */
export function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}
