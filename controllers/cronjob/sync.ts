/**
 * The body of one CronJob sync (`cronjob_controllerv2.go` `syncCronJob`, `cleanupFinishedJobs`):
 * see `controller.ts` for the steps. Changes the CronJob copy it is given and reports whether its
 * status must be written; never writes the CronJob itself.
 */
import {
  CronJob,
  getControllerOf,
  isAlreadyExists,
  isNotFound,
  Job,
  type ApiClient,
  type Client,
  type Clock,
  type EventRecorder,
} from '../../framework/index.js';
import { errorMessage, isNamespaceTerminating } from '../util/index.js';
import { checkTimeZone, parseStandard, type Schedule } from '../../common/index.js';
import {
  byJobStartTime,
  finishedStatus,
  jobFromTemplate,
  jobName,
  mostRecentScheduleTime,
  nextScheduleDuration,
} from './utils.js';

type ObjectReference = NonNullable<NonNullable<CronJob['status']>['active']>[number];

export class CronJobSyncer {
  constructor(
    readonly client: Client,
    readonly api: ApiClient,
    readonly clock: Clock,
    readonly recorder: EventRecorder,
    readonly defaultZone: string,
  ) {}

  /** The schedule of a CronJob (`formatSchedule` + `ParseStandard`); throws when unparsable. */
  schedule(cj: Readonly<CronJob>, warn: boolean): Schedule {
    const spec = cj.spec?.schedule ?? '';
    if (spec.includes('TZ')) {
      if (warn) {
        void this.recorder.event(
          cj,
          'Warning',
          'UnsupportedSchedule',
          `CRON_TZ or TZ used in schedule "${spec}" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
        );
      }
      return parseStandard(spec, this.defaultZone);
    }
    return parseStandard(spec, this.zoneOf(cj) ?? this.defaultZone);
  }

  /** `spec.timeZone` when valid. */
  zoneOf(cj: Readonly<CronJob>): string | undefined {
    const zone = cj.spec?.timeZone;
    if (!zone) return undefined;
    try {
      checkTimeZone(zone);
      return zone;
    } catch {
      return undefined;
    }
  }

  /** `cleanupFinishedJobs`: keeps the newest N successful and M failed Jobs. */
  async cleanupFinishedJobs(cj: CronJob, jobs: readonly Readonly<Job>[]): Promise<boolean> {
    const successLimit = cj.spec?.successfulJobsHistoryLimit;
    const failedLimit = cj.spec?.failedJobsHistoryLimit;
    if (
      (successLimit === undefined || successLimit === null) &&
      (failedLimit === undefined || failedLimit === null)
    )
      return false;
    let changed = false;
    const prune = async (list: Readonly<Job>[], limit: number | undefined | null) => {
      if (limit === undefined || limit === null) return;
      const excess = list.length - limit;
      if (excess <= 0) return;
      for (const job of [...list].sort(byJobStartTime).slice(0, excess)) {
        if (await this.deleteJob(cj, job)) changed = true;
      }
    };
    await prune(
      jobs.filter((j) => finishedStatus(j) === 'Complete'),
      successLimit,
    );
    await prune(
      jobs.filter((j) => finishedStatus(j) === 'Failed'),
      failedLimit,
    );
    return changed;
  }

  /** `deleteJob`: the Job (Background) and its reference in status.active. */
  private async deleteJob(cj: CronJob, job: Readonly<Job>): Promise<boolean> {
    try {
      await this.api.delete(Job, job.metadata?.name ?? '', {
        namespace: job.metadata?.namespace,
        propagationPolicy: 'Background',
      });
    } catch (err) {
      void this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errorMessage(err)}`);
      return false;
    }
    removeActive(cj, job.metadata?.uid);
    void this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name}`);
    return true;
  }

  /** `syncCronJob`; see the module comment. */
  async syncCronJob(
    cj: CronJob,
    jobs: readonly Readonly<Job>[],
  ): Promise<{ requeueAfter?: number; update: boolean; error?: unknown }> {
    const now = this.clock.now();
    let update = false;
    const status = (cj.status ??= {});
    const children = new Set<string>();
    for (const j of jobs) {
      const uid = j.metadata?.uid ?? '';
      children.add(uid);
      const found = inActive(cj, uid);
      const finished = finishedStatus(j);
      if (!found && !finished) {
        const fresh = await this.api.get(CronJob, cj.metadata?.name ?? '', {
          namespace: cj.metadata?.namespace,
        });
        if (inActive(fresh, uid)) continue;
        void this.recorder.event(
          cj,
          'Warning',
          'UnexpectedJob',
          `Saw a job that the controller did not create or forgot: ${j.metadata?.name}`,
        );
      } else if (found && finished) {
        removeActive(cj, uid);
        void this.recorder.event(
          cj,
          'Normal',
          'SawCompletedJob',
          `Saw completed job: ${j.metadata?.name}, status: ${finished}`,
        );
        update = true;
      } else if (finished === 'Complete') {
        const completed = j.status?.completionTime;
        if (
          completed &&
          (!status.lastSuccessfulTime ||
            Date.parse(completed) > Date.parse(status.lastSuccessfulTime))
        ) {
          status.lastSuccessfulTime = completed;
          update = true;
        }
      }
    }
    for (const ref of [...(status.active ?? [])]) {
      if (children.has(ref.uid ?? '')) continue;
      try {
        await this.api.get(Job, ref.name ?? '', { namespace: ref.namespace });
      } catch (err) {
        if (!isNotFound(err)) return { update, error: err };
        void this.recorder.event(
          cj,
          'Normal',
          'MissingJob',
          `Active job went missing: ${ref.name}`,
        );
        removeActive(cj, ref.uid);
        update = true;
      }
    }
    if (cj.metadata?.deletionTimestamp) return { update };
    if (cj.spec?.timeZone) {
      try {
        checkTimeZone(cj.spec.timeZone);
      } catch (err) {
        void this.recorder.event(
          cj,
          'Warning',
          'UnknownTimeZone',
          `invalid timeZone: "${cj.spec.timeZone}": ${errorMessage(err)}`,
        );
        return { update };
      }
    }
    if (cj.spec?.suspend) return { update };
    let schedule: Schedule;
    try {
      schedule = this.schedule(cj, true);
    } catch (err) {
      void this.recorder.event(
        cj,
        'Warning',
        'UnparseableSchedule',
        `unparseable schedule: "${cj.spec?.schedule}" : ${errorMessage(err)}`,
      );
      return { update };
    }
    const recent = mostRecentScheduleTime(cj, now, schedule, true);
    if (recent.mostRecentMs !== undefined && recent.missed === 'many') {
      void this.recorder.event(
        cj,
        'Warning',
        'TooManyMissedTimes',
        'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
      );
    }
    if (recent.error && recent.mostRecentMs === undefined) {
      void this.recorder.event(
        cj,
        'Warning',
        'InvalidSchedule',
        `invalid schedule: ${cj.spec?.schedule} : ${recent.error}`,
      );
      return { update };
    }
    const next = () => nextScheduleDuration(cj, now, schedule);
    const scheduled = recent.mostRecentMs;
    if (scheduled === undefined) return { requeueAfter: next(), update };
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (deadline !== undefined && deadline !== null && scheduled + deadline * 1000 < now) {
      void this.recorder.event(
        cj,
        'Warning',
        'MissSchedule',
        `Missed scheduled time to start a job: ${new Date(scheduled).toUTCString().replace('GMT', '+0000')}`,
      );
      return { requeueAfter: next(), update };
    }
    const name = jobName(cj, scheduled);
    const alreadyRun =
      (status.active ?? []).some(
        (r) => r.name === name && r.namespace === cj.metadata?.namespace,
      ) ||
      (status.lastScheduleTime !== undefined && Date.parse(status.lastScheduleTime) === scheduled);
    if (alreadyRun) return { requeueAfter: next(), update };
    if (cj.spec?.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
      void this.recorder.event(
        cj,
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      );
      return { requeueAfter: next(), update };
    }
    if (cj.spec?.concurrencyPolicy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        let job: Job;
        try {
          job = await this.api.get(Job, ref.name ?? '', { namespace: ref.namespace });
        } catch (err) {
          void this.recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${errorMessage(err)}`);
          return { update, error: err };
        }
        if (!(await this.deleteJob(cj, job)))
          return {
            update,
            error: new Error(
              `could not replace job ${job.metadata?.namespace}/${job.metadata?.name}`,
            ),
          };
        update = true;
      }
    }
    const request = jobFromTemplate(cj, scheduled, this.zoneOf(cj) ?? 'UTC');
    let created: Job;
    let existed = false;
    try {
      created = await this.client.create(request, { kind: Job });
    } catch (err) {
      if (isNamespaceTerminating(err)) return { update, error: err };
      if (!isAlreadyExists(err)) {
        void this.recorder.event(
          cj,
          'Warning',
          'FailedCreate',
          `Error creating job: ${errorMessage(err)}`,
        );
        return { update, error: err };
      }
      existed = true;
      try {
        created = await this.api.get(Job, name, { namespace: cj.metadata?.namespace });
      } catch (getErr) {
        return { update, error: getErr };
      }
      if (getControllerOf(created)?.uid !== cj.metadata?.uid) return { update };
      if (inActive(cj, created.metadata?.uid ?? '')) return { update };
    }
    if (!existed)
      void this.recorder.event(
        cj,
        'Normal',
        'SuccessfulCreate',
        `Created job ${created.metadata?.name}`,
      );
    status.active = [...(status.active ?? []), jobReference(created)];
    status.lastScheduleTime = new Date(scheduled).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { requeueAfter: next(), update: true };
  }
}

function inActive(cj: Readonly<CronJob>, uid: string): boolean {
  return (cj.status?.active ?? []).some((r) => r.uid === uid);
}

function removeActive(cj: CronJob, uid: string | undefined): void {
  if (!cj.status) return;
  cj.status.active = (cj.status.active ?? []).filter((r) => r.uid !== uid);
}

/** `getRef`: an ObjectReference to the Job. */
function jobReference(job: Readonly<Job>): ObjectReference {
  return {
    kind: 'Job',
    namespace: job.metadata?.namespace,
    name: job.metadata?.name,
    uid: job.metadata?.uid,
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata?.resourceVersion,
  };
}
