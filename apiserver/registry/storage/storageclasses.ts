/**
 * storage.k8s.io/v1 storageclasses (`SetDefaults_StorageClass`, `ValidateStorageClass*`,
 * `printStorageClass`): reclaimPolicy Delete and volumeBindingMode Immediate by default;
 * provisioner, parameters, reclaimPolicy and volumeBindingMode never change; the default class is
 * printed as `name (default)`.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, nameColumn, nameOf } from '../printers/columns.js';
import {
  deepEqual,
  forbidden,
  invalid,
  notSupported,
  required,
  tooLong,
  tooMany,
  validateImmutableField,
} from '../validation/field.js';
import { isQualifiedName } from '../validation/names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import { metaFieldLabels, setDefault } from '../strategy.js';

type Obj = Record<string, unknown>;

const reclaimPolicies = ['Delete', 'Retain'];
const bindingModes = ['Immediate', 'WaitForFirstConsumer'];
const maxProvisionerParameterSize = 256 * 1024;
const maxProvisionerParameterLen = 512;

/** The annotations marking a default StorageClass. */
export const defaultStorageClassAnnotations = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const provisioner = (obj.provisioner as string) ?? '';
  if (!provisioner) errs.push(required('provisioner'));
  else
    for (const m of isQualifiedName(provisioner.toLowerCase()))
      errs.push(invalid('provisioner', provisioner, m));
  const params = (obj.parameters as Record<string, string> | undefined) ?? {};
  const keys = Object.keys(params);
  if (keys.length > maxProvisionerParameterLen)
    errs.push(tooMany('parameters', keys.length, maxProvisionerParameterLen));
  let size = 0;
  for (const k of keys) {
    if (!k) errs.push(invalid('parameters', k, 'field can not be empty.'));
    size += k.length + String(params[k]).length;
  }
  if (size > maxProvisionerParameterSize)
    errs.push(tooLong('parameters', maxProvisionerParameterSize));
  if (obj.reclaimPolicy !== undefined && !reclaimPolicies.includes(obj.reclaimPolicy as string)) {
    errs.push(notSupported('reclaimPolicy', obj.reclaimPolicy, reclaimPolicies));
  }
  if (obj.volumeBindingMode === undefined || obj.volumeBindingMode === null)
    errs.push(required('volumeBindingMode'));
  else if (!bindingModes.includes(obj.volumeBindingMode as string))
    errs.push(notSupported('volumeBindingMode', obj.volumeBindingMode, bindingModes));
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!deepEqual(obj.parameters, old.parameters))
    errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (obj.provisioner !== old.provisioner)
    errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (obj.reclaimPolicy !== old.reclaimPolicy)
    errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(
    ...validateImmutableField(obj.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode'),
  );
  return errs;
}

function isDefault(obj: KubeObject): boolean {
  const a = obj.metadata?.annotations ?? {};
  return defaultStorageClassAnnotations.some((k) => a[k] === 'true');
}

export const storageClasses: ResourceType = {
  group: 'storage.k8s.io',
  version: 'v1',
  resource: 'storageclasses',
  singularName: 'storageclass',
  kind: 'StorageClass',
  namespaced: false,
  shortNames: ['sc'],
  allowCreateOnUpdate: true,
  defaults(obj) {
    setDefault(obj as Obj, 'reclaimPolicy', 'Delete');
    setDefault(obj as Obj, 'volumeBindingMode', 'Immediate');
  },
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: false }),
    ...validate(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validate(obj),
    ...validateUpdate(obj, old),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, false),
  table: {
    columns: [
      nameColumn,
      col('Provisioner', 'provisioner indicates the type of the provisioner.'),
      col(
        'ReclaimPolicy',
        'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.',
      ),
      col(
        'VolumeBindingMode',
        'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.',
      ),
      col(
        'AllowVolumeExpansion',
        'allowVolumeExpansion shows whether the storage class allow volume expand.',
      ),
      ageColumn,
    ],
    cells: (obj, { now }) => [
      isDefault(obj) ? `${nameOf(obj)} (default)` : nameOf(obj),
      (obj.provisioner as string) ?? '',
      (obj.reclaimPolicy as string) ?? 'Delete',
      (obj.volumeBindingMode as string) ?? 'Immediate',
      obj.allowVolumeExpansion === true,
      ageOf(obj, now),
    ],
  },
};
