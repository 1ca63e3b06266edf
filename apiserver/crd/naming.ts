/**
 * Name acceptance (apiextensions-apiserver pkg/controller/status/naming_controller.go) and the
 * API-approval condition (pkg/controller/apiapproval).
 *
 * {@link calculateNamesAndConditions}: each requested name (plural, singular, short names, kind,
 * list kind) is accepted when it equals the already accepted one or nobody in the group uses it;
 * otherwise `NamesAccepted` is False with reason `PluralConflict`, `SingularConflict`,
 * `ShortNamesConflict`, `KindConflict` or `ListKindConflict` and the message
 * `"<name>" is already in use` (the last conflict checked wins), and the accepted name stays as
 * it was. Categories are always accepted. `Established` keeps its current value, except that a
 * CRD not yet established whose names are all accepted gets False / `Installing` ("the initial
 * names have been accepted"), and a new one False / `NotAccepted` ("not all names are accepted").
 *
 * "In use" means accepted by any CRD of the same group (this one included) — and, in kuberx, also
 * served by a built-in resource of that group, so a CRD can never shadow a built-in type.
 */
import type { KubeObject } from '../registry/index.js';
import {
  Established,
  findCondition,
  KubernetesAPIApprovalPolicyConformant,
  NamesAccepted,
  type CRDCondition,
} from './conditions.js';
import { crdSpec, type CRDNames } from './resourcetype.js';
import { isObject } from './schema/node.js';

/** The names used in a group: resource names (plural, singular, short) and kinds. */
export interface UsedNames {
  resources: Set<string>;
  kinds: Set<string>;
}

export interface NamesResult {
  names: CRDNames;
  namesAccepted: CRDCondition;
  established: CRDCondition;
}

/** Adds a CRD's accepted names to `used`. */
export function addAcceptedNames(used: UsedNames, accepted: Partial<CRDNames>): void {
  used.resources.add(accepted.plural ?? '');
  used.resources.add(accepted.singular ?? '');
  for (const s of accepted.shortNames ?? []) used.resources.add(s);
  used.kinds.add(accepted.kind ?? '');
  used.kinds.add(accepted.listKind ?? '');
}

function conflict(requested: string, accepted: string, used: Set<string>): string | undefined {
  if (requested === accepted) return undefined;
  if (!used.has(requested)) return undefined;
  return `${JSON.stringify(requested)} is already in use`;
}

function requestedNames(crd: KubeObject): CRDNames {
  const names = crdSpec(crd).names;
  return (isObject(names) ? names : {}) as unknown as CRDNames;
}

function currentAccepted(crd: KubeObject): Partial<CRDNames> {
  const status = isObject(crd.status) ? crd.status : {};
  return (isObject(status.acceptedNames) ? status.acceptedNames : {}) as Partial<CRDNames>;
}

/** `calculateNamesAndConditions`. */
export function calculateNamesAndConditions(crd: KubeObject, used: UsedNames): NamesResult {
  const requested = requestedNames(crd);
  const accepted = currentAccepted(crd);
  const names: Partial<CRDNames> = structuredClone(accepted);
  let failure: { reason: string; message: string } | undefined;
  const check = (
    field: 'plural' | 'singular' | 'kind' | 'listKind',
    set: Set<string>,
    reason: string,
  ) => {
    const err = conflict(requested[field] ?? '', accepted[field] ?? '', set);
    if (err) failure = { reason, message: err };
    else names[field] = requested[field];
  };
  check('plural', used.resources, 'PluralConflict');
  check('singular', used.resources, 'SingularConflict');
  const reqShort = requested.shortNames ?? [];
  const accShort = accepted.shortNames ?? [];
  if (JSON.stringify(reqShort) !== JSON.stringify(accShort)) {
    const errs = reqShort
      .filter((s) => !accShort.includes(s))
      .map((s) => conflict(s, '', used.resources))
      .filter((e): e is string => e !== undefined);
    if (errs.length === 1) failure = { reason: 'ShortNamesConflict', message: errs[0]! };
    else if (errs.length > 1) {
      failure = { reason: 'ShortNamesConflict', message: `[${errs.join(', ')}]` };
    } else names.shortNames = requested.shortNames;
  }
  check('kind', used.kinds, 'KindConflict');
  check('listKind', used.kinds, 'ListKindConflict');
  names.categories = requested.categories;
  if (names.categories === undefined) delete names.categories;
  if (names.shortNames === undefined) delete names.shortNames;

  const namesAccepted: CRDCondition = failure
    ? { type: NamesAccepted, status: 'False', reason: failure.reason, message: failure.message }
    : { type: NamesAccepted, status: 'True', reason: 'NoConflicts', message: 'no conflicts found' };

  let established: CRDCondition = {
    type: Established,
    status: 'False',
    reason: 'NotAccepted',
    message: 'not all names are accepted',
  };
  const old = findCondition(crd, Established);
  if (old) established = { ...old };
  if (established.status !== 'True' && namesAccepted.status === 'True') {
    established = {
      type: Established,
      status: 'False',
      reason: 'Installing',
      message: 'the initial names have been accepted',
    };
  }
  return { names: names as CRDNames, namesAccepted, established };
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
  if (!isRequestURI(annotation)) {
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

/** `url.ParseRequestURI` succeeds: an absolute URL or an absolute path. */
function isRequestURI(s: string): boolean {
  if (s.startsWith('/')) return true;
  try {
    new URL(s);
    return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s);
  } catch {
    return false;
  }
}
