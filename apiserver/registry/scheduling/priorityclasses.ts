/**
 * scheduling.k8s.io/v1 priorityclasses (pkg/apis/scheduling/validation, pkg/apis/scheduling
 * `SystemPriorityClasses`): user classes are at most 10⁹; names with the `system-` prefix are
 * reserved for the two system classes, whose manifests {@link systemPriorityClasses} returns for
 * the core to create at start-up; value and preemptionPolicy never change.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, nameColumn, nameOf } from '../printers/columns.js';
import { forbidden, notSupported } from '../validation/field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta.js';
import { metaFieldLabels, setDefault } from '../strategy.js';
import { highestUserDefinablePriority, systemCriticalPriority } from '../defaults.js';

const preemptionPolicies = ['Never', 'PreemptLowerPriority'];

/** `scheduling.SystemPriorityClassPrefix`. */
export const systemPriorityClassPrefix = 'system-';

/** The two system PriorityClasses (`scheduling.SystemPriorityClasses()`), as fresh objects. */
export function systemPriorityClasses(): KubeObject[] {
  return [
    {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'system-node-critical' },
      value: systemCriticalPriority + 1000,
      description: 'Used for system critical pods that must not be moved from their current node.',
      preemptionPolicy: 'PreemptLowerPriority',
    },
    {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'system-cluster-critical' },
      value: systemCriticalPriority,
      description:
        'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
      preemptionPolicy: 'PreemptLowerPriority',
    },
  ];
}

/** `IsKnownSystemPriorityClass`: '' when known, else upstream's error text. */
function knownSystemClassError(name: string, value: number, globalDefault: boolean): string {
  const known = systemPriorityClasses().find((pc) => pc.metadata!.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return '';
}

function validate(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = obj.metadata?.name ?? '';
  const value = (obj.value as number) ?? 0;
  if (name.startsWith(systemPriorityClassPrefix)) {
    const err = knownSystemClassError(name, value, obj.globalDefault === true);
    if (err)
      errs.push(
        forbidden(
          'metadata.name',
          `priority class names with '${systemPriorityClassPrefix}' prefix are reserved for system use only. error: ${err}`,
        ),
      );
  } else if (value > highestUserDefinablePriority) {
    errs.push(
      forbidden(
        'value',
        `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`,
      ),
    );
  }
  if (
    obj.preemptionPolicy !== undefined &&
    !preemptionPolicies.includes(obj.preemptionPolicy as string)
  ) {
    errs.push(notSupported('preemptionPolicy', obj.preemptionPolicy, preemptionPolicies));
  }
  return errs;
}

export const priorityClasses: ResourceType = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  resource: 'priorityclasses',
  singularName: 'priorityclass',
  kind: 'PriorityClass',
  namespaced: false,
  shortNames: ['pc'],
  defaults: (obj) =>
    setDefault(obj as Record<string, unknown>, 'preemptionPolicy', 'PreemptLowerPriority'),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: false }),
    ...validate(obj),
  ],
  validateUpdate(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    if (obj.value !== old.value) errs.push(forbidden('value', 'may not be changed in an update.'));
    if (
      (obj.preemptionPolicy ?? 'PreemptLowerPriority') !==
      (old.preemptionPolicy ?? 'PreemptLowerPriority')
    ) {
      errs.push(forbidden('preemptionPolicy', 'may not be changed in an update.'));
    }
    return [...errs, ...validate(obj)];
  },
  fieldLabels: (obj) => metaFieldLabels(obj, false),
  table: {
    columns: [
      nameColumn,
      col('Value', 'value represents the integer value of this priority class.', {
        type: 'integer',
      }),
      col(
        'Global-Default',
        'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.',
        { type: 'boolean' },
      ),
      ageColumn,
      col(
        'PreemptionPolicy',
        'preemptionPolicy is the Policy for preempting pods with lower priority.',
      ),
    ],
    cells: (obj, { now }) => [
      nameOf(obj),
      (obj.value as number) ?? 0,
      obj.globalDefault === true,
      ageOf(obj, now),
      (obj.preemptionPolicy as string) ?? '',
    ],
  },
};
