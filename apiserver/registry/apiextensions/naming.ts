/**
 * The names half of a CRD's lifecycle, as apiextensions-apiserver's NamingConditionController
 * (`calculateNamesAndConditions`) and EstablishingController compute it. Pure functions: the CRD
 * component calls them with the CRD and the other CRDs of the same group and writes the result
 * through `/status`.
 *
 * - A requested name is accepted when it equals the one already accepted for this CRD or no
 *   other CRD of the group has accepted it; otherwise NamesAccepted is False with reason
 *   `PluralConflict`, `SingularConflict`, `ShortNamesConflict`, `KindConflict` or
 *   `ListKindConflict` and the message `"<name>" is already in use`. Accepted names that
 *   conflict keep their previous value.
 * - Established starts False (`NotAccepted`), becomes False/`Installing` once names are accepted,
 *   and True/`InitialNamesAccepted` when the serving side calls {@link establishedCondition}.
 */
import type { KubeObject } from '../types.js';

type Obj = Record<string, unknown>;

/** `CustomResourceDefinitionNames`. */
export interface CRDNames {
  plural?: string;
  singular?: string;
  shortNames?: string[];
  kind?: string;
  listKind?: string;
  categories?: string[];
}

/** `CustomResourceDefinitionCondition` (without timestamps; the caller stamps them). */
export interface CRDCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** Result of {@link calculateNamesAndConditions}. */
export interface NamesAndConditions {
  acceptedNames: CRDNames;
  namesAccepted: CRDCondition;
  established: CRDCondition;
}

function names(obj: KubeObject, where: 'spec' | 'status'): CRDNames {
  const holder = obj[where] as Obj | undefined;
  return ((where === 'spec' ? holder?.names : holder?.acceptedNames) as CRDNames | undefined) ?? {};
}

/** `equalToAcceptedOrFresh`: '' when usable, else the conflict message. */
function conflict(
  requested: string | undefined,
  accepted: string | undefined,
  used: Set<string>,
): string {
  const r = requested ?? '';
  if (r === (accepted ?? '')) return '';
  return used.has(r) ? `"${r}" is already in use` : '';
}

/** Computes accepted names and the NamesAccepted/Established conditions of `crd`. */
export function calculateNamesAndConditions(
  crd: KubeObject,
  others: KubeObject[],
): NamesAndConditions {
  const group = (crd.spec as Obj | undefined)?.group;
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const o of others) {
    if (o.metadata?.name === crd.metadata?.name || (o.spec as Obj | undefined)?.group !== group)
      continue;
    const a = names(o, 'status');
    for (const n of [a.plural, a.singular, ...(a.shortNames ?? [])]) if (n) resources.add(n);
    for (const n of [a.kind, a.listKind]) if (n) kinds.add(n);
  }
  const requested = names(crd, 'spec');
  const accepted = names(crd, 'status');
  const next: CRDNames = { ...accepted };
  const cond: CRDCondition = { type: 'NamesAccepted', status: 'Unknown' };
  const fail = (reason: string, message: string) => {
    cond.status = 'False';
    cond.reason = reason;
    cond.message = message;
  };
  let err = conflict(requested.plural, accepted.plural, resources);
  if (err) fail('PluralConflict', err);
  else next.plural = requested.plural;
  err = conflict(requested.singular, accepted.singular, resources);
  if (err) fail('SingularConflict', err);
  else next.singular = requested.singular;
  if (JSON.stringify(requested.shortNames ?? []) !== JSON.stringify(accepted.shortNames ?? [])) {
    const mine = new Set(accepted.shortNames ?? []);
    const errs = (requested.shortNames ?? [])
      .filter((s) => !mine.has(s))
      .map((s) => conflict(s, '', resources))
      .filter(Boolean);
    if (errs.length)
      fail('ShortNamesConflict', errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
    else next.shortNames = requested.shortNames;
  }
  err = conflict(requested.kind, accepted.kind, kinds);
  if (err) fail('KindConflict', err);
  else next.kind = requested.kind;
  err = conflict(requested.listKind, accepted.listKind, kinds);
  if (err) fail('ListKindConflict', err);
  else next.listKind = requested.listKind;
  if (requested.categories) next.categories = requested.categories;
  else delete next.categories;
  if (cond.status === 'Unknown') {
    cond.status = 'True';
    cond.reason = 'NoConflicts';
    cond.message = 'no conflicts found';
  }
  const conditions =
    ((crd.status as Obj | undefined)?.conditions as CRDCondition[] | undefined) ?? [];
  let established: CRDCondition = conditions.find((c) => c.type === 'Established') ?? {
    type: 'Established',
    status: 'False',
    reason: 'NotAccepted',
    message: 'not all names are accepted',
  };
  if (established.status !== 'True' && cond.status === 'True') {
    established = {
      type: 'Established',
      status: 'False',
      reason: 'Installing',
      message: 'the initial names have been accepted',
    };
  }
  return { acceptedNames: next, namesAccepted: cond, established };
}

/** The Established condition the EstablishingController sets once the CRD is served. */
export function establishedCondition(): CRDCondition {
  return {
    type: 'Established',
    status: 'True',
    reason: 'InitialNamesAccepted',
    message: 'the initial names have been accepted',
  };
}
