/**
 * Validation of a custom resource against its version's schema, as apiextensions-apiserver does
 * it with kube-openapi's SchemaValidator (pkg/validation/validate) and turns the result into field
 * errors (`kubeOpenAPIResultToFieldErrors`).
 *
 * Behaviour kept from upstream:
 * - Per node, validators run in kube-openapi's order — type, allOf/anyOf/oneOf/not, string
 *   (maxLength, else minLength, else pattern), format, number (multipleOf, minimum, maximum),
 *   array (each item, then minItems, maxItems, uniqueItems), enum, object (min/maxProperties —
 *   which stop the object's other checks — then values of additionalProperties, properties,
 *   required). Properties are visited in name order (upstream's map order is random).
 * - Messages are upstream's: `spec.replicas in body should be less than or equal to 10`, with
 *   the path relative to what is validated (the `/status` validation validates `status` alone).
 * - Field errors: required → `Required value`; enum → `Unsupported value` with the allowed values;
 *   maxLength → `Too long`; maxItems/maxProperties → `Too many`; type and format →
 *   `Invalid value: "<type>"` (TypeInvalid); the rest → `Invalid value`; junctor failures are
 *   reported on the validation's root path (`<nil>` for the whole object) as upstream does.
 * - Ratcheting (CRDValidationRatcheting, on since 1.30): on update, errors of a value equal to its
 *   correlated old value are dropped. Objects correlate by key, `x-kubernetes-list-type: map`
 *   items by their keys, `set` items by value; atomic list items are not correlated.
 *
 * `x-kubernetes-validations` (CEL rules) are evaluated separately, by `cel.ts`.
 */
import { CauseType, type FieldError } from '../../../common/index.js';
import { invalid, notSupported, required, tooLong, tooMany } from '../../registry/index.js';
import { isSupportedFormat, matchesFormat } from './formats.js';
import {
  additionalOf,
  canonicalJSON,
  isIntOrString,
  isNullable,
  isObject,
  itemsOf,
  jsonEqual,
  jsonType,
  propertiesOf,
  type SchemaNode,
} from './node.js';

/** The correlated old value of a node, when there is one (ratcheting). */
export interface Old {
  value: unknown;
}

interface Walk {
  /** The field path errors are reported under (`status` for the status validation). */
  base: string;
  errors: FieldError[];
}

/** Options of {@link validateCustomResource}. */
export interface ValidateOptions {
  /** Field path of the validated value, e.g. `status`; default: the object root. */
  basePath?: string;
  /** The stored value, for ratcheting on update. */
  old?: unknown;
}

/**
 * Field errors of `value` under `schema` (none when `schema` is undefined). See the module
 * comment for order and messages.
 */
export function validateCustomResource(
  schema: SchemaNode | undefined,
  value: unknown,
  options: ValidateOptions = {},
): FieldError[] {
  if (!schema) return [];
  const w: Walk = { base: options.basePath ?? '', errors: [] };
  const old = 'old' in options && options.old !== undefined ? { value: options.old } : undefined;
  validateNode(w, schema, value, '', old);
  return w.errors;
}

function fieldPath(w: Walk, name: string): string {
  const rel = name.startsWith('.') ? name.slice(1) : name;
  if (!rel) return w.base || '<nil>';
  return w.base ? `${w.base}.${rel}` : rel;
}

/** `name in body …`; kube-openapi prints an empty name as is. */
function msg(name: string, text: string): string {
  return `${name} in body ${text}`;
}

function validateNode(
  w: Walk,
  s: SchemaNode,
  data: unknown,
  path: string,
  old: Old | undefined,
): void {
  const start = w.errors.length;
  runValidators(w, s, data, path, old);
  if (old && w.errors.length > start && jsonEqual(data, old.value)) w.errors.length = start;
}

function typesOf(s: SchemaNode): string[] {
  if (isIntOrString(s)) return ['integer', 'string'];
  return typeof s.type === 'string' && s.type ? [s.type] : [];
}

function runValidators(
  w: Walk,
  s: SchemaNode,
  data: unknown,
  path: string,
  old: Old | undefined,
): void {
  const types = typesOf(s);
  const format = typeof s.format === 'string' && isSupportedFormat(s.format) ? s.format : undefined;
  if (data === null || data === undefined) {
    if (types.length > 0 && !isNullable(s)) typeError(w, path, types.join(','), 'null');
    checkEnum(w, s, null, path);
    return;
  }
  const actual = jsonType(data);
  if (types.length > 0 || format) {
    const ok = types.includes(actual) || (actual === 'integer' && types.includes('number'));
    const formatOnString = format && actual === 'string' && !types.some(isNumeric);
    if (types.length > 0 && !ok && !formatOnString) typeError(w, path, types.join(','), actual);
  }
  junctors(w, s, data, path);
  if (typeof data === 'string') {
    checkString(w, s, data, path);
    if (format && !matchesFormat(format, data)) {
      w.errors.push({
        type: CauseType.FieldValueTypeInvalid,
        field: fieldPath(w, path),
        value: data,
        detail: msg(path, `must be of type ${format}: ${JSON.stringify(data)}`),
      });
    }
  }
  if (typeof data === 'number') checkNumber(w, s, data, path);
  if (Array.isArray(data)) checkArray(w, s, data, path, old);
  checkEnum(w, s, data, path);
  if (isObject(data)) checkObject(w, s, data, path, old);
}

const isNumeric = (t: string) => t === 'integer' || t === 'number';

function typeError(w: Walk, path: string, expected: string, actual: string): void {
  w.errors.push({
    type: CauseType.FieldValueTypeInvalid,
    field: fieldPath(w, path),
    value: actual,
    detail: msg(path, `must be of type ${expected}: ${JSON.stringify(actual)}`),
  });
}

function checkString(w: Walk, s: SchemaNode, data: string, path: string): void {
  const length = [...data].length;
  if (typeof s.maxLength === 'number' && length > s.maxLength) {
    w.errors.push(tooLong(fieldPath(w, path), s.maxLength));
  } else if (typeof s.minLength === 'number' && length < s.minLength) {
    w.errors.push(
      invalid(fieldPath(w, path), data, msg(path, `should be at least ${s.minLength} chars long`)),
    );
  } else if (typeof s.pattern === 'string' && s.pattern && !patternMatches(s.pattern, data)) {
    w.errors.push(invalid(fieldPath(w, path), data, msg(path, `should match '${s.pattern}'`)));
  }
}

const patternCache = new Map<string, RegExp | null>();

function patternMatches(pattern: string, value: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re === null ? true : re.test(value);
}

function checkNumber(w: Walk, s: SchemaNode, data: number, path: string): void {
  const field = fieldPath(w, path);
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
    const q = data / s.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) {
      w.errors.push(invalid(field, data, msg(path, `should be a multiple of ${s.multipleOf}`)));
    }
  }
  if (typeof s.minimum === 'number') {
    const exclusive = s.exclusiveMinimum === true;
    if (exclusive ? data <= s.minimum : data < s.minimum) {
      const text = exclusive ? 'should be greater than' : 'should be greater than or equal to';
      w.errors.push(invalid(field, data, msg(path, `${text} ${s.minimum}`)));
    }
  }
  if (typeof s.maximum === 'number') {
    const exclusive = s.exclusiveMaximum === true;
    if (exclusive ? data >= s.maximum : data > s.maximum) {
      const text = exclusive ? 'should be less than' : 'should be less than or equal to';
      w.errors.push(invalid(field, data, msg(path, `${text} ${s.maximum}`)));
    }
  }
}

function checkArray(
  w: Walk,
  s: SchemaNode,
  data: unknown[],
  path: string,
  old: Old | undefined,
): void {
  const items = itemsOf(s);
  if (items) {
    const oldItems = old && Array.isArray(old.value) ? old.value : undefined;
    data.forEach((item, i) => {
      validateNode(w, items, item, `${path}[${i}]`, correlateItem(s, item, oldItems));
    });
  }
  const field = fieldPath(w, path);
  if (typeof s.minItems === 'number' && data.length < s.minItems) {
    w.errors.push(
      invalid(field, data.length, msg(path, `should have at least ${s.minItems} items`)),
    );
  }
  if (typeof s.maxItems === 'number' && data.length > s.maxItems) {
    w.errors.push(tooMany(field, data.length, s.maxItems));
  }
  if (s.uniqueItems === true) {
    const seen = new Set(data.map(canonicalJSON));
    if (seen.size !== data.length) {
      w.errors.push(invalid(field, '', msg(path, "shouldn't contain duplicates")));
    }
  }
}

/** The old list item a new item correlates with (ratcheting), by list type. */
export function correlateItem(
  s: SchemaNode,
  item: unknown,
  oldItems: unknown[] | undefined,
): Old | undefined {
  if (!oldItems) return undefined;
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') {
    return oldItems.some((o) => jsonEqual(o, item)) ? { value: item } : undefined;
  }
  if (listType !== 'map' || !isObject(item)) return undefined;
  const keys = Array.isArray(s['x-kubernetes-list-map-keys'])
    ? (s['x-kubernetes-list-map-keys'] as string[])
    : [];
  const match = oldItems.find((o) => isObject(o) && keys.every((k) => jsonEqual(o[k], item[k])));
  return match === undefined ? undefined : { value: match };
}

function checkEnum(w: Walk, s: SchemaNode, data: unknown, path: string): void {
  if (!Array.isArray(s.enum) || s.enum.length === 0) return;
  if (s.enum.some((e) => jsonEqual(e, data))) return;
  const values = s.enum.map((e) => (typeof e === 'string' ? e : canonicalJSON(e)));
  w.errors.push(notSupported(fieldPath(w, path), data, values));
}

function checkObject(
  w: Walk,
  s: SchemaNode,
  data: Record<string, unknown>,
  path: string,
  old: Old | undefined,
): void {
  const n = Object.keys(data).length;
  const field = fieldPath(w, path);
  if (typeof s.minProperties === 'number' && n < s.minProperties) {
    w.errors.push(
      invalid(field, n, msg(path, `should have at least ${s.minProperties} properties`)),
    );
    return;
  }
  if (typeof s.maxProperties === 'number' && n > s.maxProperties) {
    w.errors.push(tooMany(field, n, s.maxProperties));
    return;
  }
  const oldObj = old && isObject(old.value) ? old.value : undefined;
  const childOld = (key: string): Old | undefined =>
    oldObj && Object.prototype.hasOwnProperty.call(oldObj, key)
      ? { value: oldObj[key] }
      : undefined;
  const props = propertiesOf(s);
  const additional = additionalOf(s);
  if (additional !== undefined && additional !== true) {
    for (const key of Object.keys(data).sort()) {
      if (Object.prototype.hasOwnProperty.call(props, key)) continue;
      validateNode(w, additional, data[key], `${path}.${key}`, childOld(key));
    }
  }
  for (const key of Object.keys(props).sort()) {
    if (!Object.prototype.hasOwnProperty.call(data, key)) continue;
    const child = path === '' ? key : `${path}.${key}`;
    validateNode(w, props[key]!, data[key], child, childOld(key));
  }
  const req = Array.isArray(s.required) ? (s.required as string[]) : [];
  for (const key of req) {
    if (!Object.prototype.hasOwnProperty.call(data, key)) {
      w.errors.push(required(fieldPath(w, `${path}.${key}`)));
    }
  }
}

/** allOf, anyOf, oneOf and not: value validations only (structural schemas). */
function junctors(w: Walk, s: SchemaNode, data: unknown, path: string): void {
  const sub = (node: unknown): FieldError[] => {
    if (!isObject(node)) return [];
    const inner: Walk = { base: w.base, errors: [] };
    runValidators(inner, node, data, path, undefined);
    return inner.errors;
  };
  const root = w.base || '<nil>';
  const junctorError = (text: string) =>
    w.errors.push({ type: CauseType.FieldValueInvalid, field: root, value: '', detail: text });
  const anyOf = Array.isArray(s.anyOf) ? s.anyOf : [];
  if (anyOf.length > 0 && !isIntOrString(s)) {
    const results = anyOf.map(sub);
    if (!results.some((r) => r.length === 0)) {
      junctorError(`${JSON.stringify(path)} must validate at least one schema (anyOf)`);
      w.errors.push(...fewest(results));
    }
  }
  const oneOf = Array.isArray(s.oneOf) ? s.oneOf : [];
  if (oneOf.length > 0) {
    const results = oneOf.map(sub);
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== 1) {
      const extra = valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`;
      junctorError(
        `${JSON.stringify(path)} must validate one and only one schema (oneOf). ${extra}`,
      );
      if (valid === 0) w.errors.push(...fewest(results));
    }
  }
  const allOf = Array.isArray(s.allOf) ? s.allOf : [];
  if (allOf.length > 0) {
    const results = allOf.map(sub);
    for (const r of results) w.errors.push(...r);
    const valid = results.filter((r) => r.length === 0).length;
    if (valid !== allOf.length) {
      const extra = valid === 0 ? '. None validated' : '';
      junctorError(`${JSON.stringify(path)} must validate all the schemas (allOf)${extra}`);
    }
  }
  if (isObject(s.not) && sub(s.not).length === 0) {
    junctorError(`${JSON.stringify(path)} must not validate the schema (not)`);
  }
}

/** The failures of the alternative that came closest (kube-openapi picks by match count). */
function fewest(results: FieldError[][]): FieldError[] {
  return results.reduce((best, r) => (r.length < best.length ? r : best), results[0] ?? []);
}
