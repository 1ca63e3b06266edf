/**
 * What the CRD controller adds to name acceptance and the API-approval condition:
 *
 * - Name acceptance itself is the catalogue's `calculateNamesAndConditions`
 *   (`registry/apiextensions/naming.ts`, upstream's naming controller): a name is in use when
 *   another CRD of the group accepted it. {@link builtinNameHolders} adds, in kuberx, the
 *   built-in resources of the group as holders of their names, so a CRD can never shadow a
 *   built-in type (upstream's built-in handlers would simply win).
 * - {@link apiApprovalCondition}: `KubernetesAPIApprovalPolicyConformant` for CRDs in protected
 *   groups (pkg/controller/apiapproval).
 */
import type { KubeObject, ResourceType } from '../registry/index.js';
import { KubernetesAPIApprovalPolicyConformant, type CRDCondition } from './conditions.js';
import { crdSpec } from './resourcetype.js';
import { isURI } from './schema/formats.js';

/** Built-in types of `group`, each as a pseudo-CRD whose accepted names are the type's. */
export function builtinNameHolders(types: readonly ResourceType[], group: string): KubeObject[] {
  return types
    .filter((t) => t.group === group)
    .map((t) => ({
      metadata: { name: `builtin:${t.group}/${t.version}/${t.resource}` },
      spec: { group },
      status: {
        acceptedNames: {
          plural: t.resource,
          singular: t.singularName,
          shortNames: t.shortNames ?? [],
          kind: t.kind,
          listKind: t.listKind ?? `${t.kind}List`,
        },
      },
    }));
}

/** `IsProtectedCommunityGroup`: `k8s.io`, `kubernetes.io` and their subdomains. */
export function isProtectedCommunityGroup(group: string): boolean {
  return (
    group === 'k8s.io' ||
    group.endsWith('.k8s.io') ||
    group === 'kubernetes.io' ||
    group.endsWith('.kubernetes.io')
  );
}

export const apiApprovedAnnotation = 'api-approved.kubernetes.io';

/**
 * The `KubernetesAPIApprovalPolicyConformant` condition of a CRD in a protected group
 * (`calculateCondition`), or undefined for other groups.
 */
export function apiApprovalCondition(crd: KubeObject): CRDCondition | undefined {
  const group = String(crdSpec(crd).group ?? '');
  if (!isProtectedCommunityGroup(group)) return undefined;
  const annotation = crd.metadata?.annotations?.[apiApprovedAnnotation] ?? '';
  const type = KubernetesAPIApprovalPolicyConformant;
  if (!annotation) {
    return {
      type,
      status: 'False',
      reason: 'MissingAnnotation',
      message: `protected groups must have approval annotation ${JSON.stringify(apiApprovedAnnotation)}, see https://github.com/kubernetes/enhancements/pull/1111`,
    };
  }
  if (annotation.startsWith('unapproved')) {
    return {
      type,
      status: 'False',
      reason: 'UnapprovedAnnotation',
      message: `not approved: ${JSON.stringify(annotation)}`,
    };
  }
  if (!isURI(annotation)) {
    return {
      type,
      status: 'False',
      reason: 'InvalidAnnotation',
      message: `protected groups must have approval annotation ${JSON.stringify(apiApprovedAnnotation)} with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111`,
    };
  }
  return {
    type,
    status: 'True',
    reason: 'ApprovedAnnotation',
    message: `approved in ${annotation}`,
  };
}
