/**
 * Serving CustomResourceDefinitions (apiextensions-apiserver in kube-apiserver): the controller
 * that accepts names, establishes CRDs, serves each served version as a resource type, and
 * cleans up on deletion; and the pieces it is built from — the custom resource strategy
 * (validation, pruning, defaulting against the structural schema) and printer columns.
 *
 * Wiring (done by `createApiServer`):
 * ```ts
 * const crds = new CustomResourceDefinitionController({ schemas });
 * const server = new ApiServer({ ..., filters: [...filters, crds.filter], extensions: [crds] });
 * ```
 */
export { CustomResourceDefinitionController } from './controller.js';
export type {
  CustomResourceDefinitionControllerOptions,
  CustomResourceServer,
} from './controller.js';
export { customResourceTypes, customResourceDefinitions } from './resourcetype.js';
export type { ServingState, CRDVersion, CRDNames } from './resourcetype.js';
export { CustomResourceStrategy } from './strategy.js';
export { customResourceTable, columnsOrDefault, cellFor } from './printer.js';
export type { PrinterColumn } from './printer.js';
export { JSONPath } from './jsonpath.js';
export { validateCustomResource } from './schema/validate.js';
export { pruneCustomResource } from './schema/prune.js';
export { applyDefaults, pruneNonNullableNulls } from './schema/default.js';
export { validateListSetsAndMaps } from './schema/listtype.js';
export { validateEmbeddedResources } from './schema/embedded.js';
export { validateRules } from './schema/cel.js';
export type { ValidationRule } from './schema/cel.js';
export { apiApprovalCondition, builtinNameHolders } from './naming.js';
export * as crdDefaults from './defaults.js';
