/**
 * Generic object-metadata rules every type shares (upstream `rest.BeforeCreate/BeforeUpdate`,
 * `FillObjectMetaSystemFields`, `names.SimpleNameGenerator`, and the parts of
 * `ValidateObjectMetaAccessor` that hold for every type whatever its name rules).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { CauseType, newBadRequest, type FieldError } from '../../../common/index.js';
import * as defaults from '../../defaults.js';
import type { KubeObject, ObjectMeta } from '../types.js';

/** RFC 3339 with second precision, as `metav1.Time` marshals (`2026-01-01T00:00:00Z`). */
export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return lastText;
}

let lastSecond = NaN;
let lastText = '';

const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** `names.SimpleNameGenerator.GenerateName`. */
export function generateName(base: string): string {
  let out = base.slice(0, defaults.generateNameMaxBaseLength);
  for (let i = 0; i < defaults.generateNameRandomLength; i++) {
    out += nameAlphabet[randomInt(nameAlphabet.length)];
  }
  return out;
}

/** Sets uid and creationTimestamp; clears what a client may not set on create. */
export function fillSystemFields(meta: ObjectMeta, nowMs: number): void {
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339(nowMs);
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  delete meta.generation;
}

/**
 * Checks the body of a write addresses the URL: namespace and (for updates) name, as upstream's
 * handlers do; fills the namespace from the URL when the body has none.
 */
export function checkAddressing(
  obj: KubeObject,
  opts: { namespaced: boolean; namespace: string; name?: string },
): void {
  const meta = (obj.metadata ??= {});
  if (opts.namespaced) {
    if (!meta.namespace) meta.namespace = opts.namespace;
    else if (meta.namespace !== opts.namespace) {
      throw newBadRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
  } else {
    delete meta.namespace;
  }
  if (opts.name !== undefined) {
    if (!meta.name) meta.name = opts.name;
    else if (meta.name !== opts.name) {
      throw newBadRequest(
        `the name of the object (${meta.name}) does not match the name on the URL (${opts.name})`,
      );
    }
  }
}

/** Checks apiVersion/kind of a body against what the endpoint serves; fills them when absent. */
export function checkTypeMeta(obj: unknown, apiVersion: string, kind: string): KubeObject {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw newBadRequest(`the body of the request is not a ${kind} object`);
  }
  const o = obj as KubeObject;
  if (o.apiVersion !== undefined && o.apiVersion !== apiVersion) {
    throw newBadRequest(
      `the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (o.kind !== undefined && o.kind !== kind) {
    throw newBadRequest(
      `the kind in the data (${String(o.kind)}) does not match the expected kind (${kind})`,
    );
  }
  o.apiVersion = apiVersion;
  o.kind = kind;
  if (o.metadata !== undefined && (typeof o.metadata !== 'object' || o.metadata === null)) {
    throw newBadRequest('metadata must be an object');
  }
  return o;
}

/**
 * The type-independent part of `ValidateObjectMeta`/`ValidateObjectMetaUpdate`: a name is present
 * and usable as a path segment, and no finalizer is added to an object being deleted (the type's
 * own validation runs first, as upstream orders them).
 */
export function validateGenericMeta(meta: ObjectMeta, old?: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if (old?.deletionTimestamp !== undefined) {
    const before = new Set(old.finalizers ?? []);
    if ((meta.finalizers ?? []).some((f) => !before.has(f))) {
      errs.push({
        type: CauseType.FieldValueForbidden,
        field: 'metadata.finalizers',
        detail: 'no new finalizers can be added if the object is being deleted',
      });
    }
  }
  const name = meta.name ?? '';
  if (name === '') {
    errs.push({
      type: CauseType.FieldValueRequired,
      field: 'metadata.name',
      detail: 'name or generateName is required',
    });
  } else {
    for (const msg of pathSegmentNameProblems(name)) {
      errs.push({
        type: CauseType.FieldValueInvalid,
        field: 'metadata.name',
        value: name,
        detail: msg,
      });
    }
  }
  return errs;
}

/** `path.ValidatePathSegmentName`. */
export function pathSegmentNameProblems(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const out: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) out.push(`may not contain '${bad}'`);
  return out;
}

/**
 * On update, server-owned metadata comes from the stored object whatever the client sent
 * (upstream `BeforeUpdate`: uid, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds
 * and generation are not writable; the strategy's prepareForUpdate then bumps generation).
 */
export function keepSystemFields(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.uid && old.uid && meta.uid !== old.uid) {
    errs.push({
      type: CauseType.FieldValueInvalid,
      field: 'metadata.uid',
      value: meta.uid,
      detail: 'field is immutable',
    });
  }
  meta.uid = old.uid;
  meta.creationTimestamp = old.creationTimestamp;
  if (old.deletionTimestamp === undefined) delete meta.deletionTimestamp;
  else meta.deletionTimestamp = old.deletionTimestamp;
  if (old.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
  else meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  // Requests cannot set generation; the strategy's prepareForUpdate bumps it.
  if (old.generation === undefined) delete meta.generation;
  else meta.generation = old.generation;
  return errs;
}
