/**
 * Pieces shared by the workload types (apps/v1 and core ReplicationControllers, batch): the
 * selector-versus-template rules of pkg/apis/apps/validation (`ValidatePodTemplateSpecForReplicaSet`),
 * int-or-percent fields, status counters, and the replica-set-like table.
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
import {
  forbidden,
  invalid,
  notSupported,
  required,
  validateImmutableField,
} from '../validation/field.js';
import { regexError } from '../validation/names.js';
import {
  validateAnnotations,
  validateLabels,
  validateNonnegativeField,
} from '../validation/objectmeta.js';
import {
  formatLabelSelector,
  isEmptySelector,
  selectorMatches,
  validateLabelSelector,
  type LabelSelector,
} from '../validation/selector.js';
import { validatePodTemplateSpec } from '../core/podspec-validation.js';

type Obj = Record<string, unknown>;

/** Options of {@link validateSelectorAndTemplate}. */
export interface SelectorTemplateOptions {
  /** Lower-case noun in "empty selector is invalid for <kind>". */
  kindNoun: string;
  /** Kind named in "activeDeadlineSeconds in <Kind> is not Supported". */
  kind: string;
  /** Allowed restart policies of the template; default `['Always']`. */
  restartPolicies?: string[];
  /** Skip the PodSpec validation of the template (StatefulSet, as upstream). */
  skipPodSpec?: boolean;
  /** A missing selector is not itself an error (DaemonSet: it then matches nothing). */
  selectorOptional?: boolean;
  /** A missing selector is fine and matches anything (CronJob job templates: generated later). */
  selectorGenerated?: boolean;
  /** Path of the spec; default `spec` (CronJobs: `spec.jobTemplate.spec`). */
  path?: string;
}

/**
 * `spec.selector` required, well-formed and non-empty; it must match `spec.template.metadata.labels`;
 * the template is a valid PodTemplateSpec with an allowed restart policy and no deadline.
 */
export function validateSelectorAndTemplate(
  spec: Obj,
  opts: SelectorTemplateOptions,
): FieldError[] {
  const p = opts.path ?? 'spec';
  const errs: FieldError[] = [];
  const selector = spec.selector as LabelSelector | undefined;
  if (!selector) {
    if (!opts.selectorOptional && !opts.selectorGenerated) errs.push(required(`${p}.selector`));
  } else {
    errs.push(...validateLabelSelector(selector, `${p}.selector`));
    if (isEmptySelector(selector))
      errs.push(
        invalid(`${p}.selector`, selector, `empty selector is invalid for ${opts.kindNoun}`),
      );
  }
  const template = spec.template as Obj | undefined;
  if (!template) {
    errs.push(required(`${p}.template`));
    return errs;
  }
  const labels = (template.metadata as Obj | undefined)?.labels as
    Record<string, string> | undefined;
  const checkMatch = selector
    ? !isEmptySelector(selector)
    : opts.selectorOptional === true && !opts.selectorGenerated;
  if (checkMatch && !selectorMatches(selector, labels)) {
    errs.push(
      invalid(
        `${p}.template.metadata.labels`,
        labels ?? {},
        '`selector` does not match template `labels`',
      ),
    );
  }
  const allowed = opts.restartPolicies ?? ['Always'];
  if (opts.skipPodSpec) {
    const meta = (template.metadata as Obj | undefined) ?? {};
    errs.push(
      ...validateLabels(meta.labels as Record<string, string> | undefined, `${p}.template.labels`),
    );
    errs.push(
      ...validateAnnotations(
        meta.annotations as Record<string, string> | undefined,
        `${p}.template.annotations`,
      ),
    );
    const rp = (template.spec as Obj | undefined)?.restartPolicy;
    if (!allowed.includes(rp as string))
      errs.push(notSupported(`${p}.template.spec.restartPolicy`, rp ?? '', allowed));
    if ((template.spec as Obj | undefined)?.activeDeadlineSeconds != null) {
      errs.push(
        forbidden(
          `${p}.template.spec.activeDeadlineSeconds`,
          `activeDeadlineSeconds in ${opts.kind} is not Supported`,
        ),
      );
    }
    return errs;
  }
  errs.push(
    ...validatePodTemplateSpec(template, `${p}.template`, {
      restartPolicies: allowed,
      forbidActiveDeadlineFor: opts.restartPolicies ? undefined : opts.kind,
    }),
  );
  return errs;
}

const percentFmt = '[0-9]+%';

/** `ValidatePositiveIntOrPercent`. */
export function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    if (!new RegExp(`^${percentFmt}$`).test(v)) {
      return [
        invalid(
          path,
          v,
          regexError(
            "a valid percent string must be a numeric string followed by an ending '%'",
            percentFmt,
            '1%',
            '93%',
          ),
        ),
      ];
    }
    return [];
  }
  if (typeof v === 'number') return validateNonnegativeField(v, path);
  return [invalid(path, v, "must be an integer or percentage (e.g '5%')")];
}

/** The integer or the percent number of an int-or-percent value (`getIntOrPercentValue`). */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+%$/.test(v)) return Number(v.slice(0, -1));
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) return Number(v);
  return 0;
}

/** `IsNotMoreThan100Percent`. */
export function isNotMoreThan100Percent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string' && /^[0-9]+%$/.test(v) && Number(v.slice(0, -1)) > 100) {
    return [invalid(path, v, 'must not be greater than 100%')];
  }
  return [];
}

/** Non-negative counters, and `<field> ≤ status.replicas` style checks of status updates. */
export function validateReplicaStatus(
  status: Obj | undefined,
  counters: string[],
  notAboveReplicas: string[],
  availableVsReady = 'cannot be greater than readyReplicas',
): FieldError[] {
  const s = status ?? {};
  const errs: FieldError[] = [];
  for (const c of counters)
    errs.push(...validateNonnegativeField(s[c] as number | undefined, `status.${c}`));
  const replicas = (s.replicas as number) ?? 0;
  for (const c of notAboveReplicas) {
    if (((s[c] as number) ?? 0) > replicas)
      errs.push(invalid(`status.${c}`, s[c], 'cannot be greater than status.replicas'));
  }
  if (
    counters.includes('availableReplicas') &&
    ((s.availableReplicas as number) ?? 0) > ((s.readyReplicas as number) ?? 0)
  ) {
    errs.push(invalid('status.availableReplicas', s.availableReplicas, availableVsReady));
  }
  return errs;
}

/** `ValidateReplicaSetStatus` (also ReplicationControllers): counters, and none above `replicas`. */
export function validateReplicaSetStatus(status: Obj | undefined): FieldError[] {
  return validateReplicaStatus(
    status,
    [
      'replicas',
      'fullyLabeledReplicas',
      'readyReplicas',
      'availableReplicas',
      'observedGeneration',
    ],
    ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
  );
}

/** apps/v1: `spec.selector` is immutable (upstream's strategies check it outside extensions/v1beta1). */
export function validateSelectorImmutable(obj: KubeObject, old: KubeObject): FieldError[] {
  return validateImmutableField(
    (obj.spec as Obj | undefined)?.selector,
    (old.spec as Obj | undefined)?.selector,
    'spec.selector',
  );
}

/** `IsDecremented` check of `status.collisionCount`. */
export function validateCollisionCount(
  status: Obj | undefined,
  oldStatus: Obj | undefined,
): FieldError[] {
  const n = status?.collisionCount as number | undefined;
  const o = oldStatus?.collisionCount as number | undefined;
  if (o !== undefined && (n === undefined || n < o)) {
    return [invalid('status.collisionCount', n ?? 0, 'cannot be decremented')];
  }
  return [];
}

/** The ReplicaSet/ReplicationController table: DESIRED CURRENT READY AGE (+ CONTAINERS IMAGES SELECTOR). */
export function replicaSetLikeTable(
  selectorCell: (spec: Obj) => string,
): NonNullable<ResourceType['table']> {
  return {
    columns: [
      nameColumn,
      col(
        'Desired',
        'Number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.',
        { type: 'integer' },
      ),
      col('Current', 'Replicas is the most recently observed number of replicas.', {
        type: 'integer',
      }),
      col('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
      ageColumn,
      col('Containers', 'Names of each container in the template.', { wide: true }),
      col('Images', 'Images referenced by each container in the template.', { wide: true }),
      col('Selector', 'Selector is a label query over pods that should match the replica count.', {
        wide: true,
      }),
    ],
    cells(obj: KubeObject, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      const status = (obj.status as Obj | undefined) ?? {};
      const [containers, images] = containersAndImages((spec.template as Obj | undefined)?.spec);
      return [
        nameOf(obj),
        (spec.replicas as number) ?? 0,
        (status.replicas as number) ?? 0,
        (status.readyReplicas as number) ?? 0,
        ageOf(obj, now),
        containers,
        images,
        selectorCell(spec),
      ];
    },
  };
}

/** Selector cell of apps workloads. */
export function labelSelectorCell(spec: Obj): string {
  return formatLabelSelector(spec.selector as LabelSelector | undefined);
}
