/**
 * apps/v1 statefulsets (`SetDefaults_StatefulSet`, `ValidateStatefulSet*`): OrderedReady pod
 * management, RollingUpdate with partition 0, Retain PVC retention policy, replicas 1,
 * revisionHistoryLimit 10; names are DNS labels; only replicas, ordinals, template,
 * updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds may change.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import {
  ageColumn,
  ageOf,
  col,
  containersAndImages,
  nameColumn,
  nameOf,
} from '../printers/columns.js';
import { deepEqual, forbidden, invalid, notSupported, required } from '../validation/field.js';
import {
  nameIsDNSLabel,
  validateNonnegativeField,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation/objectmeta.js';
import { ensure, metaFieldLabels, setDefault, statusStrategy } from '../strategy.js';
import { setDefaultsPodTemplateSpec } from '../core/podspec-defaults.js';
import { defaultRevisionHistoryLimit } from '../defaults.js';
import {
  intOrPercentValue,
  isNotMoreThan100Percent,
  validateCollisionCount,
  validatePositiveIntOrPercent,
  validateReplicaStatus,
  validateSelectorAndTemplate,
} from './workload.js';

type Obj = Record<string, unknown>;

/** `SetDefaults_StatefulSet`. */
export function setDefaultsStatefulSet(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const us = ensure(spec, 'updateStrategy');
  if (!us.type) {
    us.type = 'RollingUpdate';
    if (!us.rollingUpdate) us.rollingUpdate = {};
  }
  if (us.type === 'RollingUpdate' && us.rollingUpdate)
    setDefault(us.rollingUpdate as Obj, 'partition', 0);
  const retention = ensure(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', defaultRevisionHistoryLimit);
  setDefaultsPodTemplateSpec(spec.template as Obj | undefined);
  for (const pvc of (spec.volumeClaimTemplates as Obj[] | undefined) ?? []) {
    setDefault(ensure(pvc, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(ensure(pvc, 'status'), 'phase', 'Pending');
  }
}

const retentionTypes = ['Retain', 'Delete'];

function validateStatefulSetSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  switch (spec.podManagementPolicy) {
    case undefined:
    case '':
      errs.push(required('spec.podManagementPolicy'));
      break;
    case 'OrderedReady':
    case 'Parallel':
      break;
    default:
      errs.push(
        invalid(
          'spec.podManagementPolicy',
          spec.podManagementPolicy,
          "must be 'OrderedReady' or 'Parallel'",
        ),
      );
  }
  const us = (spec.updateStrategy as Obj | undefined) ?? {};
  switch (us.type) {
    case undefined:
    case '':
      errs.push(required('spec.updateStrategy'));
      break;
    case 'OnDelete':
      if (us.rollingUpdate)
        errs.push(
          invalid(
            'spec.updateStrategy.rollingUpdate',
            us.rollingUpdate,
            "only allowed for updateStrategy 'RollingUpdate'",
          ),
        );
      break;
    case 'RollingUpdate': {
      const ru = us.rollingUpdate as Obj | undefined;
      if (ru) {
        const p = 'spec.updateStrategy.rollingUpdate';
        errs.push(
          ...validateNonnegativeField(ru.partition as number | undefined, `${p}.partition`),
        );
        if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
          errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
          if (intOrPercentValue(ru.maxUnavailable) === 0)
            errs.push(invalid(`${p}.maxUnavailable`, ru.maxUnavailable, 'cannot be 0'));
          errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
        }
      }
      break;
    }
    default:
      errs.push(invalid('spec.updateStrategy', us, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy as Obj | undefined;
  if (retention) {
    for (const f of ['whenDeleted', 'whenScaled']) {
      if (!retentionTypes.includes(retention[f] as string)) {
        errs.push(
          notSupported(
            `spec.persistentVolumeClaimRetentionPolicy.${f}`,
            retention[f] ?? '',
            retentionTypes,
          ),
        );
      }
    }
  }
  errs.push(...validateNonnegativeField(spec.replicas as number | undefined, 'spec.replicas'));
  errs.push(
    ...validateNonnegativeField(spec.minReadySeconds as number | undefined, 'spec.minReadySeconds'),
  );
  const ordinals = spec.ordinals as Obj | undefined;
  if (ordinals)
    errs.push(
      ...validateNonnegativeField(ordinals.start as number | undefined, 'spec.ordinals.start'),
    );
  errs.push(
    ...validateSelectorAndTemplate(spec, {
      kindNoun: 'statefulset',
      kind: 'StatefulSet',
      skipPodSpec: true,
    }),
  );
  return errs;
}

const mutableSpecFields = [
  'replicas',
  'template',
  'updateStrategy',
  'minReadySeconds',
  'ordinals',
  'persistentVolumeClaimRetentionPolicy',
];

function validateStatefulSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const a = structuredClone((obj.spec as Obj | undefined) ?? {});
  const b = structuredClone((old.spec as Obj | undefined) ?? {});
  for (const f of mutableSpecFields) {
    delete a[f];
    delete b[f];
  }
  if (!deepEqual(a, b)) {
    return [
      forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    ];
  }
  return [];
}

export const statefulSets: ResourceType = {
  group: 'apps',
  version: 'v1',
  resource: 'statefulsets',
  singularName: 'statefulset',
  kind: 'StatefulSet',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  scale: {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.spec.selector',
  },
  defaults: setDefaultsStatefulSet,
  ...statusStrategy({
    initialStatus: () => ({ replicas: 0, availableReplicas: 0 }),
  }),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true, nameFn: nameIsDNSLabel }),
    ...validateStatefulSetSpec((obj.spec as Obj) ?? {}),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateStatefulSetSpec((obj.spec as Obj) ?? {}),
    ...validateStatefulSetUpdate(obj, old),
  ],
  validateStatusUpdate: (obj, old) => [
    ...validateReplicaStatus(
      obj.status as Obj | undefined,
      [
        'replicas',
        'readyReplicas',
        'currentReplicas',
        'updatedReplicas',
        'availableReplicas',
        'observedGeneration',
        'collisionCount',
      ],
      ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'],
      'cannot be greater than status.readyReplicas',
    ),
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateCollisionCount(obj.status as Obj | undefined, old.status as Obj | undefined),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col('Ready', 'Number of the pod with ready state'),
      ageColumn,
      col('Containers', 'Names of each container in the template.', { wide: true }),
      col('Images', 'Images referenced by each container in the template.', { wide: true }),
    ],
    cells(obj, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      const status = (obj.status as Obj | undefined) ?? {};
      const [containers, images] = containersAndImages((spec.template as Obj | undefined)?.spec);
      return [
        nameOf(obj),
        `${(status.readyReplicas as number) ?? 0}/${(spec.replicas as number) ?? 0}`,
        ageOf(obj, now),
        containers,
        images,
      ];
    },
  },
};
