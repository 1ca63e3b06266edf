/**
 * Constructors for {@link FieldError}s, one per upstream `field.*` function
 * (k8s.io/apimachinery/pkg/util/validation/field/errors.go), so validation code reads like
 * upstream's: `required('spec.selector')`, `invalid('spec.replicas', -1, 'must be …')`.
 *
 * Paths are plain strings in upstream's notation: `spec.containers[0].image`, `metadata.labels[app]`.
 */
import { CauseType, type FieldError } from '../../../common/index.js';

/** `field.Required`: `spec.selector: Required value`. */
export function required(field: string, detail = ''): FieldError {
  return { type: CauseType.FieldValueRequired, field, ...(detail ? { detail } : {}) };
}

/** `field.Invalid`: `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export function invalid(field: string, value: unknown, detail = ''): FieldError {
  return { type: CauseType.FieldValueInvalid, field, value, ...(detail ? { detail } : {}) };
}

/** `field.NotSupported`: `Unsupported value: "x": supported values: "a", "b"`. */
export function notSupported(field: string, value: unknown, valid: readonly string[]): FieldError {
  const detail = valid.length
    ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}`
    : '';
  return { type: CauseType.FieldValueNotSupported, field, value, ...(detail ? { detail } : {}) };
}

/** `field.Forbidden`: `spec.x: Forbidden: <detail>`. */
export function forbidden(field: string, detail: string): FieldError {
  return { type: CauseType.FieldValueForbidden, field, detail };
}

/** `field.Duplicate`: `spec.ports[1].name: Duplicate value: "http"`. */
export function duplicate(field: string, value: unknown): FieldError {
  return { type: CauseType.FieldValueDuplicate, field, value };
}

/** `field.NotFound`. */
export function notFound(field: string, value: unknown): FieldError {
  return { type: CauseType.FieldValueNotFound, field, value };
}

/** `field.TooLong`: `Too long: may not be more than 262144 bytes`. */
export function tooLong(field: string, maxLength: number): FieldError {
  const unit = maxLength === 1 ? 'byte' : 'bytes';
  return {
    type: CauseType.FieldValueTooLong,
    field,
    detail: maxLength >= 0 ? `may not be more than ${maxLength} ${unit}` : 'value is too long',
  };
}

/** `field.TooMany`: `Too many: 5: must have at most 4 items`. */
export function tooMany(field: string, actual: number, max: number): FieldError {
  const unit = max === 1 ? 'item' : 'items';
  return {
    type: CauseType.FieldValueTooMany,
    field,
    detail: max >= 0 ? `must have at most ${max} ${unit}` : 'has too many items',
    ...(actual >= 0 ? { value: actual } : {}),
  };
}

/** `apivalidation.ValidateImmutableField`: `Invalid value: …: field is immutable`. */
export function validateImmutableField(
  newVal: unknown,
  oldVal: unknown,
  field: string,
): FieldError[] {
  return deepEqual(newVal, oldVal) ? [] : [invalid(field, newVal, fieldImmutableErrorMsg)];
}

/** Upstream's `apimachineryvalidation.FieldImmutableErrorMsg`. */
export const fieldImmutableErrorMsg = 'field is immutable';

/**
 * Semantic deep equality of JSON values, as `apiequality.Semantic.DeepEqual` treats them: an
 * absent field, `null`, an empty object and an empty array are all "unset" and equal.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}
