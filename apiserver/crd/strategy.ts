/**
 * The strategy of custom resources (apiextensions-apiserver pkg/registry/customresource:
 * strategy.go, status_strategy.go, validator.go), for one served version.
 *
 * - Decoding: unknown fields are pruned, non-nullable `null`s without default dropped, then
 *   schema defaults applied ({@link CustomResourceStrategy.normalize}, run on every create and
 *   update and on every read from storage).
 * - Create: `status` is dropped when the version has a status subresource; `generation` is 1.
 * - Update: with a status subresource, `status` keeps its stored value; any change outside
 *   `metadata` bumps `generation` (so, with a status subresource, a spec change; without one,
 *   also a status change).
 * - Status update: everything but `status` (and the managedFields of the request) keeps its
 *   stored value.
 * - Validation: apiVersion/kind, ObjectMeta (DNS-subdomain names), the schema (ratcheted on
 *   update), the scale paths' integers and selector string, embedded resources, list-type
 *   set/map uniqueness (ratcheted: not checked on update when the stored object already broke
 *   it), then the `x-kubernetes-validations` CEL rules (`schema/cel.ts`) unless a blocking
 *   schema error stops them.
 */
import type { FieldError } from '../../common/index.js';
import {
  deepEqual,
  invalid,
  nameIsDNSSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type KubeObject,
  type ScaleMapping,
} from '../registry/index.js';
import { applyDefaults, pruneNonNullableNulls } from './schema/default.js';
import { validateEmbeddedResources } from './schema/embedded.js';
import { validateListSetsAndMaps } from './schema/listtype.js';
import { isObject, propertyOf, type SchemaNode } from './schema/node.js';
import { pruneCustomResource } from './schema/prune.js';
import { validateCustomResource } from './schema/validate.js';
import { blockingError, hasRules, validateRules } from './schema/cel.js';

const maxInt32 = 2147483647;

export interface CustomResourceStrategyOptions {
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  /** The version's `openAPIV3Schema`. */
  schema?: SchemaNode;
  /** The version has the `/status` subresource. */
  status: boolean;
  scale?: ScaleMapping;
}

export class CustomResourceStrategy {
  private readonly statusSchema?: SchemaNode;
  private readonly rules: boolean;

  constructor(private readonly o: CustomResourceStrategyOptions) {
    this.statusSchema = propertyOf(o.schema, 'status');
    this.rules = hasRules(o.schema);
  }

  /** Prunes, drops non-nullable nulls and applies defaults, in place. */
  normalize(obj: KubeObject): void {
    normalizeWith(this.o.schema, obj);
  }

  prepareForCreate(obj: KubeObject): void {
    if (this.o.status) delete obj.status;
    (obj.metadata ??= {}).generation = 1;
  }

  prepareForUpdate(obj: KubeObject, old: KubeObject): void {
    if (this.o.status) {
      if ('status' in old) obj.status = structuredClone(old.status);
      else delete obj.status;
    }
    const gen = old.metadata?.generation ?? 0;
    (obj.metadata ??= {}).generation = deepEqual(nonMetadata(obj), nonMetadata(old))
      ? gen
      : gen + 1;
  }

  prepareForStatusUpdate(obj: KubeObject, old: KubeObject): void {
    const hasStatus = 'status' in obj;
    const status = obj.status;
    const managedFields = obj.metadata?.managedFields;
    for (const k of Object.keys(obj)) delete obj[k];
    Object.assign(obj, structuredClone(old));
    if (managedFields === undefined) delete obj.metadata!.managedFields;
    else obj.metadata!.managedFields = managedFields;
    if (hasStatus) obj.status = status;
    else delete obj.status;
  }

  validateCreate(obj: KubeObject): FieldError[] {
    const typeErrs = this.validateTypeMeta(obj);
    if (typeErrs.length) return typeErrs;
    return this.withRules(
      [
        ...validateObjectMeta(obj.metadata, {
          namespaced: this.o.namespaced,
          nameFn: nameIsDNSSubdomain,
        }),
        ...validateCustomResource(this.o.schema, obj),
        ...this.validateScaleSpec(obj),
        ...this.validateScaleStatus(obj),
        ...validateEmbeddedResources(this.o.schema, obj),
        ...validateListSetsAndMaps(this.o.schema, obj),
      ],
      obj,
    );
  }

  /** Appends the CEL rules' errors, unless a blocking schema error stops them (upstream). */
  private withRules(errs: FieldError[], obj: KubeObject, old?: KubeObject): FieldError[] {
    if (!this.rules) return errs;
    const block = blockingError(errs);
    if (block) return [...errs, block];
    return [...errs, ...validateRules(this.o.schema, obj, old)];
  }

  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
    const typeErrs = this.validateTypeMeta(obj);
    if (typeErrs.length) return typeErrs;
    const errs = [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...validateCustomResource(this.o.schema, obj, { old }),
      ...this.validateScaleSpec(obj),
      ...this.validateScaleStatus(obj),
      ...validateEmbeddedResources(this.o.schema, obj),
    ];
    if (validateListSetsAndMaps(this.o.schema, old).length === 0) {
      errs.push(...validateListSetsAndMaps(this.o.schema, obj));
    }
    return this.withRules(errs, obj, old);
  }

  validateStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
    const typeErrs = this.validateTypeMeta(obj);
    if (typeErrs.length) return typeErrs;
    const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata)];
    if ('status' in obj) {
      errs.push(
        ...validateCustomResource(this.statusSchema, obj.status, {
          basePath: 'status',
          old: old.status,
        }),
      );
    }
    errs.push(...this.validateScaleStatus(obj));
    errs.push(...validateEmbeddedResources(this.o.schema, obj));
    errs.push(...validateListSetsAndMaps(this.o.schema, obj));
    return this.withRules(errs, obj, old);
  }

  private validateTypeMeta(obj: KubeObject): FieldError[] {
    const errs: FieldError[] = [];
    const gv = `${this.o.group}/${this.o.version}`;
    if (obj.kind !== this.o.kind)
      errs.push(invalid('kind', obj.kind ?? '', `must be ${this.o.kind}`));
    if (obj.apiVersion !== gv)
      errs.push(invalid('apiVersion', obj.apiVersion ?? '', `must be ${gv}`));
    return errs;
  }

  private validateScaleSpec(obj: KubeObject): FieldError[] {
    const scale = this.o.scale;
    return scale ? replicasErrors(obj, scale.specReplicasPath) : [];
  }

  private validateScaleStatus(obj: KubeObject): FieldError[] {
    const scale = this.o.scale;
    if (!scale) return [];
    const errs = replicasErrors(obj, scale.statusReplicasPath);
    if (scale.labelSelectorPath) {
      const r = nested(obj, scale.labelSelectorPath);
      if (r.error === undefined && r.found && typeof r.value !== 'string') {
        errs.push(
          invalid(
            scale.labelSelectorPath,
            '',
            accessorError(scale.labelSelectorPath, r.value, 'string'),
          ),
        );
      } else if (r.error !== undefined) {
        errs.push(invalid(scale.labelSelectorPath, '', r.error));
      }
    }
    return errs;
  }
}

/** Prunes, drops non-nullable nulls and applies defaults of `schema`, in place. */
export function normalizeWith(schema: SchemaNode | undefined, obj: KubeObject): void {
  pruneCustomResource(schema, obj);
  pruneNonNullableNulls(obj, schema);
  applyDefaults(obj, schema);
}

function nonMetadata(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, ...rest } = obj;
  return rest;
}

/** `unstructured.NestedInt64` checks of a replicas path (`ValidateScaleSpec`/`Status`). */
function replicasErrors(obj: KubeObject, path: string): FieldError[] {
  const r = nested(obj, path);
  if (r.error !== undefined) return [invalid(path, 0, r.error)];
  if (!r.found) return [];
  const v = r.value;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    return [invalid(path, 0, accessorError(path, v, 'int64'))];
  }
  if (v < 0) return [invalid(path, v, 'should be a non-negative integer')];
  if (v > maxInt32) return [invalid(path, v, `should be less than or equal to ${maxInt32}`)];
  return [];
}

function nested(obj: unknown, path: string): { found: boolean; value?: unknown; error?: string } {
  const fields = path.replace(/^\./, '').split('.');
  let cur: unknown = obj;
  for (let i = 0; i < fields.length; i++) {
    if (cur === null || cur === undefined) return { found: false };
    if (!isObject(cur)) {
      const at = `.${fields.slice(0, i + 1).join('.')}`;
      return {
        found: false,
        error: `${at} accessor error: ${goValue(cur)} is of the type ${goType(cur)}, expected map[string]interface{}`,
      };
    }
    if (!Object.prototype.hasOwnProperty.call(cur, fields[i]!)) return { found: false };
    cur = cur[fields[i]!];
  }
  return { found: true, value: cur };
}

function accessorError(path: string, value: unknown, expected: string): string {
  return `${path} accessor error: ${goValue(value)} is of the type ${goType(value)}, expected ${expected}`;
}

/** Go's `%T` of a decoded JSON value. */
function goType(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** Go's `%v` of a decoded JSON value (scalars; compound values as JSON). */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
