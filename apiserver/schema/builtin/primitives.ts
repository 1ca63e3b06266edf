/**
 * Definitions that @kubernetes/client-node flattens into plain TypeScript types (a `Date`, a
 * `string`, `any`) and that upstream's OpenAPI documents name: Time, Quantity, IntOrString,
 * RawExtension, FieldsV1, the apiextensions JSON wrappers, Patch. Descriptions are short
 * summaries of upstream's.
 */
import type { Schema } from '../types.js';
import { metaPackage } from './groups.js';

const apiextensions = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

/** Definition names of the primitive types, by the short name the tables use. */
export const primitiveNames: Record<string, string> = {
  Time: `${metaPackage}.Time`,
  MicroTime: `${metaPackage}.MicroTime`,
  FieldsV1: `${metaPackage}.FieldsV1`,
  Patch: `${metaPackage}.Patch`,
  Quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  IntOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  RawExtension: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
  JSON: `${apiextensions}.JSON`,
  JSONSchemaPropsOrArray: `${apiextensions}.JSONSchemaPropsOrArray`,
  JSONSchemaPropsOrBool: `${apiextensions}.JSONSchemaPropsOrBool`,
  JSONSchemaPropsOrStringArray: `${apiextensions}.JSONSchemaPropsOrStringArray`,
  CustomResourceSubresourceStatus: `${apiextensions}.CustomResourceSubresourceStatus`,
};

/** The primitive definitions, keyed by full definition name. */
export function primitiveDefinitions(): Record<string, Schema> {
  const n = primitiveNames;
  return {
    [n.Time]: {
      description:
        'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON, in RFC 3339 form.',
      type: 'string',
      format: 'date-time',
    },
    [n.MicroTime]: {
      description: 'MicroTime is version of Time with microsecond level precision.',
      type: 'string',
      format: 'date-time',
    },
    [n.FieldsV1]: {
      description:
        "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format. Each key is either a '.' representing the field itself, or a sub-field or item: 'f:<name>', 'v:<value>', 'i:<index>' or 'k:<keys>'.",
      type: 'object',
    },
    [n.Patch]: {
      description:
        'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
      type: 'object',
    },
    [n.Quantity]: {
      description:
        "Quantity is a fixed-point representation of a number, serialized as a string such as '1Gi', '500m' or '1.5e3'.",
      type: 'string',
    },
    [n.IntOrString]: {
      description:
        'IntOrString is a type that can hold an int32 or a string. In JSON it produces or consumes the inner type.',
      type: 'string',
      format: 'int-or-string',
      'x-kubernetes-int-or-string': true,
    },
    [n.RawExtension]: {
      description: 'RawExtension is used to hold an embedded object of any kind.',
      type: 'object',
    },
    [n.JSON]: {
      description:
        'JSON represents any valid JSON value: bool, int64, float64, string, array, object or null.',
    },
    [n.JSONSchemaPropsOrArray]: {
      description:
        'JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps.',
    },
    [n.JSONSchemaPropsOrBool]: {
      description:
        'JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property.',
    },
    [n.JSONSchemaPropsOrStringArray]: {
      description: 'JSONSchemaPropsOrStringArray represents a JSONSchemaProps or a string array.',
    },
    [n.CustomResourceSubresourceStatus]: {
      description:
        'CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources: the status is represented by the `.status` JSON path inside of a CustomResource.',
      type: 'object',
    },
  };
}
