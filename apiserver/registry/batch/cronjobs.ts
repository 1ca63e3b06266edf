/**
 * batch/v1 cronjobs (`SetDefaults_CronJob`, `ValidateCronJob*`, `printCronJob`): concurrencyPolicy
 * Allow, suspend false, history limits 3/1; names of at most 52 characters; schedules parsed as
 * robfig/cron's ParseStandard does, without `TZ=` (use `spec.timeZone`); the job template is
 * validated as a Job spec whose selector is generated later.
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
import { translateTimestampSince } from '../printers/duration.js';
import { invalid, notSupported, required } from '../validation/field.js';
import { maxLenError } from '../validation/names.js';
import {
  validateLabels,
  validateNonnegativeField,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validateAnnotations,
} from '../validation/objectmeta.js';
import { formatLabelSelector, type LabelSelector } from '../validation/selector.js';
import { ensure, metaFieldLabels, setDefault, statusStrategy } from '../strategy.js';
import { setDefaultsPodTemplateSpec } from '../core/podspec-defaults.js';
import { cronJobNameMaxLength } from '../defaults.js';
import { validateJobSpec } from './jobs.js';
import { isTimeZone, parseCronError } from './cron.js';

type Obj = Record<string, unknown>;

/** `SetDefaults_CronJob`. */
export function setDefaultsCronJob(obj: KubeObject): void {
  const spec = ensure(obj, 'spec');
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  const jobSpec = ((spec.jobTemplate as Obj | undefined)?.spec as Obj | undefined) ?? undefined;
  if (jobSpec) setDefaultsPodTemplateSpec(jobSpec.template as Obj | undefined);
}

const concurrencyPolicies = ['Allow', 'Forbid', 'Replace'];

function validateCronJobSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = (spec.schedule as string) ?? '';
  if (!schedule) errs.push(required('spec.schedule'));
  else {
    const err = parseCronError(schedule);
    if (err) errs.push(invalid('spec.schedule', schedule, err));
    if (schedule.includes('TZ'))
      errs.push(
        invalid(
          'spec.schedule',
          schedule,
          'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
        ),
      );
  }
  const tz = spec.timeZone;
  if (tz !== undefined && tz !== null) {
    if (tz === '')
      errs.push(invalid('spec.timeZone', tz, 'timeZone must be nil or non-empty string'));
    else if (String(tz).toLowerCase() === 'local')
      errs.push(
        invalid(
          'spec.timeZone',
          tz,
          'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
        ),
      );
    else if (!isTimeZone(tz as string))
      errs.push(invalid('spec.timeZone', tz, `unknown time zone ${tz}`));
  }
  if (!concurrencyPolicies.includes(spec.concurrencyPolicy as string)) {
    errs.push(
      spec.concurrencyPolicy
        ? notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, concurrencyPolicies)
        : required('spec.concurrencyPolicy'),
    );
  }
  for (const f of [
    'startingDeadlineSeconds',
    'successfulJobsHistoryLimit',
    'failedJobsHistoryLimit',
  ]) {
    errs.push(...validateNonnegativeField(spec[f] as number | undefined, `spec.${f}`));
  }
  const jt = spec.jobTemplate as Obj | undefined;
  if (!jt) {
    errs.push(required('spec.jobTemplate'));
    return errs;
  }
  const meta = (jt.metadata as Obj | undefined) ?? {};
  errs.push(
    ...validateLabels(
      meta.labels as Record<string, string> | undefined,
      'spec.jobTemplate.metadata.labels',
    ),
  );
  errs.push(
    ...validateAnnotations(
      meta.annotations as Record<string, string> | undefined,
      'spec.jobTemplate.metadata.annotations',
    ),
  );
  errs.push(
    ...validateJobSpec((jt.spec as Obj) ?? {}, 'spec.jobTemplate.spec', { template: true }),
  );
  return errs;
}

function validateCronJobName(obj: KubeObject): FieldError[] {
  const name = obj.metadata?.name ?? '';
  return name.length > cronJobNameMaxLength
    ? [invalid('metadata.name', name, maxLenError(cronJobNameMaxLength))]
    : [];
}

export const cronJobs: ResourceType = {
  group: 'batch',
  version: 'v1',
  resource: 'cronjobs',
  singularName: 'cronjob',
  kind: 'CronJob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: ['status'],
  defaults: setDefaultsCronJob,
  ...statusStrategy({ initialStatus: () => ({}) }),
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true }),
    ...validateCronJobName(obj),
    ...validateCronJobSpec((obj.spec as Obj) ?? {}),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateCronJobSpec((obj.spec as Obj) ?? {}),
  ],
  validateStatusUpdate: (obj, old) => validateObjectMetaUpdate(obj.metadata, old.metadata),
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: {
    columns: [
      nameColumn,
      col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
      col(
        'Timezone',
        'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.',
      ),
      col(
        'Suspend',
        'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.',
        { type: 'boolean' },
      ),
      col('Active', 'A list of pointers to currently running jobs.', { type: 'integer' }),
      col(
        'Last Schedule',
        'Information when was the last time the job was successfully scheduled.',
      ),
      ageColumn,
      col('Containers', 'Names of each container in the template.', { wide: true }),
      col('Images', 'Images referenced by each container in the template.', { wide: true }),
      col('Selector', 'A label query over pods that should match the pod count.', { wide: true }),
    ],
    cells(obj, { now }) {
      const spec = (obj.spec as Obj | undefined) ?? {};
      const status = (obj.status as Obj | undefined) ?? {};
      const jobSpec = ((spec.jobTemplate as Obj | undefined)?.spec as Obj | undefined) ?? {};
      const [containers, images] = containersAndImages((jobSpec.template as Obj | undefined)?.spec);
      const suspend =
        spec.suspend === undefined || spec.suspend === null
          ? '<unset>'
          : spec.suspend
            ? 'True'
            : 'False';
      const last = status.lastScheduleTime
        ? translateTimestampSince(status.lastScheduleTime as string, now)
        : '<none>';
      return [
        nameOf(obj),
        (spec.schedule as string) ?? '',
        (spec.timeZone as string) ?? '<none>',
        suspend,
        ((status.active as unknown[]) ?? []).length,
        last,
        ageOf(obj, now),
        containers,
        images,
        formatLabelSelector(jobSpec.selector as LabelSelector | undefined),
      ];
    },
  },
};
