/**
 * Admission, as upstream's `admission.Interface`: plugins see every write after defaulting and
 * before it is stored. Mutating plugins (`admit`) run first, in order, and may change the object;
 * then the type's validation runs; then validating plugins (`validate`) run, in order, and may only
 * refuse. A plugin refuses by throwing a `StatusError` (usually 403 Forbidden or 422 Invalid),
 * which becomes the response. Plugins also run for dry-run requests (`dryRun` tells them).
 *
 * The security issue plugs its plugins (ServiceAccount, LimitRanger, ResourceQuota, webhooks…) in
 * through the server's `admission` option; NamespaceLifecycle is built in.
 */
import type { KubeObject, ResourceType } from '../registry/types.js';

/** The authenticated user of a request (absent until authentication plugs in). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  resource: ResourceType;
  subresource: string;
  namespace: string;
  name: string;
  /** The object being written (CREATE, UPDATE, CONNECT); mutating plugins may change it. */
  object?: KubeObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: KubeObject;
  dryRun: boolean;
  user?: UserInfo;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating admission. */
  admit?(attrs: AdmissionAttributes): void | Promise<void>;
  /** Validating admission. */
  validate?(attrs: AdmissionAttributes): void | Promise<void>;
}

/** Runs every plugin's `admit`, in order. */
export async function runAdmit(plugins: readonly AdmissionPlugin[], attrs: AdmissionAttributes) {
  for (const p of plugins) if (p.admit) await p.admit(attrs);
}

/** Runs every plugin's `validate`, in order. */
export async function runValidate(plugins: readonly AdmissionPlugin[], attrs: AdmissionAttributes) {
  for (const p of plugins) if (p.validate) await p.validate(attrs);
}
