/**
 * apps/v1 replicasets (pkg/apis/apps/v1/defaults.go `SetDefaults_ReplicaSet`,
 * `ValidateReplicaSet*`, pkg/registry/apps/replicaset/strategy.go): replicas default 1, selector
 * immutable in apps/v1, generation on spec changes, `status.replicas` selectable.
 */
import type { ResourceType } from '../types.js';
import {
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateNonnegativeField,
} from '../validation/objectmeta.js';
import { ensure, metaFieldLabels, setDefault, statusStrategy } from '../strategy.js';
import { setDefaultsPodTemplateSpec } from '../core/podspec-defaults.js';
import {
  labelSelectorCell,
  replicaSetLikeTable,
  validateReplicaSetStatus,
  validateSelectorAndTemplate,
  validateSelectorImmutable,
} from './workload.js';

type Obj = Record<string, unknown>;

function validateReplicaSetSpec(spec: Obj) {
  return [
    ...validateNonnegativeField(spec.replicas as number | undefined, 'spec.replicas'),
    ...validateNonnegativeField(spec.minReadySeconds as number | undefined, 'spec.minReadySeconds'),
    ...validateSelectorAndTemplate(spec, { kindNoun: 'deployment', kind: 'ReplicaSet' }),
  ];
}

export const replicaSets: ResourceType = {
  group: 'apps',
  version: 'v1',
  resource: 'replicasets',
  singularName: 'replicaset',
  kind: 'ReplicaSet',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  scale: {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.spec.selector',
  },
  defaults(obj) {
    const spec = ensure(obj, 'spec');
    setDefault(spec, 'replicas', 1);
    setDefaultsPodTemplateSpec(spec.template as Obj | undefined);
  },
  ...statusStrategy({
    initialStatus: () => ({ replicas: 0 }),
  }),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateReplicaSetSpec((obj.spec as Obj) ?? {}),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateReplicaSetSpec((obj.spec as Obj) ?? {}),
    ...validateSelectorImmutable(obj, old),
  ],
  validateStatusUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateReplicaSetStatus(obj.status as Obj | undefined),
  ],
  fieldLabels: (obj) => ({
    ...metaFieldLabels(obj, true),
    'status.replicas': String(((obj.status as Obj | undefined)?.replicas as number) ?? 0),
  }),
  table: replicaSetLikeTable(labelSelectorCell),
};
