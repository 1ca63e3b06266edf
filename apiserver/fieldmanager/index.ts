/**
 * Server-side apply and managed fields (`metadata.managedFields`), as upstream's
 * `k8s.io/apimachinery/pkg/util/managedfields` over `sigs.k8s.io/structured-merge-diff`.
 *
 * Wiring (one FieldManager per kind and subresource, cheap to create):
 * ```ts
 * const fm = new FieldManager({ schemas, gvk, subresource: '', resetFields: defaultResetFields('', true) });
 * // create / update / non-apply patch: after the new object is computed, before validation
 * obj = fm.update(liveOrUndefined, obj, managerOrUserAgent(query.fieldManager, headers['user-agent']));
 * // PATCH with Content-Type application/apply-patch+yaml (fieldManager is required):
 * obj = fm.apply(liveOrUndefined, yaml.parse(body), query.fieldManager, query.force === 'true');
 * ```
 */
export { FieldManager, defaultResetFields } from './fieldmanager.js';
export type { FieldManagerOptions } from './fieldmanager.js';
export { managerOrUserAgent, prefixFromUserAgent } from './manager.js';
export { FieldSet } from './set.js';
export type { Path, PathElement } from './fieldpath.js';
export { pathToString, serializePathElement, deserializePathElement } from './fieldpath.js';
export {
  buildManagerIdentifier,
  decodeManagedFields,
  encodeManagedFields,
  isResetManagedFields,
  newConflictError,
  printManager,
} from './managedfields.js';
export type { ManagedFieldsEntry, Managed } from './managedfields.js';
export { ConflictsError, Updater } from './updater.js';
export type { Conflict, ManagedFields, VersionedSet } from './updater.js';
export { TypedValueError, validationErrorsMessage } from './typed.js';
export {
  ancientChangesManager,
  beforeFirstApplyManager,
  defaultMaxUpdateManagers,
  fieldManagerMaxLength,
  kubectlManager,
  lastAppliedConfigAnnotation,
} from './defaults.js';
