/**
 * core/v1 configmaps and secrets (pkg/apis/core/validation: `ValidateConfigMap`, `ValidateSecret`):
 * data keys are config-map keys, the data of one object is at most 1 MiB (`MaxSecretSize`),
 * `immutable: true` freezes data, secret types carry their required keys, and a Secret's
 * `stringData` is merged into `data` (base64) as upstream's conversion does.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { col, ageColumn, ageOf, nameColumn, nameOf } from '../printers/columns.js';
import {
  forbidden,
  invalid,
  required,
  tooLong,
  validateImmutableField,
  deepEqual,
} from '../validation/field.js';
import { isConfigMapKey } from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import { metaFieldLabels } from '../strategy.js';
import { maxSecretSizeBytes } from '../defaults.js';

type Obj = Record<string, string>;

function validateConfigMap(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = (obj.data as Obj | undefined) ?? {};
  const binaryData = (obj.binaryData as Obj | undefined) ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(`data[${k}]`, k, msg));
    if (k in binaryData)
      errs.push(invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(String(v ?? ''));
  }
  for (const [k, v] of Object.entries(binaryData)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(`binaryData[${k}]`, k, msg));
    total += Buffer.from(String(v ?? ''), 'base64').length;
  }
  if (total > maxSecretSizeBytes) errs.push(tooLong('', maxSecretSizeBytes));
  return errs;
}

function validateImmutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true)
    errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!deepEqual(obj[f], old[f]))
      errs.push(forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export const configMaps: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  singularName: 'configmap',
  kind: 'ConfigMap',
  namespaced: true,
  shortNames: ['cm'],
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateConfigMap(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateImmutableData(obj, old, ['data', 'binaryData']),
    ...validateConfigMap(obj),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [nameColumn, col('Data', 'Data contains the configuration data.'), ageColumn],
    cells: (obj, { now }) => [
      nameOf(obj),
      Object.keys((obj.data as Obj | undefined) ?? {}).length +
        Object.keys((obj.binaryData as Obj | undefined) ?? {}).length,
      ageOf(obj, now),
    ],
  },
};

/** Required data keys per secret type (pkg/apis/core/types.go constants). */
const secretTypeKeys: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

function validateSecret(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = (obj.data as Obj | undefined) ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(`data[${k}]`, k, msg));
    const raw = String(v ?? '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw.replace(/\s/g, ''))) {
      errs.push(invalid(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
    }
    total += Buffer.from(raw, 'base64').length;
  }
  if (total > maxSecretSizeBytes) errs.push(tooLong('data', maxSecretSizeBytes));
  const type = (obj.type as string) ?? 'Opaque';
  switch (type) {
    case 'kubernetes.io/service-account-token':
      if (!obj.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
      break;
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) {
        errs.push(required('data[username]'), required('data[password]'));
      }
      break;
    default:
      for (const key of secretTypeKeys[type] ?? []) {
        if (!(key in data)) errs.push(required(`data[${key}]`));
      }
  }
  return errs;
}

/** Merges `stringData` into `data` (base64), as the v1 → internal conversion does. */
export function mergeStringData(obj: KubeObject): void {
  const stringData = obj.stringData as Obj | undefined;
  if (!stringData) return;
  const data = ((obj.data as Obj | undefined) ?? {}) as Obj;
  for (const [k, v] of Object.entries(stringData))
    data[k] = Buffer.from(String(v)).toString('base64');
  obj.data = data;
  delete obj.stringData;
}

export const secrets: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'secrets',
  singularName: 'secret',
  kind: 'Secret',
  namespaced: true,
  defaults(obj) {
    mergeStringData(obj);
    if (!obj.type) obj.type = 'Opaque';
  },
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateSecret(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateImmutableField(obj.type ?? 'Opaque', old.type ?? 'Opaque', 'type'),
    ...validateImmutableData(obj, old, ['data']),
    ...validateSecret(obj),
  ],
  fieldLabels: (obj) => ({ ...metaFieldLabels(obj, true), type: (obj.type as string) ?? '' }),
  table: {
    columns: [
      nameColumn,
      col('Type', 'The type of the secret'),
      col('Data', 'The number of entries in data'),
      ageColumn,
    ],
    cells: (obj, { now }) => [
      nameOf(obj),
      (obj.type as string) ?? '',
      Object.keys((obj.data as Obj | undefined) ?? {}).length,
      ageOf(obj, now),
    ],
  },
};
