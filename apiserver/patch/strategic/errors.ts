/**
 * Strategic-merge-patch errors with upstream's texts (k8s.io/apimachinery/pkg/util/mergepatch and
 * strategicpatch) and upstream's mapping to responses (`interpretStrategicMergePatchError` in the
 * apiserver's patch handler):
 *
 * - malformed directives → 400 BadRequest with the error text;
 * - lists of lists and retainKeys content mismatches → 422 with upstream's generic message;
 * - everything else (a missing merge key, an unknown `$patch` value, …) → 500 with reason
 *   `Unknown` and the error text, as the apiserver answers any error that is not a Status.
 *
 * Values inside messages are rendered the way Go's `%v` renders decoded JSON
 * (`map[name:a port:80]`, `[a b]`), so messages match upstream's byte for byte.
 */
import { StatusError, newBadRequest } from '../../../common/index.js';

/** Why a strategic merge patch failed; `status()` gives the response upstream would send. */
export class StrategicMergePatchError extends Error {
  constructor(
    message: string,
    readonly kind: 'BadRequest' | 'Unprocessable' | 'Internal',
  ) {
    super(message);
    this.name = 'StrategicMergePatchError';
  }

  /** The response upstream's patch handler sends for this error. */
  status(): StatusError {
    switch (this.kind) {
      case 'BadRequest':
        return newBadRequest(this.message);
      case 'Unprocessable':
        return new StatusError({
          code: 422,
          reason: 'Invalid',
          message: 'the server rejected our request due to an error in our request',
          details: {},
        });
      default:
        return new StatusError({ code: 500, reason: '', message: this.message });
    }
  }
}

const bad = (m: string) => new StrategicMergePatchError(m, 'BadRequest');
const internal = (m: string) => new StrategicMergePatchError(m, 'Internal');

export const errBadJSONDoc = () => bad('invalid JSON document');
export const errBadPatchFormatForPrimitiveList = () =>
  bad('invalid patch format of primitive list');
export const errBadPatchFormatForRetainKeys = () => bad('invalid patch format of retainKeys');
export const errBadPatchFormatForSetElementOrderList = () =>
  bad('invalid patch format of setElementOrder list');
export const errNoListOfLists = () =>
  new StrategicMergePatchError('lists of lists are not supported', 'Unprocessable');

export function errNoMergeKey(m: Record<string, unknown>, key: string): StrategicMergePatchError {
  return internal(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}

export function errBadPatchType(t: unknown, m: Record<string, unknown>): StrategicMergePatchError {
  return internal(`unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);
}

/** `expected a []interface {}, but received a map[string]interface {}`. */
export function errBadArgType(
  expected: 'map' | 'slice',
  actual: unknown,
): StrategicMergePatchError {
  return internal(`expected a ${goTypeName(expected)}, but received a ${goTypeOf(actual)}`);
}

export function errSetElementOrderMismatch(
  patch: unknown[],
  order: unknown[],
): StrategicMergePatchError {
  return internal(
    `The order in patch list:\n${goFormat(patch)}\n doesn't match $setElementOrder list:\n${goFormat(order)}\n`,
  );
}

export const errMergingListsInPatch = () =>
  internal('merging lists cannot yet be specified in the patch');

export const errListMixedTypes = (lists: unknown[][]) =>
  internal(`list element types are not identical: ${lists.map(goFormat).join(' ')}`);

export const errNoElements = () => internal('no elements in any of the given slices');

export const errNoMergeKeyForList = (name: string) =>
  internal(`cannot merge lists without merge key for ${name}`);

export const errUnexpectedPatchStrategy = (strategies: string[]) =>
  internal(`unexpected patch strategy: ${goFormat(strategies)}`);

function goTypeName(kind: 'map' | 'slice'): string {
  return kind === 'map' ? 'map[string]interface {}' : '[]interface {}';
}

/** Go's `reflect.TypeOf(v)` for a decoded JSON value. */
export function goTypeOf(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'object':
      return 'map[string]interface {}';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int64' : 'float64';
    default:
      return typeof v;
  }
}

/** Go's `%v` rendering of a decoded JSON value: maps with sorted keys, slices space-separated. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.keys(v as object)
      .sort()
      .map((k) => `${k}:${goFormat((v as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(v);
}
