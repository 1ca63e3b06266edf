/**
 * Schema definitions for one served version of a CustomResourceDefinition, named as upstream
 * publishes them (`com.example.stable.v1.CronTab` and `…CronTabList`), ready for
 * `SchemaSet.register`. `apiVersion`, `kind` and `metadata` (ObjectMeta) are always described,
 * whatever the CRD's `openAPIV3Schema` says about them; a version without a schema preserves
 * unknown fields.
 */
import type { Schema } from '../schema/index.js';

const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export interface CustomResourceSchemaOptions {
  group: string;
  version: string;
  kind: string;
  /** Default `${kind}List`. */
  listKind?: string;
  /** The version's `schema.openAPIV3Schema`, if any. */
  openAPIV3Schema?: Schema;
}

/** `stable.example.com` → `com.example.stable`. */
export function reversedGroup(group: string): string {
  return group.split('.').reverse().join('.');
}

/** The definitions of a custom resource and its list, keyed by definition name. */
export function customResourceSchemas(
  options: CustomResourceSchemaOptions,
): Record<string, Schema> {
  const { group, version, kind } = options;
  const listKind = options.listKind ?? `${kind}List`;
  const prefix = `${reversedGroup(group)}.${version}`;
  const name = `${prefix}.${kind}`;
  const base: Schema = options.openAPIV3Schema
    ? structuredClone(options.openAPIV3Schema)
    : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const resource: Schema = {
    ...base,
    type: 'object',
    properties: {
      ...base.properties,
      apiVersion: apiVersionProperty,
      kind: kindProperty,
      metadata: { $ref: `${metaV1}.ObjectMeta`, description: metadataDescription },
    },
    'x-kubernetes-group-version-kind': [{ group, version, kind }],
  };
  const list: Schema = {
    description: `${listKind} is a list of ${kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: apiVersionProperty,
      items: {
        description: `List of ${kind.toLowerCase()}s. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        type: 'array',
        items: { $ref: name },
      },
      kind: kindProperty,
      metadata: { $ref: `${metaV1}.ListMeta`, description: 'Standard list metadata.' },
    },
    'x-kubernetes-group-version-kind': [{ group, version, kind: listKind }],
  };
  return { [name]: resource, [`${prefix}.${listKind}`]: list };
}

const apiVersionProperty: Schema = {
  description:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
  type: 'string',
};
const kindProperty: Schema = {
  description:
    'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.',
  type: 'string',
};
const metadataDescription =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
