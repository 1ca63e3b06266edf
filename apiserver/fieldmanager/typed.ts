/**
 * Values seen through their schema, as structured-merge-diff's `typed` package sees them: the
 * path element of a list item, the type of a child, the set of fields a value sets, and the
 * validation that an applied configuration must pass.
 *
 * Two modes: `strict` (an applied configuration) reports unknown fields (`field not declared in
 * schema`), type mismatches and duplicate list keys as errors; lenient mode (live and updated
 * objects) treats what it cannot type as free-form, as upstream tolerates in stored objects.
 */
import type { SchemaSet } from '../schema/index.js';
import type { Atom, TypeRef } from './atoms.js';
import { atomOf, fieldDefault, valueKind } from './atoms.js';
import type { Path, PathElement } from './fieldpath.js';
import {
  keyElement,
  pathElementToString,
  pathToString,
  serializePathElement,
} from './fieldpath.js';
import { FieldSet } from './set.js';

export interface ValidationError {
  /** upstream path string, e.g. `.spec.foo` (empty for the root). */
  path: string;
  message: string;
}

/** upstream `ValidationErrors.Error()`. */
export function validationErrorsMessage(errors: ValidationError[]): string {
  const one = (e: ValidationError) => (e.path ? `${e.path}: ${e.message}` : e.message);
  if (errors.length === 1) return one(errors[0]);
  return ['errors:', ...errors.map((e) => `  ${one(e)}`)].join('\n');
}

/** Thrown by strict typed conversion. */
export class TypedValueError extends Error {
  constructor(readonly errors: ValidationError[]) {
    super(validationErrorsMessage(errors));
    this.name = 'TypedValueError';
  }
}

export interface TypedContext {
  schemas: SchemaSet;
  strict: boolean;
}

/** The type of the child selected by `pe` under a value of `atom`. */
export function childRef(ctx: TypedContext, atom: Atom, pe: PathElement): TypeRef | undefined {
  if (atom.kind === 'list') return atom.element;
  if (atom.kind === 'map') {
    if ('field' in pe) return atom.fields[pe.field] ?? atom.element;
    return undefined;
  }
  if (atom.kind === 'untypedAtomic') return 'untypedAtomic';
  return 'deduced';
}

/** True when `key` names a declared field of a struct (not a map entry). */
export function isNamedField(atom: Atom, key: string): boolean {
  return atom.kind === 'map' && Object.prototype.hasOwnProperty.call(atom.fields, key);
}

/** The effective atom of a value: deduced and atomic untyped values take the value's shape. */
export function resolve(ctx: TypedContext, ref: TypeRef | undefined, value: unknown): Atom {
  const atom = atomOf(ctx.schemas, ref);
  if (atom.kind === 'deduced') {
    const k = valueKind(value);
    if (k === 'map') return { kind: 'map', atomic: false, fields: {}, element: 'deduced' };
    if (k === 'list')
      return { kind: 'list', associative: false, keys: [], element: 'untypedAtomic' };
    return { kind: 'scalar', scalar: 'untyped' };
  }
  if (atom.kind === 'untypedAtomic') {
    const k = valueKind(value);
    if (k === 'map') return { kind: 'map', atomic: true, fields: {}, element: 'untypedAtomic' };
    if (k === 'list')
      return { kind: 'list', associative: false, keys: [], element: 'untypedAtomic' };
    return { kind: 'scalar', scalar: 'untyped' };
  }
  return atom;
}

/**
 * The path element of a list item: its key fields (`k:`) in a keyed list, its value (`v:`) in a
 * set, its index (`i:`) in an atomic list. Missing keys take the key field's schema default.
 * Returns undefined (and records an error) when the element cannot be named.
 */
export function listItemElement(
  ctx: TypedContext,
  atom: Extract<Atom, { kind: 'list' }>,
  item: unknown,
  index: number,
  errors: ValidationError[],
  path: Path,
): PathElement | undefined {
  if (!atom.associative) return { index };
  const where = () => pathToString(path);
  if (atom.keys.length > 0) {
    if (valueKind(item) !== 'map') {
      errors.push({
        path: where(),
        message: `element ${index}: associative list with keys may not have non-map elements`,
      });
      return undefined;
    }
    const map = item as Record<string, unknown>;
    const fields: [string, unknown][] = [];
    for (const key of atom.keys) {
      let v = map[key];
      if (v === undefined || v === null) v = fieldDefault(ctx.schemas, atom.element, key);
      if (v === undefined || v === null) {
        errors.push({
          path: where(),
          message: `element ${index}: associative list with keys has an element that omits key field "${key}" (and doesn't have default value)`,
        });
        return undefined;
      }
      fields.push([key, v]);
    }
    return keyElement(fields);
  }
  const k = valueKind(item);
  if (k === 'map' || k === 'list') {
    errors.push({
      path: where(),
      message: `element ${index}: associative list without keys has an element that's a ${k === 'map' ? 'map' : 'list'} type`,
    });
    return undefined;
  }
  return { value: item };
}

/** The set of fields `value` sets (upstream `ToFieldSet`), with the errors found on the way. */
export function toFieldSet(
  ctx: TypedContext,
  ref: TypeRef,
  value: unknown,
): { set: FieldSet; errors: ValidationError[] } {
  const set = new FieldSet();
  const errors: ValidationError[] = [];
  walk(ctx, ref, value, [], set, errors);
  return { set, errors };
}

/** Strict conversion check: throws {@link TypedValueError} when `value` does not fit `ref`. */
export function validateTyped(ctx: TypedContext, ref: TypeRef, value: unknown): FieldSet {
  const { set, errors } = toFieldSet({ ...ctx, strict: true }, ref, value);
  if (errors.length > 0) throw new TypedValueError(errors);
  return set;
}

function walk(
  ctx: TypedContext,
  ref: TypeRef | undefined,
  value: unknown,
  path: Path,
  set: FieldSet,
  errors: ValidationError[],
): void {
  const atom = resolve(ctx, ref, value);
  const kind = valueKind(value);
  switch (atom.kind) {
    case 'scalar':
      if (ctx.strict) checkScalar(atom.scalar, value, path, errors);
      set.insert(path);
      return;
    case 'list': {
      if (kind !== 'list') {
        if (kind !== 'null' && ctx.strict)
          errors.push({
            path: pathToString(path),
            message: `expected list, got ${describe(value)}`,
          });
        if (!atom.associative || kind !== 'null') set.insert(path);
        return;
      }
      if (!atom.associative) {
        set.insert(path);
        return;
      }
      const seen = new Set<string>();
      (value as unknown[]).forEach((item, i) => {
        const pe = listItemElement(ctx, atom, item, i, errors, path);
        if (!pe) return;
        const id = serializePathElement(pe);
        if (seen.has(id)) {
          if (ctx.strict) {
            errors.push({
              path: pathToString(path),
              message: `duplicate entries for key ${pathElementToString(pe)}`,
            });
          }
          return;
        }
        seen.add(id);
        const childPath = [...path, pe];
        walk(ctx, atom.element, item, childPath, set, errors);
        set.insert(childPath);
      });
      return;
    }
    case 'map': {
      if (kind !== 'map') {
        if (kind !== 'null' && ctx.strict)
          errors.push({
            path: pathToString(path),
            message: `expected map, got ${describe(value)}`,
          });
        if (atom.atomic) set.insert(path);
        return;
      }
      if (atom.atomic) {
        set.insert(path);
        return;
      }
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const childPath: Path = [...path, { field: key }];
        const named = isNamedField(atom, key);
        let type: TypeRef | undefined = named ? atom.fields[key] : atom.element;
        if (type === undefined) {
          if (ctx.strict) {
            errors.push({ path: pathToString(childPath), message: 'field not declared in schema' });
            continue;
          }
          type = 'deduced';
        }
        walk(ctx, type, child, childPath, set, errors);
        if (!named) set.insert(childPath);
      }
      return;
    }
    default:
      set.insert(path);
  }
}

function checkScalar(type: string, value: unknown, path: Path, errors: ValidationError[]): void {
  if (value === null || value === undefined) return;
  const t = typeof value;
  const ok =
    type === 'string'
      ? t === 'string'
      : type === 'numeric'
        ? t === 'number'
        : type === 'boolean'
          ? t === 'boolean'
          : t === 'string' || t === 'number' || t === 'boolean';
  if (ok) return;
  const expected =
    type === 'numeric' ? 'numeric (int or float)' : type === 'untyped' ? 'any scalar' : type;
  errors.push({
    path: pathToString(path),
    message: `expected ${expected}, got ${describe(value)}`,
  });
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `list ${JSON.stringify(value)}`;
  if (value !== null && typeof value === 'object') return `map ${JSON.stringify(value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * upstream `Set.EnsureNamedFieldsAreMembers`: every path that has children and names a struct
 * field becomes a member too, so removing it removes the whole field.
 */
export function ensureNamedFieldsAreMembers(
  ctx: TypedContext,
  fs: FieldSet,
  ref: TypeRef | undefined,
): FieldSet {
  const out = new FieldSet();
  const atom = atomOf(ctx.schemas, ref);
  visitEnsure(ctx, fs, atom, [], out);
  return out;
}

function visitEnsure(
  ctx: TypedContext,
  fs: FieldSet,
  atom: Atom,
  prefix: Path,
  out: FieldSet,
): void {
  for (const pe of fs.memberElements()) out.insert([...prefix, pe]);
  for (const { pe, set } of fs.childEntries()) {
    if ('field' in pe && isNamedField(atom, pe.field)) out.insert([...prefix, pe]);
    const child = childRef(ctx, atom, pe);
    visitEnsure(ctx, set, atomOf(ctx.schemas, child), [...prefix, pe], out);
  }
}
