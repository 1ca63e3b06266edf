/**
 * Object metadata validation, as k8s.io/apimachinery/pkg/api/validation/objectmeta.go and
 * pkg/apis/meta/v1/validation (labels, label selectors) do it. Every built-in type's
 * `validateCreate` starts with {@link validateObjectMeta}; every `validateUpdate` with
 * {@link validateObjectMetaUpdate}.
 *
 * Not checked here (owned by the generic store): `metadata.resourceVersion` being present on an
 * update ("must be specified for an update"), since the store fills it for unconditional updates.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ObjectMeta, OwnerReference } from '../types.js';
import { totalAnnotationSizeLimitBytes } from '../defaults.js';
import { forbidden, invalid, required, tooLong, validateImmutableField } from './field.js';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
} from './names.js';

/** `ValidateNameFunc`: validates a name, or a generateName prefix when `prefix` is true. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * `maskTrailingDash`: a generateName prefix may end with `-` since random characters follow.
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
}

/** `NameIsDNSSubdomain`: most types. */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** `NameIsDNSLabel`: namespaces. */
export const nameIsDNSLabel: NameValidator = (name, prefix) =>
  isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** `NameIsDNS1035Label`: services. */
export const nameIsDNS1035Label: NameValidator = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** `path.ValidatePathSegmentName`: RBAC objects, PersistentVolumes. */
export const nameIsPathSegment: NameValidator = (name, prefix) => {
  if (prefix) {
    // path.IsValidPathSegmentPrefix
    const errs: string[] = [];
    for (const illegal of ['/', '%']) {
      if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
    }
    return errs;
  }
  return isValidPathSegmentName(name);
};

/** `ValidateNamespaceName`. */
export const validateNamespaceName = nameIsDNSLabel;

/** Options of {@link validateObjectMeta}. */
export interface ObjectMetaOptions {
  /** True for namespaced types: `metadata.namespace` is then required, else forbidden. */
  namespaced: boolean;
  /** Name format of the type; default {@link nameIsDNSSubdomain}. */
  nameFn?: NameValidator;
  /** Path of the metadata; default `metadata` (pod templates use `spec.template.metadata`). */
  path?: string;
}

/** `ValidateObjectMeta` / `ValidateObjectMetaAccessor` on create. */
export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  opts: ObjectMetaOptions,
): FieldError[] {
  const m = meta ?? {};
  const p = opts.path ?? 'metadata';
  const nameFn = opts.nameFn ?? nameIsDNSSubdomain;
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of nameFn(m.generateName, true)) {
      errs.push(invalid(`${p}.generateName`, m.generateName, msg));
    }
  }
  if (!m.name) {
    errs.push(required(`${p}.name`, 'name or generateName is required'));
  } else {
    for (const msg of nameFn(m.name, false)) errs.push(invalid(`${p}.name`, m.name, msg));
  }
  errs.push(...validateObjectMetaCommon(m, opts.namespaced, p));
  return errs;
}

function validateObjectMetaCommon(m: ObjectMeta, namespaced: boolean, p: string): FieldError[] {
  const errs: FieldError[] = [];
  if (namespaced) {
    if (!m.namespace) {
      errs.push(required(`${p}.namespace`));
    } else {
      for (const msg of validateNamespaceName(m.namespace, false)) {
        errs.push(invalid(`${p}.namespace`, m.namespace, msg));
      }
    }
  } else if (m.namespace) {
    errs.push(forbidden(`${p}.namespace`, 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(m.generation, `${p}.generation`));
  errs.push(...validateLabels(m.labels, `${p}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${p}.annotations`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${p}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${p}.finalizers`));
  return errs;
}

/** `ValidateObjectMetaUpdate`: identity fields are immutable; labels etc. revalidated. */
export function validateObjectMetaUpdate(
  meta: ObjectMeta | undefined,
  oldMeta: ObjectMeta | undefined,
  path = 'metadata',
): FieldError[] {
  const m = meta ?? {};
  const o = oldMeta ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const extra = (m.finalizers ?? []).filter((f) => !(o.finalizers ?? []).includes(f));
    if (extra.length) {
      const list = [...new Set(extra)].sort().map((f) => JSON.stringify(f));
      errs.push(
        forbidden(
          `${path}.finalizers`,
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${list.join(', ')}}`,
        ),
      );
    }
  }
  if ((m.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(invalid(`${path}.generation`, m.generation ?? 0, 'must not be decremented'));
  }
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp'] as const) {
    errs.push(...validateImmutableField(m[f] ?? '', o[f] ?? '', `${path}.${f}`));
  }
  errs.push(
    ...validateImmutableField(
      m.deletionGracePeriodSeconds,
      o.deletionGracePeriodSeconds,
      `${path}.deletionGracePeriodSeconds`,
    ),
  );
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${path}.finalizers`));
  return errs;
}

/** `ValidateNonnegativeField`. */
export function validateNonnegativeField(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value < 0
    ? [invalid(path, value, 'must be greater than or equal to 0')]
    : [];
}

/** `ValidateLabelName`: a label key is a qualified name. */
export function validateLabelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((msg) => invalid(path, key, msg));
}

/** `v1validation.ValidateLabels`: keys are qualified names, values valid label values. */
export function validateLabels(
  labels: Record<string, string> | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(k, path));
    if (typeof v !== 'string') {
      errs.push(invalid(path, v, 'must be a string'));
      continue;
    }
    for (const msg of isValidLabelValue(v)) errs.push(invalid(path, v, msg));
  }
  return errs;
}

/** `ValidateAnnotations`: keys are (case-insensitive) qualified names; total size ≤ 256 KiB. */
export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, msg));
    total += Buffer.byteLength(k) + Buffer.byteLength(String(v ?? ''));
  }
  if (total > totalAnnotationSizeLimitBytes)
    errs.push(tooLong(path, totalAnnotationSizeLimitBytes));
  return errs;
}

/** `ValidateOwnerReferences`. */
export function validateOwnerReferences(
  refs: OwnerReference[] | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? '';
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
    if (!version) errs.push(invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!ref.kind) errs.push(invalid(`${path}.kind`, ref.kind ?? '', 'must not be empty'));
    if (!ref.name) errs.push(invalid(`${path}.name`, ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(invalid(`${path}.uid`, ref.uid ?? '', 'must not be empty'));
    if (apiVersion === 'v1' && ref.kind === 'Event') {
      errs.push(invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller) {
      const cur = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
          ),
        );
      } else {
        firstController = cur;
      }
    }
  }
  return errs;
}

/** `ValidateFinalizers`: qualified names; `orphan` and `foregroundDeletion` exclusive. */
export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) {
    for (const msg of isQualifiedName(f)) errs.push(invalid(path, f, msg));
  }
  if ((finalizers ?? []).includes('orphan') && (finalizers ?? []).includes('foregroundDeletion')) {
    errs.push(
      invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'),
    );
  }
  return errs;
}

/** The metadata of an object, or an empty one. */
export function metaOf(obj: KubeObject): ObjectMeta {
  return obj.metadata ?? {};
}
