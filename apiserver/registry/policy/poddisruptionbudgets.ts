/**
 * policy/v1 poddisruptionbudgets (pkg/apis/policy/validation `ValidatePodDisruptionBudget*`,
 * `printPodDisruptionBudget`): minAvailable and maxUnavailable are exclusive ints-or-percents of
 * at most 100%; the selector is a valid label selector; status counters are non-negative.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, nameColumn, nameOf } from '../printers/columns.js';
import { invalid, notSupported } from '../validation/field.js';
import {
  validateNonnegativeField,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation/objectmeta.js';
import { validateLabelSelector, type LabelSelector } from '../validation/selector.js';
import { metaFieldLabels, statusStrategy } from '../strategy.js';
import { isNotMoreThan100Percent, validatePositiveIntOrPercent } from '../apps/workload.js';

type Obj = Record<string, unknown>;

const evictionPolicies = ['AlwaysAllow', 'IfHealthyBudget'];

function validatePDBSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const set = (v: unknown) => v !== undefined && v !== null;
  if (set(spec.minAvailable) && set(spec.maxUnavailable)) {
    errs.push(invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (!set(spec[f])) continue;
    errs.push(...validatePositiveIntOrPercent(spec[f], `spec.${f}`));
    errs.push(...isNotMoreThan100Percent(spec[f], `spec.${f}`));
  }
  errs.push(...validateLabelSelector(spec.selector as LabelSelector | undefined, 'spec.selector'));
  if (
    spec.unhealthyPodEvictionPolicy !== undefined &&
    !evictionPolicies.includes(spec.unhealthyPodEvictionPolicy as string)
  ) {
    errs.push(
      notSupported(
        'spec.unhealthyPodEvictionPolicy',
        spec.unhealthyPodEvictionPolicy,
        evictionPolicies,
      ),
    );
  }
  return errs;
}

function intOrStringCell(v: unknown): string {
  return v === undefined || v === null ? 'N/A' : String(v);
}

export const podDisruptionBudgets: ResourceType = {
  group: 'policy',
  version: 'v1',
  resource: 'poddisruptionbudgets',
  singularName: 'poddisruptionbudget',
  kind: 'PodDisruptionBudget',
  namespaced: true,
  shortNames: ['pdb'],
  subresources: ['status'],
  ...statusStrategy({
    initialStatus: () => ({
      disruptionsAllowed: 0,
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
    }),
  }),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validatePDBSpec((obj.spec as Obj) ?? {}),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validatePDBSpec((obj.spec as Obj) ?? {}),
  ],
  validateStatusUpdate: (obj: KubeObject, old: KubeObject) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'].flatMap((f) =>
      validateNonnegativeField(
        (obj.status as Obj | undefined)?.[f] as number | undefined,
        `status.${f}`,
      ),
    ),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col(
        'Min Available',
        'The minimum number of pods that must be available simultaneously. This can be either an integer or a string specifying a percentage, e.g. "28%".',
      ),
      col(
        'Max Unavailable',
        'The maximum number of pods that may be unavailable. This can be either an integer or a string specifying a percentage, e.g. "28%".',
      ),
      col('Allowed Disruptions', 'Number of pod disruptions that are currently allowed.', {
        type: 'integer',
      }),
      ageColumn,
    ],
    cells(obj, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      return [
        nameOf(obj),
        intOrStringCell(spec.minAvailable),
        intOrStringCell(spec.maxUnavailable),
        ((obj.status as Obj | undefined)?.disruptionsAllowed as number) ?? 0,
        ageOf(obj, now),
      ];
    },
  },
};
