/**
 * The admission chain kuberx serves, in upstream's order (`AllOrderedPlugins`), and the
 * `--enable-admission-plugins` / `--disable-admission-plugins` logic.
 *
 * Default: upstream's default-on plugins that kuberx implements, plus NodeRestriction (kubeadm and
 * kind enable it). NamespaceLifecycle is built into the server and always runs first; naming it
 * in either flag is accepted and changes nothing. Upstream plugins kuberx does not implement may
 * be disabled (a no-op) but not enabled; unknown names are refused with upstream's message.
 */
import { defaultStorageClass } from './defaultstorageclass.js';
import { defaultTolerationSeconds } from './defaulttolerationseconds.js';
import { limitRanger } from './limitranger.js';
import type { AdmissionLookup } from './lookup.js';
import { nodeRestriction } from './noderestriction.js';
import { priorityAdmission } from './priority.js';
import { resourceQuotaAdmission } from './resourcequota.js';
import { serviceAccountAdmission } from './serviceaccount.js';
import type { AdmissionPlugin } from './types.js';

/** What a plugin factory gets. */
export interface PluginContext {
  lookup: AdmissionLookup;
}

const factories: Record<string, (ctx: PluginContext) => AdmissionPlugin> = {
  LimitRanger: (ctx) => limitRanger(ctx),
  ServiceAccount: (ctx) => serviceAccountAdmission(ctx),
  NodeRestriction: (ctx) => nodeRestriction(ctx),
  Priority: (ctx) => priorityAdmission(ctx),
  DefaultTolerationSeconds: () => defaultTolerationSeconds(),
  DefaultStorageClass: (ctx) => defaultStorageClass(ctx),
  ResourceQuota: (ctx) => resourceQuotaAdmission(ctx),
};

/** Upstream's execution order of every plugin (kuberx implements the ones in `factories`). */
export const orderedAdmissionPlugins: readonly string[] = [
  'AlwaysAdmit',
  'NamespaceAutoProvision',
  'NamespaceLifecycle',
  'NamespaceExists',
  'LimitPodHardAntiAffinityTopology',
  'LimitRanger',
  'ServiceAccount',
  'NodeRestriction',
  'TaintNodesByCondition',
  'AlwaysPullImages',
  'ImagePolicyWebhook',
  'PodSecurity',
  'PodNodeSelector',
  'Priority',
  'DefaultTolerationSeconds',
  'PodTolerationRestriction',
  'EventRateLimit',
  'ExtendedResourceToleration',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'OwnerReferencesPermissionEnforcement',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'DenyServiceExternalIPs',
  'PodTopologyLabels',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'AlwaysDeny',
];

/** The plugins kuberx enables by default, in execution order. */
export const defaultAdmissionPlugins: readonly string[] = [
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'NodeRestriction',
  'Priority',
  'DefaultTolerationSeconds',
  'DefaultStorageClass',
  'ResourceQuota',
];

/** The plugins kuberx implements (NamespaceLifecycle is the server's built-in). */
export const implementedAdmissionPlugins: readonly string[] = [
  'NamespaceLifecycle',
  ...Object.keys(factories),
];

export interface AdmissionSelection {
  /** `--enable-admission-plugins`: added to the defaults. */
  enable?: string[];
  /** `--disable-admission-plugins`: removed from the defaults. */
  disable?: string[];
}

/**
 * The enabled plugin names in execution order; throws an Error with upstream's wording for
 * unknown or overlapping names, and for upstream plugins kuberx does not implement.
 */
export function selectAdmissionPlugins(sel: AdmissionSelection = {}): string[] {
  const enable = sel.enable ?? [];
  const disable = sel.disable ?? [];
  for (const [flag, names] of [
    ['enable-admission-plugins', enable],
    ['disable-admission-plugins', disable],
  ] as const) {
    for (const n of names) {
      if (!orderedAdmissionPlugins.includes(n)) {
        throw new Error(`${flag} plugin "${n}" is unknown`);
      }
    }
  }
  const overlap = enable.filter((n) => disable.includes(n));
  if (overlap.length) {
    throw new Error(
      `${overlap.join(',')} in enable-admission-plugins and ${overlap.join(',')} in disable-admission-plugins overlapped`,
    );
  }
  for (const n of enable) {
    if (!implementedAdmissionPlugins.includes(n)) {
      throw new Error(`enable-admission-plugins plugin "${n}" is not implemented by kuberx`);
    }
  }
  const on = new Set([...defaultAdmissionPlugins, ...enable]);
  for (const n of disable) if (n !== 'NamespaceLifecycle') on.delete(n);
  return orderedAdmissionPlugins.filter((n) => on.has(n));
}

/**
 * Builds the selected plugins (NamespaceLifecycle left out: the server runs its own) for the
 * server's `admission` option.
 */
export function newAdmissionPlugins(
  ctx: PluginContext,
  sel: AdmissionSelection = {},
): AdmissionPlugin[] {
  return selectAdmissionPlugins(sel)
    .filter((n) => factories[n])
    .map((n) => factories[n]!(ctx));
}
