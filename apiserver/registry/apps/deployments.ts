/**
 * apps/v1 deployments (pkg/apis/apps/v1/defaults.go `SetDefaults_Deployment`,
 * pkg/apis/apps/validation `ValidateDeployment*`, pkg/registry/apps/deployment/strategy.go).
 * Defaults: replicas 1, strategy RollingUpdate 25%/25%, revisionHistoryLimit 10,
 * progressDeadlineSeconds 600. Generation is bumped on spec *or annotation* changes (upstream:
 * annotations are copied to ReplicaSets); the selector is immutable in apps/v1.
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
import { forbidden, invalid, notSupported, required } from '../validation/field.js';
import {
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateNonnegativeField,
} from '../validation/objectmeta.js';
import { ensure, metaFieldLabels, setDefault, statusStrategy } from '../strategy.js';
import { setDefaultsPodTemplateSpec } from '../core/podspec-defaults.js';
import { defaultProgressDeadlineSeconds, defaultRevisionHistoryLimit } from '../defaults.js';
import {
  intOrPercentValue,
  isNotMoreThan100Percent,
  labelSelectorCell,
  validateCollisionCount,
  validatePositiveIntOrPercent,
  validateReplicaStatus,
  validateSelectorAndTemplate,
  validateSelectorImmutable,
} from './workload.js';

type Obj = Record<string, unknown>;

/** `SetDefaults_Deployment`. */
export function setDefaultsDeployment(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = ensure(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = ensure(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', defaultRevisionHistoryLimit);
  setDefault(spec, 'progressDeadlineSeconds', defaultProgressDeadlineSeconds);
  setDefaultsPodTemplateSpec(spec.template as Obj | undefined);
}

function validateDeploymentStrategy(strategy: Obj | undefined): FieldError[] {
  const s = strategy ?? {};
  const errs: FieldError[] = [];
  switch (s.type) {
    case 'Recreate':
      if (s.rollingUpdate)
        errs.push(
          forbidden(
            'spec.strategy.rollingUpdate',
            "may not be specified when strategy `type` is 'Recreate'",
          ),
        );
      break;
    case 'RollingUpdate': {
      const ru = s.rollingUpdate as Obj | undefined;
      if (!ru) {
        errs.push(
          required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'),
        );
        break;
      }
      const p = 'spec.strategy.rollingUpdate';
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(
          invalid(`${p}.maxUnavailable`, ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'),
        );
      }
      errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      break;
    }
    default:
      errs.push(notSupported('spec.strategy', s, ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

/** `ValidateDeploymentSpec`. */
export function validateDeploymentSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateNonnegativeField(spec.replicas as number | undefined, 'spec.replicas'));
  errs.push(...validateSelectorAndTemplate(spec, { kindNoun: 'deployment', kind: 'ReplicaSet' }));
  errs.push(...validateDeploymentStrategy(spec.strategy as Obj | undefined));
  errs.push(
    ...validateNonnegativeField(spec.minReadySeconds as number | undefined, 'spec.minReadySeconds'),
  );
  errs.push(
    ...validateNonnegativeField(
      spec.revisionHistoryLimit as number | undefined,
      'spec.revisionHistoryLimit',
    ),
  );
  const pds = spec.progressDeadlineSeconds as number | undefined;
  if (pds !== undefined && pds !== null) {
    errs.push(...validateNonnegativeField(pds, 'spec.progressDeadlineSeconds'));
    if (pds <= ((spec.minReadySeconds as number) ?? 0)) {
      errs.push(
        invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'),
      );
    }
  }
  return errs;
}

const deploymentStatusCounters = [
  'observedGeneration',
  'replicas',
  'updatedReplicas',
  'readyReplicas',
  'availableReplicas',
  'unavailableReplicas',
  'collisionCount',
];

export const deployments: ResourceType = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  singularName: 'deployment',
  kind: 'Deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  scale: {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.spec.selector',
  },
  defaults: setDefaultsDeployment,
  ...statusStrategy({
    initialStatus: () => ({}),
    annotationsBumpGeneration: true,
    statusUpdateKeepsMetadata: ['labels'],
  }),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateDeploymentSpec((obj.spec as Obj) ?? {}),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateDeploymentSpec((obj.spec as Obj) ?? {}),
    ...validateSelectorImmutable(obj, old),
  ],
  validateStatusUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateReplicaStatus(obj.status as Obj | undefined, deploymentStatusCounters, [
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
    ]),
    ...validateCollisionCount(obj.status as Obj | undefined, old.status as Obj | undefined),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col('Ready', 'Number of the pod with ready state'),
      col(
        'Up-to-date',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      ),
      col(
        'Available',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      ),
      ageColumn,
      col('Containers', 'Names of each container in the template.', { wide: true }),
      col('Images', 'Images referenced by each container in the template.', { wide: true }),
      col(
        'Selector',
        'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
        { wide: true },
      ),
    ],
    cells(obj, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      const status = (obj.status as Obj | undefined) ?? {};
      const [containers, images] = containersAndImages((spec.template as Obj | undefined)?.spec);
      return [
        nameOf(obj),
        `${(status.readyReplicas as number) ?? 0}/${(spec.replicas as number) ?? 0}`,
        (status.updatedReplicas as number) ?? 0,
        (status.availableReplicas as number) ?? 0,
        ageOf(obj, now),
        containers,
        images,
        labelSelectorCell(spec),
      ];
    },
  },
};
