/**
 * `x-kubernetes-validations` rules (apiextensions-apiserver pkg/apiserver/schema/cel), evaluated
 * with @bufbuild/cel: the standard CEL library, its strings extension (`lowerAscii`, `format`,
 * `split`, …) and Kubernetes' list functions `isSorted`, `sum`, `min`, `max`, and the regex
 * functions `find` / `findAll`.
 *
 * Semantics kept from upstream:
 * - A rule runs at its schema node for every value present there (not for `null`), with `self`
 *   bound to that value; at the resource root `self.metadata` holds only `name` and
 *   `generateName`. Values are typed by the schema: `integer` (and integral int-or-string) as
 *   CEL `int`, `number` as `double`, objects and maps as maps, arrays as lists.
 * - Transition rules (using `oldSelf`) run only on update and only where the value has a
 *   correlated old value (as for ratcheting; `optionalOldSelf` is not supported and such rules
 *   are skipped on create).
 * - A rule that evaluates to false → `field.Invalid(path, <schema type>, message)`, the message
 *   being `messageExpression`'s result, else `message`, else `failed rule: <rule>`; `reason`
 *   selects Forbidden / Required / Duplicate; `fieldPath` moves the error to a sub-path.
 *   Evaluation errors → `<error> evaluating rule: <rule>`; a missing field is upstream's
 *   `no such key: <name>`.
 * - Unchanged values are ratcheted on update (no errors), like the schema's other validations.
 * - CEL runs only when the schema validation found no blocking error (type, required, enum,
 *   maxLength, maxItems, maxProperties); otherwise one error says the rules were not checked.
 *
 * Not done: static type checking and cost estimation of rules (the CRD's own validation owns
 * those), `format: date-time`/`duration` values as CEL timestamps/durations (they are strings),
 * and the `quantity`, `url`, `ip`, `cidr` and `semver` libraries (such rules fail to evaluate).
 */
import {
  celEnv,
  celMethod,
  CelScalar,
  isCelError,
  listType,
  parse,
  plan,
  type CelInput,
  type CelList,
  type CelValue,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { CauseType, type FieldError } from '../../../common/index.js';
import { duplicate, forbidden, invalid, required } from '../../registry/index.js';
import {
  additionalOf,
  isIntOrString,
  isObject,
  itemsOf,
  jsonEqual,
  propertiesOf,
  type SchemaNode,
} from './node.js';
import { correlateItem } from './validate.js';

/** One `x-kubernetes-validations` entry. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
}

type Program = (bindings: Record<string, CelInput>) => unknown;

const dynList = listType(CelScalar.DYN);
const compare = (a: CelValue, b: CelValue) =>
  (a as number | bigint | string) < (b as number | bigint | string) ? -1 : a === b ? 0 : 1;
const listFuncs = [
  celMethod('isSorted', dynList, [], CelScalar.BOOL, function (this: CelList) {
    const v = [...this];
    return v.every((x, i) => i === 0 || compare(v[i - 1]!, x) <= 0);
  }),
  celMethod('sum', dynList, [], CelScalar.DYN, function (this: CelList) {
    const v = [...this] as Array<number | bigint>;
    if (v.length === 0) return 0n;
    return v.reduce((a, b) => (typeof a === 'bigint' ? a + (b as bigint) : a + (b as number)));
  }),
  celMethod('min', dynList, [], CelScalar.DYN, function (this: CelList) {
    const v = [...this];
    if (v.length === 0) throw new Error('min called on empty list');
    return v.reduce((a, b) => (compare(b, a) < 0 ? b : a)) as CelInput;
  }),
  celMethod('max', dynList, [], CelScalar.DYN, function (this: CelList) {
    const v = [...this];
    if (v.length === 0) throw new Error('max called on empty list');
    return v.reduce((a, b) => (compare(b, a) > 0 ? b : a)) as CelInput;
  }),
  celMethod(
    'find',
    CelScalar.STRING,
    [CelScalar.STRING],
    CelScalar.STRING,
    function (this: string, re: string) {
      return new RegExp(re, 'u').exec(this)?.[0] ?? '';
    },
  ),
  celMethod(
    'findAll',
    CelScalar.STRING,
    [CelScalar.STRING],
    dynList,
    function (this: string, re: string) {
      return [...this.matchAll(new RegExp(re, 'gu'))].map((m) => m[0]);
    },
  ),
];

const env = celEnv({ funcs: [...strings, ...listFuncs] });
const programs = new Map<string, Program | Error>();

function compile(expr: string): Program | Error {
  let p = programs.get(expr);
  if (p === undefined) {
    try {
      p = plan(env, parse(expr)) as unknown as Program;
    } catch (err) {
      p = err instanceof Error ? err : new Error(String(err));
    }
    programs.set(expr, p);
  }
  return p;
}

/** A JSON value as CEL sees it under `s` (see the module comment). */
function toCel(v: unknown, s: SchemaNode | undefined): CelInput {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (s?.type === 'number') return v;
    return Number.isInteger(v) && (s?.type === 'integer' || isIntOrString(s) || !s?.type)
      ? BigInt(v)
      : v;
  }
  if (Array.isArray(v)) return v.map((x) => toCel(x, itemsOf(s)));
  if (isObject(v)) {
    const props = propertiesOf(s);
    const additional = additionalOf(s);
    return new Map(
      Object.entries(v).map(([k, x]) => [
        k,
        toCel(x, props[k] ?? (additional === true ? undefined : additional)),
      ]),
    );
  }
  return v as CelInput;
}

function rulesOf(s: SchemaNode): ValidationRule[] {
  const r = s['x-kubernetes-validations'];
  return Array.isArray(r) ? (r as ValidationRule[]).filter((x) => typeof x?.rule === 'string') : [];
}

const usesOldSelf = (rule: string) => /\boldSelf\b/.test(rule);

interface Walk {
  errors: FieldError[];
  isUpdate: boolean;
}

/** The errors of every rule in `schema` for `value` (the whole object), ratcheted against `old`. */
export function validateRules(
  schema: SchemaNode | undefined,
  value: unknown,
  old?: unknown,
): FieldError[] {
  if (!schema) return [];
  const w: Walk = { errors: [], isUpdate: old !== undefined };
  walk(w, schema, value, '', old === undefined ? undefined : { value: old }, true);
  return w.errors;
}

function walk(
  w: Walk,
  s: SchemaNode,
  v: unknown,
  path: string,
  old: { value: unknown } | undefined,
  root: boolean,
): void {
  if (v === null || v === undefined) return;
  const start = w.errors.length;
  const rules = rulesOf(s);
  if (rules.length > 0) {
    let self = toCel(v, s);
    if (root && self instanceof Map) self = rootSelf(self);
    const oldSelf = old === undefined ? undefined : toCel(old.value, s);
    for (const rule of rules) evaluate(w, s, rule, path, self, oldSelf);
  }
  if (isObject(v)) {
    const props = propertiesOf(s);
    const additional = additionalOf(s);
    const o = old && isObject(old.value) ? old.value : undefined;
    const child = (k: string) =>
      o && Object.prototype.hasOwnProperty.call(o, k) ? { value: o[k] } : undefined;
    for (const k of Object.keys(v).sort()) {
      const p = props[k] ?? (additional !== true ? additional : undefined);
      if (p) walk(w, p, v[k], path ? `${path}.${k}` : k, child(k), false);
    }
  } else if (Array.isArray(v)) {
    const items = itemsOf(s);
    const olds = old && Array.isArray(old.value) ? old.value : undefined;
    if (items) {
      v.forEach((x, i) => walk(w, items, x, `${path}[${i}]`, correlateItem(s, x, olds), false));
    }
  }
  if (old && w.errors.length > start && jsonEqual(v, old.value)) w.errors.length = start;
}

/** At the root, `self.metadata` has only `name` and `generateName`. */
function rootSelf(self: Map<string, CelInput>): Map<string, CelInput> {
  const meta = self.get('metadata');
  if (!(meta instanceof Map)) return self;
  const kept = new Map<string, CelInput>();
  for (const k of ['name', 'generateName']) if (meta.has(k)) kept.set(k, meta.get(k)!);
  return new Map([...self, ['metadata', kept]]);
}

function evaluate(
  w: Walk,
  s: SchemaNode,
  rule: ValidationRule,
  path: string,
  self: CelInput,
  oldSelf: CelInput | undefined,
): void {
  const transition = usesOldSelf(rule.rule);
  if (transition && oldSelf === undefined) return;
  const type = String(s.type ?? '');
  const field = path || '<nil>';
  const program = compile(rule.rule);
  const bindings: Record<string, CelInput> = transition ? { self, oldSelf: oldSelf! } : { self };
  const result = program instanceof Error ? program : program(bindings);
  const ruleText = rule.rule.trim();
  if (result instanceof Error || isCelError(result)) {
    const msg = celMessage(result as Error);
    w.errors.push(invalid(field, type, `${msg} evaluating rule: ${ruleText}`));
    return;
  }
  if (result === true) return;
  let message = rule.message || `failed rule: ${ruleText}`;
  if (rule.messageExpression) {
    const m = compile(rule.messageExpression);
    const text = m instanceof Error ? undefined : m(bindings);
    if (typeof text === 'string' && text.trim() !== '') message = text;
  }
  const at = rule.fieldPath ? joinFieldPath(path, rule.fieldPath) : field;
  w.errors.push(errorFor(rule.reason, at, type, message));
}

function celMessage(err: Error): string {
  const m = /^field not found: (.*)$/.exec(err.message);
  return m ? `no such key: ${m[1]}` : err.message;
}

function joinFieldPath(path: string, fieldPath: string): string {
  const rel = fieldPath.replace(/^\./, '');
  return path ? `${path}.${rel}` : rel;
}

function errorFor(
  reason: string | undefined,
  field: string,
  type: string,
  detail: string,
): FieldError {
  switch (reason) {
    case CauseType.FieldValueForbidden:
      return forbidden(field, detail);
    case CauseType.FieldValueRequired:
      return required(field, detail);
    case CauseType.FieldValueDuplicate:
      return duplicate(field, type);
    default:
      return invalid(field, type, detail);
  }
}

/** Whether any node of `schema` has `x-kubernetes-validations` (else upstream has no CEL validator). */
export function hasRules(s: SchemaNode | undefined): boolean {
  if (!s) return false;
  if (rulesOf(s).length > 0) return true;
  const additional = additionalOf(s);
  return (
    Object.values(propertiesOf(s)).some(hasRules) ||
    hasRules(itemsOf(s)) ||
    (additional !== undefined && additional !== true && hasRules(additional))
  );
}

/** Upstream `hasBlockingErr`: schema errors that keep CEL rules from running. */
export function blockingError(errors: readonly FieldError[]): FieldError | undefined {
  const blocking = new Set<string>([
    CauseType.FieldValueNotSupported,
    CauseType.FieldValueRequired,
    CauseType.FieldValueTooLong,
    CauseType.FieldValueTooMany,
    CauseType.FieldValueTypeInvalid,
  ]);
  if (!errors.some((e) => blocking.has(e.type))) return undefined;
  // field.Invalid(nil, nil, …): a nil value prints as "null".
  return invalid(
    '<nil>',
    'null',
    'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  );
}
