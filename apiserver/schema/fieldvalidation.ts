/**
 * Server-side field validation (`fieldValidation=Ignore|Warn|Strict`, KEP-2885): unknown fields
 * found by walking an object against its schema, duplicate fields found in the raw body (see
 * `duplicates.ts`), and the upstream outcomes:
 *
 * - `Ignore`: nothing is reported; unknown fields are dropped by the caller as usual.
 * - `Warn` (the server's default when the parameter is absent): one `Warning` header per problem,
 *   e.g. `unknown field "spec.foo"`; the request proceeds.
 * - `Strict`: 400 BadRequest, `Deployment in version "v1" cannot be handled as a Deployment:
 *   strict decoding error: unknown field "spec.foo", duplicate field "spec.replicas"`.
 *
 * Unknown-field paths join keys with dots and indexes as `[i]`, as sigs.k8s.io/json does.
 * Fields under free-form objects, `additionalProperties` maps and
 * `x-kubernetes-preserve-unknown-fields` nodes are never unknown; `x-kubernetes-embedded-resource`
 * nodes always allow `apiVersion`, `kind` and `metadata`.
 */
import type { StatusError } from '../../common/index.js';
import { newBadRequest, newInvalid } from '../../common/index.js';
import type { SchemaSet } from './schemaset.js';
import type { Schema } from './types.js';
import { effective } from './walk.js';

export type FieldValidationDirective = 'Ignore' | 'Warn' | 'Strict';

/** The problems found in one request body, each worded as upstream's strict decoder words it. */
export interface FieldValidationResult {
  /** e.g. `unknown field "spec.foo"`, `duplicate field "spec.replicas"`. */
  errors: string[];
}

const directives: readonly FieldValidationDirective[] = ['Ignore', 'Warn', 'Strict'];

/**
 * Parses the `fieldValidation` query parameter. Absent or empty means `Warn` (upstream's server
 * default). An unknown value is rejected as upstream validates `<optionsKind>`:
 * 422 `CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "x": …`.
 */
export function parseFieldValidation(
  raw: string | undefined,
  optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' = 'CreateOptions',
): FieldValidationDirective {
  if (raw === undefined || raw === '') return 'Warn';
  if ((directives as readonly string[]).includes(raw)) return raw as FieldValidationDirective;
  throw newInvalid({ group: 'meta.k8s.io', kind: optionsKind }, '', [
    {
      type: 'FieldValueNotSupported',
      field: 'fieldValidation',
      value: raw,
      detail: `supported values: ${directives.map((d) => `"${d}"`).join(', ')}`,
    },
  ]);
}

/**
 * Unknown fields of `value` under the schema node `root` (typically the definition of the
 * object's kind). Returns messages in document order.
 */
export function checkFields(set: SchemaSet, root: Schema | undefined, value: unknown): string[] {
  const unknown: string[] = [];
  walk(set, effective(set, root), value, '', unknown);
  return unknown.map((path) => `unknown field "${path}"`);
}

function walk(
  set: SchemaSet,
  node: Schema | undefined,
  value: unknown,
  path: string,
  out: string[],
): void {
  if (node === undefined || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    const items = effective(set, node.items);
    value.forEach((item, i) => walk(set, items, item, `${path}[${i}]`, out));
    return;
  }
  const props = node.properties;
  const additional =
    typeof node.additionalProperties === 'object'
      ? effective(set, node.additionalProperties)
      : undefined;
  const freeForm =
    node['x-kubernetes-preserve-unknown-fields'] === true ||
    node.additionalProperties === true ||
    (props === undefined && node.additionalProperties === undefined);
  const embedded = node['x-kubernetes-embedded-resource'] === true;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    const prop = props?.[key];
    if (prop !== undefined) walk(set, effective(set, prop), child, childPath, out);
    else if (additional !== undefined) walk(set, additional, child, childPath, out);
    else if (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
    else if (!freeForm) out.push(childPath);
  }
}

/** `strict decoding error: unknown field "spec.foo", duplicate field "x"`. */
export function strictDecodingMessage(errors: string[]): string {
  return `strict decoding error: ${errors.join(', ')}`;
}

/**
 * The 400 a create or update with `fieldValidation=Strict` gets:
 * `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: …`.
 */
export function newStrictDecodingError(
  kind: string,
  version: string,
  errors: string[],
): StatusError {
  return newBadRequest(
    `${kind} in version "${version}" cannot be handled as a ${kind}: ${strictDecodingMessage(errors)}`,
  );
}

/**
 * Applies a directive to the problems found: returns the `Warning` header texts for `Warn`
 * (none for `Ignore`), or throws {@link newStrictDecodingError} for `Strict` when there are any.
 */
export function enforceFieldValidation(
  directive: FieldValidationDirective,
  errors: string[],
  target: { kind: string; version: string },
): string[] {
  if (directive === 'Ignore' || errors.length === 0) return [];
  if (directive === 'Strict') throw newStrictDecodingError(target.kind, target.version, errors);
  return [...errors];
}
