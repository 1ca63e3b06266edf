/**
 * The CronJob controller (`cronjob_controllerv2.go`). Per sync of one CronJob:
 *
 * 1. Finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit are deleted, oldest
 *    start first (Background propagation).
 * 2. `status.active` is reconciled with the Jobs it controls: finished ones leave it
 *    (`SawCompletedJob`), missing ones too (`MissingJob`, after a live GET), unknown running ones
 *    are reported (`UnexpectedJob`); lastSuccessfulTime follows the newest completion.
 * 3. Being deleted, an invalid time zone (`UnknownTimeZone`), suspended or an unparsable schedule
 *    (`UnparseableSchedule`) → nothing more.
 * 4. The most recent scheduled time not yet run is found (from lastScheduleTime or creation,
 *    within startingDeadlineSeconds; `TooManyMissedTimes` past 100 misses). Too late → `MissSchedule`.
 *    Already run → nothing. Forbid with an active Job → `JobAlreadyActive`. Replace → the active
 *    Jobs are deleted first.
 * 5. The Job `<name>-<minutes since epoch>` is created (`SuccessfulCreate`; AlreadyExists of our
 *    own Job is tolerated) and recorded in `status.active` and `lastScheduleTime`.
 * 6. The CronJob is synced again 100 ms after its next scheduled time.
 *
 * Without `spec.timeZone` schedules use the controller's zone (its process's local zone by
 * default, as kube-controller-manager's), and the scheduled-timestamp annotation is in UTC.
 */
import {
  controllerManagedBy,
  CronJob,
  getControllerOf,
  Job,
  type EventHandler,
  type Informer,
  type KubernetesObject,
  type Manager,
  type Predicate,
  type Request,
  type Result,
  type RuntimeController,
} from '../../framework/index.js';
import { resolveControllerRef, SpamFilteredRecorder } from '../util/index.js';
import { cronJobComponent, defaultConcurrentSyncs } from './defaults.js';
import { CronJobSyncer } from './sync.js';
import { localTimeZone, type Schedule } from '../../common/index.js';
import { nextScheduleDuration } from './utils.js';

export interface CronJobControllerOptions {
  /** Workers. Default 5. */
  concurrentSyncs?: number;
  /** Zone of schedules without `spec.timeZone` (Go's `time.Local`). Default: the process's zone. */
  defaultTimeZone?: string;
}

const never: Predicate<KubernetesObject> = {
  create: () => false,
  update: () => false,
  delete: () => false,
  generic: () => false,
};

export class CronJobController {
  private controller!: RuntimeController;
  readonly syncer: CronJobSyncer;

  constructor(
    private readonly mgr: Manager,
    private readonly cronJobs: Informer<CronJob>,
    private readonly jobs: Informer<Job>,
    options: CronJobControllerOptions,
  ) {
    const recorder = new SpamFilteredRecorder(mgr.eventRecorderFor(cronJobComponent), {
      clock: mgr.clock,
    });
    this.syncer = new CronJobSyncer(
      mgr.client,
      mgr.apiClient,
      mgr.clock,
      recorder,
      options.defaultTimeZone ?? localTimeZone(),
    );
  }

  register(options: CronJobControllerOptions): RuntimeController {
    this.controller = controllerManagedBy(this.mgr)
      .named('cronjob')
      .for(CronJob, { predicates: [never] })
      .watches(CronJob, this.cronJobHandler())
      .watches(Job, this.jobHandler())
      .withOptions({
        maxConcurrentReconciles: options.concurrentSyncs ?? defaultConcurrentSyncs,
        usePriorityQueue: false,
      })
      .complete({ reconcile: (req) => this.sync(req) });
    return this.controller;
  }

  async sync(req: Request): Promise<Result | void> {
    const cached = this.cronJobs.store.getByName(req.namespace, req.name);
    if (!cached) return;
    const jobs = this.jobs.store
      .list({ namespace: req.namespace })
      .filter((j) => getControllerOf(j)?.name === req.name);
    const cj = structuredClone(cached) as CronJob;
    const cleaned = await this.syncer.cleanupFinishedJobs(cj, jobs);
    const { requeueAfter, update, error } = await this.syncer.syncCronJob(cj, jobs);
    if (cleaned || update) {
      await this.syncer.client.updateStatus(cj, { kind: CronJob });
    }
    if (requeueAfter !== undefined) return { requeueAfter: Math.max(requeueAfter, 1) };
    if (error !== undefined) throw error;
  }

  private enqueue(obj: Readonly<KubernetesObject>, afterMs = 0): void {
    this.controller.enqueue(
      { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' },
      { afterMs },
    );
  }

  /** `updateCronJob`: a new schedule or zone is looked at at its next run; other changes now. */
  private cronJobHandler(): EventHandler {
    return {
      create: (e) => this.enqueue(e.object),
      update: (e) => {
        const old = e.objectOld as Readonly<CronJob>;
        const cur = e.objectNew as Readonly<CronJob>;
        if (
          old.spec?.schedule !== cur.spec?.schedule ||
          old.spec?.timeZone !== cur.spec?.timeZone
        ) {
          let schedule: Schedule;
          try {
            schedule = this.syncer.schedule(cur, false);
          } catch {
            void this.syncer.recorder.event(
              cur,
              'Warning',
              'UnParseableCronJobSchedule',
              `unparseable schedule for cronjob: ${cur.spec?.schedule}`,
            );
            return;
          }
          this.enqueue(cur, nextScheduleDuration(cur, this.syncer.clock.now(), schedule));
          return;
        }
        this.enqueue(cur);
      },
      delete: (e) => this.enqueue(e.object),
    };
  }

  /** `addJob` / `updateJob` / `deleteJob`: wake the owning CronJob. */
  private jobHandler(): EventHandler {
    const owner = (job: Readonly<KubernetesObject>) =>
      resolveControllerRef(
        this.cronJobs.store,
        job.metadata?.namespace,
        getControllerOf(job),
        'CronJob',
      );
    const wake = (job: Readonly<KubernetesObject>) => {
      const cj = owner(job);
      if (cj) this.enqueue(cj);
    };
    return {
      create: (e) => wake(e.object),
      update: (e) => {
        if (e.objectOld.metadata?.resourceVersion === e.objectNew.metadata?.resourceVersion) return;
        const oldRef = getControllerOf(e.objectOld);
        if (oldRef && oldRef.uid !== getControllerOf(e.objectNew)?.uid) wake(e.objectOld);
        wake(e.objectNew);
      },
      delete: (e) => wake(e.object),
    };
  }
}

/** Creates the CronJob controller on `mgr`. */
export async function newCronJobController(mgr: Manager, options: CronJobControllerOptions = {}) {
  const cronJobs = (await mgr.informers.informerFor(CronJob)) as unknown as Informer<CronJob>;
  const jobs = (await mgr.informers.informerFor(Job)) as unknown as Informer<Job>;
  const cron = new CronJobController(mgr, cronJobs, jobs, options);
  return { controller: cron.register(options), cronJobs: cron };
}
