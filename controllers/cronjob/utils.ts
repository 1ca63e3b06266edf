/**
 * CronJob scheduling arithmetic (`utils.go`): which scheduled run is due, when to look again, and
 * the Job a run creates.
 */
import { CronJob, type Job } from '../../framework/index.js';
import { newControllerRef, timeMs } from '../util/index.js';
import { nextScheduleDeltaMs, scheduledTimestampAnnotation, tooManyMissed } from './defaults.js';
import { rfc3339In, type Schedule } from '../../common/index.js';

export type MissedSchedules = 'none' | 'few' | 'many';

export interface MostRecent {
  /** lastScheduleTime, or creationTimestamp, possibly raised to now − startingDeadlineSeconds. */
  earliestMs: number;
  /** The latest scheduled time at or before now, if any. */
  mostRecentMs?: number;
  missed: MissedSchedules;
  /** Set for a schedule whose runs are less than a second apart (e.g. `59 23 31 2 *`). */
  error?: string;
}

/**
 * `mostRecentScheduleTime`: from `earliest`, the most recent activation at or before `now`,
 * counting (roughly, from the interval of the first two) how many were missed.
 */
export function mostRecentScheduleTime(
  cj: Readonly<CronJob>,
  nowMs: number,
  schedule: Schedule,
  includeStartingDeadline: boolean,
): MostRecent {
  let earliest =
    timeMs(cj.status?.lastScheduleTime) ?? timeMs(cj.metadata?.creationTimestamp) ?? nowMs;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && deadline !== undefined && deadline !== null) {
    earliest = Math.max(earliest, nowMs - deadline * 1000);
  }
  const t1 = schedule.next(earliest);
  const t2 = t1 === 0 ? 0 : schedule.next(t1);
  if (t1 === 0 || nowMs < t1) return { earliestMs: earliest, missed: 'none' };
  if (nowMs < t2) return { earliestMs: earliest, mostRecentMs: t1, missed: 'none' };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) {
    return {
      earliestMs: earliest,
      missed: 'none',
      error: 'time difference between two schedules is less than 1 second',
    };
  }
  const elapsed = Math.trunc((nowMs - t1) / 1000);
  const missedCount = Math.floor(elapsed / between) + 1;
  let mostRecent: number | undefined;
  const potentialEarliest = t1 + (missedCount - 2) * between * 1000;
  for (let t = schedule.next(potentialEarliest); t !== 0 && t <= nowMs; t = schedule.next(t))
    mostRecent = t;
  const missed: MissedSchedules =
    missedCount > tooManyMissed ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliestMs: earliest, mostRecentMs: mostRecent, missed };
}

/** `nextScheduleTimeDuration`: milliseconds until the next run after the most recent, plus 100 ms. */
export function nextScheduleDuration(
  cj: Readonly<CronJob>,
  nowMs: number,
  schedule: Schedule,
): number {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, false);
  let from: number;
  if (r.error) from = nowMs;
  else if (r.mostRecentMs === undefined) from = r.missed === 'none' ? r.earliestMs : nowMs;
  else from = r.mostRecentMs;
  return schedule.next(from) + nextScheduleDeltaMs - nowMs;
}

/** `getJobName`: `<cronjob>-<minutes since the epoch of the scheduled time>`. */
export function jobName(cj: Readonly<CronJob>, scheduledMs: number): string {
  return `${cj.metadata?.name}-${Math.floor(Math.floor(scheduledMs / 1000) / 60)}`;
}

/** `getJobFromTemplate2`: the Job of the run scheduled at `scheduledMs`. */
export function jobFromTemplate(cj: Readonly<CronJob>, scheduledMs: number, zone: string): Job {
  const template = cj.spec?.jobTemplate;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj, scheduledMs),
      namespace: cj.metadata?.namespace,
      labels: { ...(template?.metadata?.labels ?? {}) },
      annotations: {
        ...(template?.metadata?.annotations ?? {}),
        [scheduledTimestampAnnotation]: rfc3339In(scheduledMs, zone),
      },
      ownerReferences: [newControllerRef(cj, CronJob)],
    },
    spec: structuredClone(template?.spec) as Job['spec'],
  };
}

/** `byJobStartTime`: started before not started; earlier first; names break ties. */
export function byJobStartTime(a: Readonly<Job>, b: Readonly<Job>): number {
  const sa = timeMs(a.status?.startTime);
  const sb = timeMs(b.status?.startTime);
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa === sb) {
    const na = a.metadata?.name ?? '';
    const nb = b.metadata?.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  }
  return sa! - sb!;
}

/** `getFinishedStatus`: Complete or Failed, when one is True. */
export function finishedStatus(job: Readonly<Job>): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}
