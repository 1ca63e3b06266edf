/**
 * The API server's schema model: one JSON-schema representation (OpenAPI v3 shaped, with the
 * `x-kubernetes-*` extensions) shared by the OpenAPI documents, strategic merge patch,
 * server-side apply and field validation.
 *
 * Typical use:
 * ```ts
 * const schemas = newSchemaSet();                 // built-in types, built on first lookup
 * schemas.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' });
 * schemas.register('crd:crontabs.stable.example.com', definitions); // later, for a CRD
 * ```
 */
import { buildBuiltinDefinitions } from './builtin/build.js';
import { SchemaSet } from './schemaset.js';
import type { Schema } from './types.js';

export * from './types.js';
export { SchemaSet } from './schemaset.js';
export { effective, fieldSchema, itemSchema, isStruct, allowsUnknownFields } from './walk.js';
export { builtinGroupVersions, packageOf } from './builtin/groups.js';
export type { BuiltinGroupVersion } from './builtin/groups.js';
export { primitiveNames } from './builtin/primitives.js';
export {
  checkFields,
  enforceFieldValidation,
  newStrictDecodingError,
  parseFieldValidation,
  strictDecodingMessage,
  type FieldValidationDirective,
  type FieldValidationResult,
} from './fieldvalidation.js';
export { findDuplicateFields, findDuplicateFieldsInYaml } from './duplicates.js';

let builtin: Map<string, Schema> | undefined;

/**
 * The built-in definitions, built once per process on first call (about 100 ms) and shared by
 * every {@link SchemaSet} made with {@link newSchemaSet}. They must not be mutated.
 */
export function builtinDefinitions(): Map<string, Schema> {
  builtin ??= buildBuiltinDefinitions();
  return builtin;
}

/** A schema set whose base is the built-in types (built lazily, on first lookup). */
export function newSchemaSet(): SchemaSet {
  return new SchemaSet(builtinDefinitions);
}
