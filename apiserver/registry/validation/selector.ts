/**
 * `metav1.LabelSelector` validation and matching (k8s.io/apimachinery/pkg/apis/meta/v1/validation
 * and `metav1.LabelSelectorAsSelector`). Controllers' selectors must match their pod template's
 * labels; this module answers both "is the selector well formed" and "does it match these labels".
 */
import type { FieldError } from '../../../common/index.js';
import { forbidden, invalid, required } from './field.js';
import { isValidLabelValue } from './names.js';
import { validateLabelName, validateLabels } from './objectmeta.js';

/** `metav1.LabelSelectorRequirement`. */
export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** `metav1.LabelSelector`. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** Options of {@link validateLabelSelector}. */
export interface LabelSelectorValidationOptions {
  /** Upstream's `AllowInvalidLabelValueInSelector` (true only for objects already stored so). */
  allowInvalidLabelValueInSelector?: boolean;
}

/** `ValidateLabelSelector`. */
export function validateLabelSelector(
  ps: LabelSelector | undefined | null,
  path: string,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  if (!ps) return [];
  const errs = validateLabels(ps.matchLabels, `${path}.matchLabels`);
  (ps.matchExpressions ?? []).forEach((expr, i) => {
    errs.push(...validateLabelSelectorRequirement(expr, `${path}.matchExpressions[${i}]`, opts));
  });
  return errs;
}

/** `ValidateLabelSelectorRequirement`. */
export function validateLabelSelectorRequirement(
  sr: LabelSelectorRequirement,
  path: string,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  const values = sr.values ?? [];
  switch (sr.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) {
        errs.push(
          required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"),
        );
      }
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errs.push(
          forbidden(
            `${path}.values`,
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
          ),
        );
      }
      break;
    default:
      errs.push(invalid(`${path}.operator`, sr.operator ?? '', 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(sr.key ?? '', `${path}.key`));
  if (!opts.allowInvalidLabelValueInSelector) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v)) errs.push(invalid(`${path}.values[${i}]`, v, msg));
    });
  }
  return errs;
}

/** True when the selector selects nothing-in-particular (no labels, no expressions). */
export function isEmptySelector(ps: LabelSelector | undefined | null): boolean {
  return (
    !ps ||
    (Object.keys(ps.matchLabels ?? {}).length === 0 && (ps.matchExpressions ?? []).length === 0)
  );
}

/**
 * `LabelSelectorAsSelector(ps).Matches(labels)`: a nil selector matches nothing, an empty one
 * everything; all requirements must hold.
 */
export function selectorMatches(
  ps: LabelSelector | undefined | null,
  labels: Record<string, string> | undefined,
): boolean {
  if (!ps) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(ps.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of ps.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const vals = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !vals.includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * `metav1.FormatLabelSelector`: `app=web,tier in (a,b)`; `<none>` for an empty selector and
 * `<error>` for a malformed one, as kubectl's printers show it.
 */
export function formatLabelSelector(ps: LabelSelector | undefined | null): string {
  if (!ps) return '<none>';
  const reqs: Array<[string, string]> = [];
  for (const k of Object.keys(ps.matchLabels ?? {})) reqs.push([k, `${k}=${ps.matchLabels![k]}`]);
  for (const e of ps.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        reqs.push([e.key, `${e.key} in (${vals})`]);
        break;
      case 'NotIn':
        reqs.push([e.key, `${e.key} notin (${vals})`]);
        break;
      case 'Exists':
        reqs.push([e.key, e.key]);
        break;
      case 'DoesNotExist':
        reqs.push([e.key, `!${e.key}`]);
        break;
      default:
        return '<error>';
    }
  }
  // labels.internalSelector sorts its requirements by key.
  reqs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return reqs.length ? reqs.map((r) => r[1]).join(',') : '<none>';
}

/** `labels.FormatLabels` / `labels.Set.String()`: `a=1,b=2` sorted, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}
