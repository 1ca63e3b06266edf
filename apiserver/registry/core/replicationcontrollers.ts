/**
 * core/v1 replicationcontrollers and podtemplates (`SetDefaults_ReplicationController`,
 * `ValidateReplicationController*`, `ValidatePodTemplate*`): an RC's selector and labels default to
 * its template labels; the selector must be non-empty and match them; `/scale` and `/status` are
 * served; `status.replicas` is selectable.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { col, containersAndImages, nameColumn, nameOf } from '../printers/columns.js';
import { invalid, required } from '../validation/field.js';
import {
  validateLabels,
  validateNonnegativeField,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation/objectmeta.js';
import { formatLabels } from '../validation/selector.js';
import { ensure, metaFieldLabels, setDefault, statusStrategy } from '../strategy.js';
import { setDefaultsPodTemplateSpec } from './podspec-defaults.js';
import { validatePodTemplateSpec } from './podspec-validation.js';
import { replicaSetLikeTable, validateReplicaSetStatus } from '../apps/workload.js';

type Obj = Record<string, unknown>;
type Labels = Record<string, string>;

function setDefaultsRC(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  const labels = ((spec.template as Obj | undefined)?.metadata as Obj | undefined)?.labels as
    Labels | undefined;
  if (labels) {
    if (Object.keys((spec.selector as Labels | undefined) ?? {}).length === 0)
      spec.selector = { ...labels };
    if (Object.keys(obj.metadata?.labels ?? {}).length === 0)
      (obj.metadata ??= {}).labels = { ...labels };
  }
  setDefault(spec, 'replicas', 1);
  setDefaultsPodTemplateSpec(spec.template as Obj | undefined);
}

function validateRCSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(
    ...validateNonnegativeField(spec.minReadySeconds as number | undefined, 'spec.minReadySeconds'),
  );
  const selector = (spec.selector as Labels | undefined) ?? {};
  if (Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  errs.push(...validateLabels(selector, 'spec.selector'));
  errs.push(...validateNonnegativeField(spec.replicas as number | undefined, 'spec.replicas'));
  const template = spec.template as Obj | undefined;
  if (!template) {
    errs.push(required('spec.template'));
    return errs;
  }
  const labels = ((template.metadata as Obj | undefined)?.labels as Labels | undefined) ?? {};
  if (
    Object.keys(selector).length &&
    !Object.entries(selector).every(([k, v]) => labels[k] === v)
  ) {
    errs.push(
      invalid(
        'spec.template.metadata.labels',
        labels,
        '`selector` does not match template `labels`',
      ),
    );
  }
  errs.push(
    ...validatePodTemplateSpec(template, 'spec.template', {
      restartPolicies: ['Always'],
      forbidActiveDeadlineFor: 'ReplicationController',
    }),
  );
  return errs;
}

export const replicationControllers: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'replicationcontrollers',
  singularName: 'replicationcontroller',
  kind: 'ReplicationController',
  namespaced: true,
  shortNames: ['rc'],
  storagePrefix: 'controllers',
  categories: ['all'],
  subresources: ['status', 'scale'],
  scale: {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    labelSelectorPath: '.spec.selector',
  },
  allowCreateOnUpdate: true,
  defaultPropagation: 'Orphan',
  defaults: setDefaultsRC,
  ...statusStrategy({
    initialStatus: () => ({ replicas: 0 }),
  }),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateRCSpec((obj.spec as Obj) ?? {}),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateRCSpec((obj.spec as Obj) ?? {}),
  ],
  validateStatusUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateReplicaSetStatus(obj.status as Obj | undefined),
  ],
  fieldLabels: (obj) => ({
    ...metaFieldLabels(obj, true),
    'status.replicas': String(((obj.status as Obj | undefined)?.replicas as number) ?? 0),
  }),
  table: replicaSetLikeTable((spec) => formatLabels(spec.selector as Labels | undefined)),
};

export const podTemplates: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'podtemplates',
  singularName: 'podtemplate',
  kind: 'PodTemplate',
  namespaced: true,
  defaults: (obj) => setDefaultsPodTemplateSpec(obj.template as Obj | undefined),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validatePodTemplateSpec(obj.template as Obj | undefined, 'template'),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validatePodTemplateSpec(obj.template as Obj | undefined, 'template'),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col('Containers', 'Names of each container in the template.'),
      col('Images', 'Images referenced by each container in the template.'),
      col('Pod Labels', 'The labels for the pod template.'),
    ],
    cells(obj) {
      const t = (obj.template as Obj | undefined) ?? {};
      const [containers, images] = containersAndImages(t.spec);
      return [
        nameOf(obj),
        containers,
        images,
        formatLabels((t.metadata as Obj | undefined)?.labels as Labels | undefined),
      ];
    },
  },
};
