/**
 * Admission: the plugins kuberx runs between decoding and storage, in upstream's order, and the
 * selection logic of `--enable-admission-plugins` / `--disable-admission-plugins`.
 *
 * ```ts
 * let server: ApiServer;
 * const admission = newAdmissionPlugins({ lookup: storeLookup(() => server) });
 * server = createApiServer({ storage, admission });
 * ```
 */
export type {
  AdmissionAttributes,
  AdmissionOperation,
  AdmissionPlugin,
  UserInfo,
} from './types.js';
export { runAdmit, runValidate } from './types.js';
export { storeLookup, type AdmissionLookup, type StoreSource } from './lookup.js';
export {
  defaultAdmissionPlugins,
  implementedAdmissionPlugins,
  newAdmissionPlugins,
  orderedAdmissionPlugins,
  selectAdmissionPlugins,
  type AdmissionSelection,
  type PluginContext,
} from './plugins.js';
export { namespaceLifecycle, immortalNamespaces } from './namespacelifecycle.js';
export { serviceAccountAdmission, tokenVolumeSource } from './serviceaccount.js';
export { defaultTolerationSeconds } from './defaulttolerationseconds.js';
export { limitRanger } from './limitranger.js';
export { priorityAdmission } from './priority.js';
export { defaultStorageClass } from './defaultstorageclass.js';
export { nodeRestriction, nodeIdentity } from './noderestriction.js';
export { resourceQuotaAdmission } from './resourcequota.js';
export {
  evaluatorFor,
  objectCountName,
  quotaScopeSelectors,
  type QuotaEvaluator,
  type Usage,
} from './quotausage.js';
export * as admissionDefaults from './defaults.js';
