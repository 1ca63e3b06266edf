/**
 * Request bodies of writes: decoding (JSON, YAML, or the Kubernetes protobuf form of built-in
 * kinds), `fieldValidation` (unknown and duplicate fields, via `apiserver/schema`), and dropping
 * unknown fields the way upstream's typed decoding does when validation does not refuse them.
 */
import { parse as parseYaml } from 'yaml';
import { newBadRequest } from '../../common/index.js';
import {
  checkFields,
  enforceFieldValidation,
  findDuplicateFields,
  findDuplicateFieldsInYaml,
  parseFieldValidation,
} from '../schema/index.js';
import { decodeObject, hasProtobuf, isProtobuf, type TypeMeta } from '../protobuf/index.js';
import type { KubeObject } from '../registry/types.js';
import { checkNestingDepth } from '../limits/depth.js';
import { checkJsonTypes } from '../limits/typecheck.js';
import { readBody, parseJSON } from '../server/http.js';
import { requestBodyType } from '../server/negotiation.js';
import { groupVersionString } from '../server/typeregistry.js';
import type { HandlerContext } from './context.js';

export interface DecodedBody {
  value: unknown;
  /** The body as text (empty for protobuf, which has no duplicate fields to find). */
  text: string;
  encoding: 'json' | 'yaml' | 'protobuf';
}

/** Reads and decodes the body of a create or update of the handler's type. */
export async function readObjectBody(ctx: HandlerContext): Promise<DecodedBody> {
  const { type } = ctx.store;
  const expected = { apiVersion: groupVersionString(type.group, type.version), kind: type.kind };
  return readTypedObject(ctx, expected);
}

/**
 * Reads a body that holds an object of the `expected` kind (the endpoint's; an Eviction, a
 * Binding, DeleteOptions, a Scale) and decodes it by `Content-Type`: JSON, YAML, or protobuf when
 * the kind has a protobuf form (415 otherwise, listing the accepted types).
 */
export async function readTypedObject(
  ctx: HandlerContext,
  expected: TypeMeta,
): Promise<DecodedBody> {
  const encoding = requestBodyType(ctx.scope.req.headers['content-type'], hasProtobuf(expected));
  const raw = await readBody(ctx.scope.req, ctx.services.maxRequestBodyBytes);
  if (encoding === 'protobuf') return { value: decodeObject(raw, expected), text: '', encoding };
  const text = raw.toString('utf8');
  return { value: decodeText(text, encoding), text, encoding };
}

/**
 * The options body of a DELETE (empty → undefined): JSON, or protobuf `DeleteOptions` for
 * built-in kinds (415 for custom resources, as upstream).
 */
export function decodeDeleteOptions(ctx: HandlerContext, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const contentType = ctx.scope.req.headers['content-type'];
  if (!isProtobuf(contentType)) return parseJSON(raw);
  const { type } = ctx.store;
  const apiVersion = groupVersionString(type.group, type.version);
  requestBodyType(contentType, hasProtobuf({ apiVersion, kind: type.kind }));
  return decodeObject(raw, { apiVersion, kind: 'DeleteOptions' });
}

export function decodeText(text: string, encoding: 'json' | 'yaml'): unknown {
  if (encoding === 'json') return parseJSON(text);
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    throw newBadRequest(
      `error converting YAML to JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return checkNestingDepth(value);
}

/**
 * Applies `fieldValidation` to `obj`: Strict → 400 on any unknown or duplicate field; Warn →
 * `Warning` headers; Ignore → silence. Unknown fields are then removed from `obj` (in place).
 * `text` is the raw body for duplicate detection (omit it for patched results).
 */
export function validateFields(
  ctx: HandlerContext,
  obj: KubeObject,
  optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
  body?: { text: string; encoding: 'json' | 'yaml' | 'protobuf' },
): void {
  const directive = parseFieldValidation(
    ctx.scope.query.get('fieldValidation') ?? undefined,
    optionsKind,
  );
  const schemas = ctx.services.schemas;
  const type = ctx.store.type;
  if (!schemas) return;
  const schema = schemas.forKind({ group: type.group, version: type.version, kind: type.kind });
  if (!schema) return;
  // Built-in types decode as typed structs upstream; custom resources validate types with 422.
  if (type.strategicMerge !== false) checkJsonTypes(schemas, schema, obj, type);
  const unknown = checkFields(schemas, schema, obj);
  const problems = [...unknown];
  if (body && directive !== 'Ignore') {
    if (body.encoding === 'json') problems.push(...findDuplicateFields(body.text));
    else if (body.encoding === 'yaml') {
      const dup = findDuplicateFieldsInYaml(body.text);
      if (dup) problems.push(dup);
    }
  }
  const warnings = enforceFieldValidation(directive, problems, {
    kind: type.kind,
    version: type.version,
  });
  ctx.scope.warnings.push(...warnings);
  for (const msg of unknown) {
    const m = /^unknown field "(.*)"$/.exec(msg);
    if (m) dropPath(obj, m[1]!);
  }
}

/** Removes the field at a path such as `spec.template.spec.containers[0].foo`. */
export function dropPath(obj: unknown, path: string): void {
  const steps: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return;
    if (m[1]) steps.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
  }
  let cur: unknown = obj;
  for (let i = 0; i < steps.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string | number, unknown>)[steps[i]!];
  }
  const last = steps[steps.length - 1];
  if (cur !== null && typeof cur === 'object' && last !== undefined && !Array.isArray(cur)) {
    delete (cur as Record<string, unknown>)[last as string];
  }
}
