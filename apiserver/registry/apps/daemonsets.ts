/**
 * apps/v1 daemonsets and controllerrevisions (`SetDefaults_DaemonSet`, `ValidateDaemonSet*`,
 * `ValidateControllerRevision*`, `printDaemonSet`, `printControllerRevision`). DaemonSets default
 * to RollingUpdate with maxUnavailable 1 / maxSurge 0 and revisionHistoryLimit 10; exactly one of
 * maxUnavailable and maxSurge is non-zero; the selector is immutable in apps/v1. A
 * ControllerRevision's data and revision are immutable.
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
import { invalid, notSupported, required, validateImmutableField } from '../validation/field.js';
import {
  validateNonnegativeField,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation/objectmeta.js';
import { formatLabels } from '../validation/selector.js';
import { ensure, metaFieldLabels, setDefault, statusStrategy } from '../strategy.js';
import { setDefaultsPodTemplateSpec } from '../core/podspec-defaults.js';
import { defaultRevisionHistoryLimit } from '../defaults.js';
import {
  intOrPercentValue,
  isNotMoreThan100Percent,
  labelSelectorCell,
  validateCollisionCount,
  validatePositiveIntOrPercent,
  validateSelectorAndTemplate,
  validateSelectorImmutable,
} from './workload.js';

type Obj = Record<string, unknown>;

/** `SetDefaults_DaemonSet`. */
export function setDefaultsDaemonSet(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  const us = ensure(spec, 'updateStrategy');
  setDefault(us, 'type', 'RollingUpdate');
  if (us.type === 'RollingUpdate') {
    const ru = ensure(us, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', defaultRevisionHistoryLimit);
  setDefaultsPodTemplateSpec(spec.template as Obj | undefined);
}

function validateDaemonSetSpec(spec: Obj): FieldError[] {
  const errs = validateSelectorAndTemplate(spec, {
    kindNoun: 'daemonset',
    kind: 'DaemonSet',
    selectorOptional: true,
  });
  errs.push(
    ...validateNonnegativeField(spec.minReadySeconds as number | undefined, 'spec.minReadySeconds'),
  );
  errs.push(
    ...validateNonnegativeField(
      spec.revisionHistoryLimit as number | undefined,
      'spec.revisionHistoryLimit',
    ),
  );
  const us = (spec.updateStrategy as Obj | undefined) ?? {};
  switch (us.type) {
    case 'OnDelete':
      break;
    case 'RollingUpdate': {
      const ru = us.rollingUpdate as Obj | undefined;
      if (!ru) {
        errs.push(required('spec.updateStrategy.rollingUpdate'));
        break;
      }
      const p = 'spec.updateStrategy.rollingUpdate';
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${p}.maxSurge`));
      errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${p}.maxUnavailable`));
      errs.push(...isNotMoreThan100Percent(ru.maxSurge, `${p}.maxSurge`));
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge)
        errs.push(
          invalid(`${p}.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'),
        );
      if (!hasUnavailable && !hasSurge)
        errs.push(required(`${p}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      break;
    }
    default:
      errs.push(notSupported('spec.updateStrategy', us, ['RollingUpdate', 'OnDelete']));
  }
  return errs;
}

const dsCounters = [
  'currentNumberScheduled',
  'numberMisscheduled',
  'desiredNumberScheduled',
  'numberReady',
  'observedGeneration',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
  'collisionCount',
];

export const daemonSets: ResourceType = {
  group: 'apps',
  version: 'v1',
  resource: 'daemonsets',
  singularName: 'daemonset',
  kind: 'DaemonSet',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  subresources: ['status'],
  defaults: setDefaultsDaemonSet,
  ...statusStrategy({
    initialStatus: () => ({
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    }),
  }),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateDaemonSetSpec((obj.spec as Obj) ?? {}),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateDaemonSetSpec((obj.spec as Obj) ?? {}),
    ...validateSelectorImmutable(obj, old),
  ],
  validateStatusUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...dsCounters.flatMap((c) =>
      validateNonnegativeField(
        (obj.status as Obj | undefined)?.[c] as number | undefined,
        `status.${c}`,
      ),
    ),
    ...validateCollisionCount(obj.status as Obj | undefined, old.status as Obj | undefined),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col(
        'Desired',
        'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).',
        { type: 'integer' },
      ),
      col(
        'Current',
        'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
        { type: 'integer' },
      ),
      col(
        'Ready',
        'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
        { type: 'integer' },
      ),
      col('Up-to-date', 'The total number of nodes that are running updated daemon pod', {
        type: 'integer',
      }),
      col(
        'Available',
        'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
        { type: 'integer' },
      ),
      col(
        'Node Selector',
        'NodeSelector is a selector which must be true for the pod to fit on a node.',
      ),
      ageColumn,
      col('Containers', 'Names of each container in the template.', { wide: true }),
      col('Images', 'Images referenced by each container in the template.', { wide: true }),
      col('Selector', 'A label query over pods that are managed by the daemon set.', {
        wide: true,
      }),
    ],
    cells(obj, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      const s = (obj.status as Obj | undefined) ?? {};
      const podSpec = (spec.template as Obj | undefined)?.spec as Obj | undefined;
      const [containers, images] = containersAndImages(podSpec);
      const n = (k: string) => (s[k] as number) ?? 0;
      return [
        nameOf(obj),
        n('desiredNumberScheduled'),
        n('currentNumberScheduled'),
        n('numberReady'),
        n('updatedNumberScheduled'),
        n('numberAvailable'),
        formatLabels(podSpec?.nodeSelector as Record<string, string> | undefined),
        ageOf(obj, now),
        containers,
        images,
        labelSelectorCell(spec),
      ];
    },
  },
};

/** `formatResourceName` of the controller owner: `statefulset.apps/web`, `<none>` without one. */
export function controllerName(obj: KubeObject): string {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller);
  if (!ref) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  const gk = group ? `${ref.kind}.${group}` : ref.kind;
  return `${gk.toLowerCase()}/${ref.name}`;
}

function validateRevision(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (obj.data === undefined || obj.data === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...validateNonnegativeField(obj.revision as number | undefined, 'revision'));
  return errs;
}

export const controllerRevisions: ResourceType = {
  group: 'apps',
  version: 'v1',
  resource: 'controllerrevisions',
  singularName: 'controllerrevision',
  kind: 'ControllerRevision',
  namespaced: true,
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateRevision(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateRevision(obj),
    ...validateImmutableField(obj.data, old.data, 'data'),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col('Controller', 'Controller of the object'),
      col('Revision', 'Revision indicates the revision of the state represented by Data.', {
        type: 'integer',
      }),
      ageColumn,
    ],
    cells: (obj, { now }) => [
      nameOf(obj),
      controllerName(obj),
      (obj.revision as number) ?? 0,
      ageOf(obj, now),
    ],
  },
};
