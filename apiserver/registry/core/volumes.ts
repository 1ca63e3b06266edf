/**
 * core/v1 persistentvolumes and persistentvolumeclaims (`ValidatePersistentVolume*`,
 * `ValidatePersistentVolumeClaim*`, `SetDefaults_PersistentVolume*`, `printPersistentVolume*`).
 * PV names are path segments; a PV has exactly one volume source, a `storage` capacity and access
 * modes; a PVC spec is immutable after creation except `resources.requests` (no shrinking) and
 * `volumeAttributesClassName`.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, nameColumn, nameOf } from '../printers/columns.js';
import { deepEqual, forbidden, invalid, notSupported, required } from '../validation/field.js';
import {
  nameIsPathSegment,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation/objectmeta.js';
import { validateLabelSelector, type LabelSelector } from '../validation/selector.js';
import { ensure, metaFieldLabels, setDefault, statusStrategy } from '../strategy.js';
import { tryParseQuantity } from '../quantity/index.js';

type Obj = Record<string, unknown>;

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const reclaimPolicies = ['Delete', 'Recycle', 'Retain'];
const volumeModes = ['Block', 'Filesystem'];
const pvSources = [
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'hostPath',
  'glusterfs',
  'nfs',
  'rbd',
  'iscsi',
  'cinder',
  'cephfs',
  'fc',
  'flocker',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'local',
  'storageos',
  'csi',
];

/** `helper.GetAccessModesAsString`: `RWO,ROX,RWX,RWOP` in that order, deduplicated. */
export function accessModesString(modes: unknown): string {
  const m = new Set(Array.isArray(modes) ? (modes as string[]) : []);
  const out: string[] = [];
  if (m.has('ReadWriteOnce')) out.push('RWO');
  if (m.has('ReadOnlyMany')) out.push('ROX');
  if (m.has('ReadWriteMany')) out.push('RWX');
  if (m.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

function validateAccessModes(modes: unknown, path: string): FieldError[] {
  const list = Array.isArray(modes) ? (modes as string[]) : [];
  const errs: FieldError[] = [];
  if (list.length === 0) errs.push(required(path));
  for (const m of list) if (!accessModes.includes(m)) errs.push(notSupported(path, m, accessModes));
  if (list.includes('ReadWriteOncePod') && list.length > 1) {
    errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

function storageClassOf(obj: KubeObject): string {
  return (
    ((obj.spec as Obj | undefined)?.storageClassName as string) ||
    obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ||
    ''
  );
}

function validatePV(obj: KubeObject): FieldError[] {
  const spec = (obj.spec as Obj | undefined) ?? {};
  const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
  const capacity = (spec.capacity as Obj | undefined) ?? {};
  if (Object.keys(capacity).length === 0) errs.push(required('spec.capacity'));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1)
    errs.push(notSupported('spec.capacity', capacity, ['storage']));
  if ('storage' in capacity) {
    const q = tryParseQuantity(capacity.storage);
    if (typeof q === 'string') errs.push(invalid('spec.capacity[storage]', capacity.storage, q));
    else if (q.sign() < 0)
      errs.push(
        invalid('spec.capacity[storage]', q.toString(), 'must be greater than or equal to 0'),
      );
  }
  const sources = pvSources.filter((s) => spec[s] !== undefined && spec[s] !== null);
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  else if (sources.length > 1)
    errs.push(forbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'));
  if (
    spec.persistentVolumeReclaimPolicy &&
    !reclaimPolicies.includes(spec.persistentVolumeReclaimPolicy as string)
  ) {
    errs.push(
      notSupported(
        'spec.persistentVolumeReclaimPolicy',
        spec.persistentVolumeReclaimPolicy,
        reclaimPolicies,
      ),
    );
  }
  if (spec.volumeMode && !volumeModes.includes(spec.volumeMode as string))
    errs.push(notSupported('spec.volumeMode', spec.volumeMode, volumeModes));
  if (spec.hostPath && !(spec.hostPath as Obj).path) errs.push(required('spec.hostPath.path'));
  return errs;
}

function validatePVUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = (obj.spec as Obj | undefined) ?? {};
  const oldSpec = (old.spec as Obj | undefined) ?? {};
  const errs: FieldError[] = [];
  if (pvSources.some((s) => !deepEqual(spec[s], oldSpec[s]))) {
    errs.push(
      forbidden(
        'spec.persistentvolumesource',
        'spec.persistentvolumesource is immutable after creation',
      ),
    );
  }
  if (!deepEqual(spec.volumeMode, oldSpec.volumeMode))
    errs.push(invalid('spec.volumeMode', spec.volumeMode ?? null, 'field is immutable'));
  return errs;
}

export const persistentVolumes: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'persistentvolumes',
  singularName: 'persistentvolume',
  kind: 'PersistentVolume',
  namespaced: false,
  shortNames: ['pv'],
  subresources: ['status'],
  defaults(obj) {
    const spec = ensure(obj, 'spec');
    setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    setDefault(spec, 'volumeMode', 'Filesystem');
    if (obj.status) setDefault(obj.status as Obj, 'phase', 'Pending');
  },
  ...statusStrategy({ initialStatus: () => ({ phase: 'Pending' }), generation: false }),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: false, nameFn: nameIsPathSegment }),
    ...validatePV(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validatePV(obj),
    ...validatePVUpdate(obj, old),
  ],
  validateStatusUpdate: (obj, old) => validateObjectMetaUpdate(obj.metadata, old.metadata),
  fieldLabels: (obj) => metaFieldLabels(obj, false),
  table: {
    columns: [
      nameColumn,
      col(
        'Capacity',
        "capacity is the description of the persistent volume's resources and capacity.",
      ),
      col('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
      col(
        'Reclaim Policy',
        'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
      ),
      col(
        'Status',
        'phase indicates if a volume is available, bound to a claim, or released by a claim.',
      ),
      col(
        'Claim',
        'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
      ),
      col('StorageClass', 'StorageClass of the pv'),
      col('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
      col(
        'Reason',
        'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
      ),
      ageColumn,
      col(
        'VolumeMode',
        'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.',
        { wide: true },
      ),
    ],
    cells(obj, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      const status = (obj.status as Obj | undefined) ?? {};
      const claim = spec.claimRef as Obj | undefined;
      const storage = tryParseQuantity((spec.capacity as Obj | undefined)?.storage ?? '0');
      return [
        nameOf(obj),
        typeof storage === 'string' ? '' : storage.toString(),
        accessModesString(spec.accessModes),
        (spec.persistentVolumeReclaimPolicy as string) ?? '',
        obj.metadata?.deletionTimestamp ? 'Terminating' : ((status.phase as string) ?? ''),
        claim ? `${(claim.namespace as string) ?? ''}/${(claim.name as string) ?? ''}` : '',
        storageClassOf(obj),
        (spec.volumeAttributesClassName as string) || '<unset>',
        (status.reason as string) ?? '',
        ageOf(obj, now),
        (spec.volumeMode as string) || '<unset>',
      ];
    },
  },
};

function validatePVCSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const modes = Array.isArray(spec.accessModes) ? (spec.accessModes as string[]) : [];
  if (modes.length === 0)
    errs.push(required('spec.accessModes', 'at least 1 access mode is required'));
  else errs.push(...validateAccessModes(modes, 'spec.accessModes'));
  const requests = ((spec.resources as Obj | undefined)?.requests as Obj | undefined) ?? {};
  if (!('storage' in requests)) {
    errs.push(required('spec.resources[storage]'));
  } else {
    const q = tryParseQuantity(requests.storage);
    if (typeof q === 'string') errs.push(invalid('spec.resources[storage]', requests.storage, q));
    else if (q.sign() <= 0)
      errs.push(invalid('spec.resources[storage]', q.toString(), 'must be greater than zero'));
  }
  if (spec.volumeMode && !volumeModes.includes(spec.volumeMode as string))
    errs.push(notSupported('spec.volumeMode', spec.volumeMode, volumeModes));
  errs.push(...validateLabelSelector(spec.selector as LabelSelector | undefined, 'spec.selector'));
  return errs;
}

function validatePVCUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = (obj.spec as Obj | undefined) ?? {};
  const oldSpec = (old.spec as Obj | undefined) ?? {};
  const errs: FieldError[] = [];
  // Comparable copies: requests and volumeAttributesClassName may change; binding fills volumeName once.
  const a = structuredClone(spec);
  const b = structuredClone(oldSpec);
  for (const s of [a, b]) {
    delete s.volumeAttributesClassName;
    if (s.resources) delete (s.resources as Obj).requests;
  }
  if (!oldSpec.volumeName) delete a.volumeName;
  if (!deepEqual(a, b)) {
    errs.push(
      forbidden(
        'spec',
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ),
    );
  }
  const newStorage = tryParseQuantity(
    ((spec.resources as Obj | undefined)?.requests as Obj | undefined)?.storage,
  );
  const oldStorage = tryParseQuantity(
    ((oldSpec.resources as Obj | undefined)?.requests as Obj | undefined)?.storage,
  );
  if (
    typeof newStorage !== 'string' &&
    typeof oldStorage !== 'string' &&
    newStorage.cmp(oldStorage) < 0
  ) {
    errs.push(
      forbidden('spec.resources.requests.storage', 'field can not be less than previous value'),
    );
  }
  return errs;
}

export const persistentVolumeClaims: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'persistentvolumeclaims',
  singularName: 'persistentvolumeclaim',
  kind: 'PersistentVolumeClaim',
  namespaced: true,
  shortNames: ['pvc'],
  subresources: ['status'],
  defaults(obj) {
    setDefault(ensure(obj, 'spec'), 'volumeMode', 'Filesystem');
    if (obj.status) setDefault(obj.status as Obj, 'phase', 'Pending');
  },
  ...statusStrategy({ initialStatus: () => ({ phase: 'Pending' }), generation: false }),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validatePVCSpec((obj.spec as Obj) ?? {}),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validatePVCSpec((obj.spec as Obj) ?? {}),
    ...validatePVCUpdate(obj, old),
  ],
  validateStatusUpdate: (obj, old) => validateObjectMetaUpdate(obj.metadata, old.metadata),
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
      col(
        'Volume',
        'volumeName is the binding reference to the PersistentVolume backing this claim.',
      ),
      col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
      col(
        'Access Modes',
        'accessModes contains the actual access modes the volume backing the PVC has.',
      ),
      col('StorageClass', 'StorageClass of the pvc'),
      col('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
      ageColumn,
      col('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', {
        wide: true,
      }),
    ],
    cells(obj, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      const status = (obj.status as Obj | undefined) ?? {};
      let capacity = '';
      let modes = '';
      if (spec.volumeName) {
        modes = accessModesString(status.accessModes);
        const q = tryParseQuantity((status.capacity as Obj | undefined)?.storage ?? '0');
        capacity = typeof q === 'string' ? '' : q.toString();
      }
      return [
        nameOf(obj),
        obj.metadata?.deletionTimestamp ? 'Terminating' : ((status.phase as string) ?? ''),
        (spec.volumeName as string) ?? '',
        capacity,
        modes,
        storageClassOf(obj),
        (spec.volumeAttributesClassName as string) || '<unset>',
        ageOf(obj, now),
        (spec.volumeMode as string) || '<unset>',
      ];
    },
  },
};
