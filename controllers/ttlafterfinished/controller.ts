/**
 * The TTL-after-finished controller (`ttlafterfinished_controller.go`): a finished Job (Complete
 * or Failed True) with `spec.ttlSecondsAfterFinished` is deleted that many seconds after the
 * terminal condition's lastTransitionTime (0: at once).
 *
 * - Jobs without the field, not finished, or already being deleted are left alone.
 * - A Job whose TTL has not expired is synced again when it will have.
 * - Before deleting, the Job is read again from the server (uncached): a TTL changed meanwhile is
 *   honoured. The delete uses Foreground propagation (the Job goes after its pods) and the UID as
 *   a precondition (a Job re-created under the same name is not deleted).
 * - A finish time in the future (clock skew) only postpones the cleanup.
 */
import {
  controllerManagedBy,
  isNotFound,
  Job,
  type ApiClient,
  type Clock,
  type Informer,
  type Manager,
  type Request,
  type Result,
  type RuntimeController,
} from '../../framework/index.js';
import { timeMs } from '../util/index.js';
import { defaultConcurrentSyncs } from './defaults.js';

export interface TTLAfterFinishedOptions {
  /** Workers. Default 5. */
  concurrentSyncs?: number;
}

/** `jobFinishTime`: when the Complete or Failed condition became True. */
export function jobFinishTime(job: Readonly<Job>): number {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') {
      const t = timeMs(c.lastTransitionTime);
      if (t === undefined) {
        throw new Error(
          `unable to find the time when the Job ${job.metadata?.namespace}/${job.metadata?.name} finished`,
        );
      }
      return t;
    }
  }
  throw new Error(
    `unable to find the status of the finished Job ${job.metadata?.namespace}/${job.metadata?.name}`,
  );
}

/** `needsCleanup`: finished, with a TTL. */
export function needsCleanup(job: Readonly<Job>): boolean {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null) return false;
  return (job.status?.conditions ?? []).some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}

/**
 * `processTTL`: undefined when there is nothing to do; `{ expired: true }` when the TTL has
 * expired; else the milliseconds left.
 */
export function ttlLeft(
  job: Readonly<Job>,
  nowMs: number,
): { expired: true } | { leftMs: number } | undefined {
  if (job.metadata?.deletionTimestamp || !needsCleanup(job)) return undefined;
  const expireAt = jobFinishTime(job) + (job.spec!.ttlSecondsAfterFinished ?? 0) * 1000;
  const left = expireAt - nowMs;
  return left <= 0 ? { expired: true } : { leftMs: left };
}

export class TTLAfterFinishedController {
  constructor(
    private readonly jobs: Informer<Job>,
    private readonly api: ApiClient,
    private readonly clock: Clock,
  ) {}

  /** `processJob`. */
  async sync(req: Request): Promise<Result | void> {
    const job = this.jobs.store.getByName(req.namespace, req.name);
    if (!job) return;
    const cached = ttlLeft(job, this.clock.now());
    if (!cached) return;
    if ('leftMs' in cached) return { requeueAfter: cached.leftMs };
    let fresh: Job;
    try {
      fresh = await this.api.get(Job, req.name, { namespace: req.namespace });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const latest = ttlLeft(fresh, this.clock.now());
    if (!latest) return;
    if ('leftMs' in latest) return { requeueAfter: latest.leftMs };
    try {
      await this.api.delete(Job, req.name, {
        namespace: req.namespace,
        propagationPolicy: 'Foreground',
        preconditions: { uid: fresh.metadata?.uid },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** Registers the controller (`ttl-after-finished`) with `mgr`. */
export async function registerTTLAfterFinishedController(
  mgr: Manager,
  options: TTLAfterFinishedOptions = {},
): Promise<RuntimeController> {
  const jobs = (await mgr.informers.informerFor(Job)) as unknown as Informer<Job>;
  const ttl = new TTLAfterFinishedController(jobs, mgr.apiClient, mgr.clock);
  const wanted = (obj: unknown) => {
    const job = obj as Readonly<Job>;
    return !job.metadata?.deletionTimestamp && needsCleanup(job);
  };
  return controllerManagedBy(mgr)
    .named('ttl-after-finished')
    .for(Job, {
      predicates: [
        {
          create: (e) => wanted(e.object),
          update: (e) => wanted(e.objectNew),
          delete: () => false,
        },
      ],
    })
    .withOptions({
      maxConcurrentReconciles: options.concurrentSyncs ?? defaultConcurrentSyncs,
      usePriorityQueue: false,
    })
    .complete({ reconcile: (req) => ttl.sync(req) });
}
