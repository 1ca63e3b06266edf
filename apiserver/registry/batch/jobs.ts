/**
 * batch/v1 jobs (`SetDefaults_Job`, pkg/apis/batch/validation `ValidateJob*`,
 * pkg/registry/batch/job/strategy.go): completions/parallelism 1, backoffLimit 6, NonIndexed
 * completion mode, suspend false, podReplacementPolicy; the generated selector on
 * `batch.kubernetes.io/controller-uid` (needs `metadata.uid`, which the generic store fills before
 * `prepareForCreate`); template restart policy OnFailure or Never; selector, template (unless
 * suspended), completionMode, podFailurePolicy immutable; `status.successful` selectable.
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
import { humanDuration } from '../printers/duration.js';
import { invalid, notSupported, required, validateImmutableField } from '../validation/field.js';
import {
  validateNonnegativeField,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation/objectmeta.js';
import { formatLabelSelector, type LabelSelector } from '../validation/selector.js';
import { ensure, metaFieldLabels, setDefault, statusStrategy } from '../strategy.js';
import { setDefaultsPodTemplateSpec } from '../core/podspec-defaults.js';
import { defaultJobBackoffLimit } from '../defaults.js';
import { validateSelectorAndTemplate } from '../apps/workload.js';

type Obj = Record<string, unknown>;

/** `batch.ControllerUidLabel`, `batch.JobNameLabel` and their legacy forms. */
export const jobLabels = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
} as const;

const maxInt32 = 2147483647;

const jobStrategy = statusStrategy({ initialStatus: () => ({}) });

/** `SetDefaults_Job`. */
export function setDefaultsJob(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  if (
    (spec.completions === undefined || spec.completions === null) &&
    (spec.parallelism === undefined || spec.parallelism === null)
  ) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  if (spec.backoffLimit === undefined || spec.backoffLimit === null) {
    spec.backoffLimit =
      spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null
        ? maxInt32
        : defaultJobBackoffLimit;
  }
  const templateLabels = ((spec.template as Obj | undefined)?.metadata as Obj | undefined)
    ?.labels as Record<string, string> | undefined;
  if (templateLabels && Object.keys(obj.metadata?.labels ?? {}).length === 0)
    (obj.metadata ??= {}).labels = { ...templateLabels };
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  const pfp = spec.podFailurePolicy as Obj | undefined;
  for (const rule of (pfp?.rules as Obj[] | undefined) ?? []) {
    for (const c of (rule.onPodConditions as Obj[] | undefined) ?? [])
      setDefault(c, 'status', 'True');
  }
  setDefault(spec, 'podReplacementPolicy', pfp ? 'Failed' : 'TerminatingOrFailed');
  setDefaultsPodTemplateSpec(spec.template as Obj | undefined);
}

/** `generateSelector`: template labels job-name/controller-uid and the controller-uid selector. */
export function generateJobSelector(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  if (spec.manualSelector === true) return;
  const uid = obj.metadata?.uid;
  if (!uid) return;
  const labels = ensure(ensure(spec, 'template'), 'metadata', 'labels') as Record<string, string>;
  const name = obj.metadata?.name ?? '';
  for (const k of [jobLabels.legacyJobName, jobLabels.jobName])
    if (!(k in labels)) labels[k] = name;
  for (const k of [jobLabels.legacyControllerUid, jobLabels.controllerUid])
    if (!(k in labels)) labels[k] = uid;
  const matchLabels = ensure(spec, 'selector', 'matchLabels') as Record<string, string>;
  if (!(jobLabels.controllerUid in matchLabels)) matchLabels[jobLabels.controllerUid] = uid;
}

/** `validateJobSpec` (shared with CronJob templates, whose selector is generated later). */
export function validateJobSpec(
  spec: Obj,
  path: string,
  opts: { template?: boolean } = {},
): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
    'backoffLimitPerIndex',
    'maxFailedIndexes',
  ]) {
    errs.push(...validateNonnegativeField(spec[f] as number | undefined, `${path}.${f}`));
  }
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
    errs.push(notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  }
  if (mode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  }
  if (
    spec.podReplacementPolicy !== undefined &&
    !['TerminatingOrFailed', 'Failed'].includes(spec.podReplacementPolicy as string)
  ) {
    errs.push(
      notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, [
        'TerminatingOrFailed',
        'Failed',
      ]),
    );
  }
  errs.push(
    ...validateSelectorAndTemplate(spec, {
      kindNoun: 'job',
      kind: 'Job',
      restartPolicies: ['OnFailure', 'Never'],
      selectorGenerated: opts.template,
      path,
    }),
  );
  return errs;
}

function validateJobUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = (obj.spec as Obj | undefined) ?? {};
  const oldSpec = (old.spec as Obj | undefined) ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateImmutableField(spec.selector, oldSpec.selector, 'spec.selector'));
  const suspended = spec.suspend === true && oldSpec.suspend === true;
  if (!suspended)
    errs.push(...validateImmutableField(spec.template, oldSpec.template, 'spec.template'));
  for (const f of [
    'completionMode',
    'podFailurePolicy',
    'backoffLimitPerIndex',
    'manualSelector',
  ]) {
    errs.push(...validateImmutableField(spec[f], oldSpec[f], `spec.${f}`));
  }
  const elastic =
    spec.completionMode === 'Indexed' &&
    spec.completions === spec.parallelism &&
    oldSpec.completions === oldSpec.parallelism;
  if (!elastic)
    errs.push(...validateImmutableField(spec.completions, oldSpec.completions, 'spec.completions'));
  return errs;
}

function hasTrueCondition(status: Obj | undefined, type: string): boolean {
  return ((status?.conditions as Obj[] | undefined) ?? []).some(
    (c) => c.type === type && c.status === 'True',
  );
}

/**
 * `validateJobStatusUpdate`: non-negative counters, a startTime that changes only while the job
 * is suspended or as it resumes, and the rules on
 * terminal conditions that upstream enforces on new violations only (ratcheting): a Complete job
 * needs completionTime and SuccessCriteriaMet, a finished job needs startTime.
 */
export function validateJobStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const s = (obj.status as Obj | undefined) ?? {};
  const o = (old.status as Obj | undefined) ?? {};
  for (const f of ['active', 'succeeded', 'failed', 'ready', 'terminating']) {
    errs.push(...validateNonnegativeField(s[f] as number | undefined, `status.${f}`));
  }
  // upstream RejectStartTimeUpdateForUnsuspendedJob (with the 1.34.2 fix, kubernetes#134769):
  // startTime may change while the job is suspended, or as it resumes (Suspended True → not True)
  const spec = (obj.spec as Obj | undefined) ?? {};
  const resuming = hasTrueCondition(o, 'Suspended') && !hasTrueCondition(s, 'Suspended');
  if (o.startTime && s.startTime !== o.startTime && spec.suspend !== true && !resuming) {
    errs.push(required('status.startTime', 'startTime cannot be removed for unsuspended job'));
  }
  const complete = hasTrueCondition(s, 'Complete');
  const finished = complete || hasTrueCondition(s, 'Failed');
  const wasComplete = hasTrueCondition(o, 'Complete');
  const wasFinished = wasComplete || hasTrueCondition(o, 'Failed');
  if (complete && !wasComplete) {
    if (!s.completionTime)
      errs.push(required('status.completionTime', 'completionTime is required for Complete jobs'));
    if (!hasTrueCondition(s, 'SuccessCriteriaMet')) {
      errs.push(
        invalid(
          'status.conditions',
          undefined,
          'cannot set Complete=True condition without the SuccessCriteriaMet=true condition',
        ),
      );
    }
  }
  if (finished && !wasFinished && !s.startTime)
    errs.push(required('status.startTime', 'startTime is required for finished job'));
  return errs;
}

/** The Job STATUS cell, in upstream's order of precedence. */
export function jobStatus(obj: KubeObject): string {
  const conds = ((obj.status as Obj | undefined)?.conditions as Obj[] | undefined) ?? [];
  const has = (t: string) => conds.some((c) => c.type === t && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (obj.metadata?.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** The COMPLETIONS cell: `1/3`, or `0/1 of 4` for a parallel job without completions. */
export function jobCompletions(obj: KubeObject): string {
  const spec = (obj.spec as Obj | undefined) ?? {};
  const succeeded = ((obj.status as Obj | undefined)?.succeeded as number) ?? 0;
  if (spec.completions !== undefined && spec.completions !== null)
    return `${succeeded}/${spec.completions}`;
  const parallelism = (spec.parallelism as number) ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(obj: KubeObject, now: number): string {
  const status = (obj.status as Obj | undefined) ?? {};
  const start = Date.parse((status.startTime as string) ?? '');
  if (Number.isNaN(start)) return '';
  const end = Date.parse((status.completionTime as string) ?? '');
  return humanDuration((Number.isNaN(end) ? now : end) - start);
}

export const jobs: ResourceType = {
  group: 'batch',
  version: 'v1',
  resource: 'jobs',
  singularName: 'job',
  kind: 'Job',
  namespaced: true,
  categories: ['all'],
  subresources: ['status'],
  defaultPropagation: 'Orphan',
  defaults: setDefaultsJob,
  ...jobStrategy,
  prepareForCreate(obj, ctx) {
    jobStrategy.prepareForCreate!(obj, ctx);
    generateJobSelector(obj);
  },
  validateCreate(obj) {
    generateJobSelector(obj);
    return [
      ...validateObjectMeta(obj.metadata, { namespaced: true }),
      ...validateJobSpec((obj.spec as Obj) ?? {}, 'spec'),
    ];
  },
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateJobSpec((obj.spec as Obj) ?? {}, 'spec'),
    ...validateJobUpdate(obj, old),
  ],
  validateStatusUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateJobStatusUpdate(obj, old),
  ],
  fieldLabels: (obj) => ({
    ...metaFieldLabels(obj, true),
    'status.successful': String(((obj.status as Obj | undefined)?.succeeded as number) ?? 0),
  }),
  table: {
    columns: [
      nameColumn,
      col('Status', 'Status of the job.'),
      col('Completions', 'The number of pods which reached phase Succeeded.'),
      col('Duration', 'Time required to complete the job.'),
      ageColumn,
      col('Containers', 'Names of each container in the template.', { wide: true }),
      col('Images', 'Images referenced by each container in the template.', { wide: true }),
      col('Selector', 'A label query over pods that should match the pod count.', { wide: true }),
    ],
    cells(obj, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      const [containers, images] = containersAndImages((spec.template as Obj | undefined)?.spec);
      return [
        nameOf(obj),
        jobStatus(obj),
        jobCompletions(obj),
        jobDuration(obj, now),
        ageOf(obj, now),
        containers,
        images,
        formatLabelSelector(spec.selector as LabelSelector | undefined),
      ];
    },
  },
};
