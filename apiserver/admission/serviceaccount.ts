/**
 * The ServiceAccount admission plugin (upstream `plugin/pkg/admission/serviceaccount`), for pod
 * creates only:
 *
 * - A pod without `spec.serviceAccountName` gets `default`; the named account must exist in the
 *   pod's namespace, else 403 `pods "x" is forbidden: error looking up service account ns/sa:
 *   serviceaccount "sa" not found`.
 * - Unless the pod or the account opts out (`automountServiceAccountToken: false`, the pod's
 *   choice winning), every container mounts a projected volume `kube-api-access-xxxxx` (a bound
 *   token valid 3607 s, the `kube-root-ca.crt` CA and the namespace) read-only at
 *   `/var/run/secrets/kubernetes.io/serviceaccount`, unless it already mounts something there.
 * - A pod without image pull secrets gets the account's.
 * - With `kubernetes.io/enforce-mountable-secrets: "true"` on the account, secrets the pod uses
 *   must be listed in the account's `secrets` (pull secrets in `imagePullSecrets`).
 * - Mirror pods (annotation `kubernetes.io/config.mirror`) are not mutated and may reference no
 *   service account, secret or token projection.
 */
import { newNotFound } from '../../common/index.js';
import { generateName } from '../registry/generic/meta.js';
import type { KubeObject } from '../registry/types.js';
import * as defaults from './defaults.js';
import { admissionForbidden } from './errors.js';
import type { AdmissionLookup } from './lookup.js';
import { podSecretNames } from './podrefs.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

type Obj = Record<string, unknown>;

export interface ServiceAccountOptions {
  lookup: AdmissionLookup;
  /** Volume name generator (tests pin it); default: upstream's 5 random characters. */
  generateName?: (base: string) => string;
}

const applies = (a: AdmissionAttributes) =>
  a.operation === 'CREATE' &&
  a.resource.group === '' &&
  a.resource.resource === 'pods' &&
  a.subresource === '' &&
  a.object !== undefined;

const isMirror = (pod: KubeObject) =>
  pod.metadata?.annotations?.[defaults.mirrorPodAnnotation] !== undefined;

export function serviceAccountAdmission(opts: ServiceAccountOptions): AdmissionPlugin {
  const gen = opts.generateName ?? generateName;

  async function getAccount(attrs: AdmissionAttributes, name: string): Promise<KubeObject> {
    const sa = await opts.lookup.get(
      { group: '', resource: 'serviceaccounts' },
      attrs.namespace,
      name,
    );
    if (sa) return sa;
    const why = newNotFound({ group: '', resource: 'serviceaccount' }, name).message;
    throw admissionForbidden(
      attrs,
      `error looking up service account ${attrs.namespace}/${name}: ${why}`,
    );
  }

  return {
    name: 'ServiceAccount',
    async admit(attrs) {
      if (!applies(attrs)) return;
      const pod = attrs.object!;
      if (isMirror(pod)) return;
      const spec = (pod.spec ??= {}) as Obj;
      if (!spec.serviceAccountName) {
        // v1's deprecated `serviceAccount` converts into serviceAccountName when that is empty.
        spec.serviceAccountName = spec.serviceAccount || defaults.defaultServiceAccountName;
      }
      spec.serviceAccount = spec.serviceAccountName;
      const sa = await getAccount(attrs, spec.serviceAccountName as string);
      if (shouldAutomount(sa, spec)) mountToken(spec, gen);
      const pullSecrets = spec.imagePullSecrets as unknown[] | undefined;
      const saPullSecrets = (sa.imagePullSecrets as Obj[] | undefined) ?? [];
      if ((!pullSecrets || pullSecrets.length === 0) && saPullSecrets.length > 0) {
        spec.imagePullSecrets = saPullSecrets.map((s) => ({ name: s.name }));
      }
    },
    async validate(attrs) {
      if (!applies(attrs)) return;
      const pod = attrs.object!;
      const spec = (pod.spec ?? {}) as Obj;
      if (isMirror(pod)) {
        checkMirrorPod(attrs, spec);
        return;
      }
      if (!spec.serviceAccountName) {
        throw admissionForbidden(
          attrs,
          `no service account specified for pod ${attrs.namespace}/${attrs.name}`,
        );
      }
      const sa = await getAccount(attrs, spec.serviceAccountName as string);
      if (sa.metadata?.annotations?.['kubernetes.io/enforce-mountable-secrets'] === 'true') {
        const why = limitSecretReferences(sa, spec);
        if (why) throw admissionForbidden(attrs, why);
      }
    },
  };
}

function checkMirrorPod(attrs: AdmissionAttributes, spec: Obj): void {
  if (spec.serviceAccountName) {
    throw admissionForbidden(attrs, 'a mirror pod may not reference service accounts');
  }
  if (podSecretNames(spec).length > 0) {
    throw admissionForbidden(attrs, 'a mirror pod may not reference secrets');
  }
  for (const v of (spec.volumes as Obj[] | undefined) ?? []) {
    const sources = ((v.projected as Obj | undefined)?.sources as Obj[] | undefined) ?? [];
    if (sources.some((s) => s.serviceAccountToken)) {
      throw admissionForbidden(
        attrs,
        'a mirror pod may not use ServiceAccountToken volume projections',
      );
    }
  }
}

/** The pod's `automountServiceAccountToken` wins, then the account's; default true. */
function shouldAutomount(sa: KubeObject, spec: Obj): boolean {
  if (typeof spec.automountServiceAccountToken === 'boolean') {
    return spec.automountServiceAccountToken;
  }
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

/** Upstream `TokenVolumeSource()`. */
export function tokenVolumeSource(): Obj {
  return {
    sources: [
      {
        serviceAccountToken: {
          expirationSeconds: defaults.boundTokenExpirationSeconds,
          path: 'token',
        },
      },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [
            { path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
          ],
        },
      },
    ],
    defaultMode: defaults.projectedVolumeDefaultMode,
  };
}

function mountToken(spec: Obj, gen: (base: string) => string): void {
  const volumes = ((spec.volumes as Obj[] | undefined) ?? []).filter(Boolean);
  const existing = volumes.find((v) =>
    String(v.name ?? '').startsWith(`${defaults.serviceAccountVolumePrefix}-`),
  );
  const volumeName = existing
    ? String(existing.name)
    : gen(`${defaults.serviceAccountVolumePrefix}-`);
  let needed = false;
  for (const c of [...containersOf(spec, 'initContainers'), ...containersOf(spec, 'containers')]) {
    const mounts = (c.volumeMounts as Obj[] | undefined) ?? [];
    if (mounts.some((m) => m.mountPath === defaults.serviceAccountTokenMountPath)) continue;
    c.volumeMounts = [
      ...mounts,
      { name: volumeName, readOnly: true, mountPath: defaults.serviceAccountTokenMountPath },
    ];
    needed = true;
  }
  if (!existing && needed) {
    spec.volumes = [...volumes, { name: volumeName, projected: tokenVolumeSource() }];
  }
}

const containersOf = (spec: Obj, key: string): Obj[] =>
  ((spec[key] as Obj[] | undefined) ?? []).filter((c) => c && typeof c === 'object');

function limitSecretReferences(sa: KubeObject, spec: Obj): string | undefined {
  const saName = sa.metadata?.name ?? '';
  const mountable = new Set(((sa.secrets as Obj[] | undefined) ?? []).map((s) => s.name));
  for (const v of (spec.volumes as Obj[] | undefined) ?? []) {
    const secretName = (v.secret as Obj | undefined)?.secretName;
    if (secretName !== undefined && !mountable.has(secretName)) {
      return `volume with secret.secretName="${String(secretName)}" is not allowed because service account ${saName} does not reference that secret`;
    }
  }
  for (const [key, label] of [
    ['initContainers', 'init container'],
    ['containers', 'container'],
  ] as const) {
    for (const c of (spec[key] as Obj[] | undefined) ?? []) {
      for (const e of (c.env as Obj[] | undefined) ?? []) {
        const ref = (e.valueFrom as Obj | undefined)?.secretKeyRef as Obj | undefined;
        if (ref && !mountable.has(ref.name)) {
          return `${label} ${String(c.name)} with envVar ${String(e.name)} referencing secret.secretName="${String(ref.name)}" is not allowed because service account ${saName} does not reference that secret`;
        }
      }
    }
  }
  const pullable = new Set(((sa.imagePullSecrets as Obj[] | undefined) ?? []).map((s) => s.name));
  const pulls = (spec.imagePullSecrets as Obj[] | undefined) ?? [];
  for (let i = 0; i < pulls.length; i++) {
    if (!pullable.has(pulls[i]!.name)) {
      return `imagePullSecrets[${i}].name="${String(pulls[i]!.name)}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
    }
  }
  return undefined;
}
