/**
 * The Job controller (`job_controller.go`): registration, informer event handlers and the orphan
 * pod finalizer cleanup. The sync itself is in `sync.ts`.
 *
 * - Job events: created, deleted or spec changed → synced at once; status-only changes → batched
 *   (one sync per Job per second). Finished or deleted Jobs get their pods' leftover tracking
 *   finalizers removed.
 * - Pod events (batched): creations and deletions feed the expectations; a removed tracking
 *   finalizer is observed; orphans wake the Jobs whose selector matches them.
 * - A second controller (`job-orphan-pod`) removes the tracking finalizer from pods no running Job
 *   controls any more (orphaned, or their Job finished or gone).
 * - Failed syncs are retried with a per-Job backoff of 1 s doubling to 1 min.
 */
import {
  controllerManagedBy,
  Expectations,
  getControllerOf,
  ItemExponentialFailureRateLimiter,
  isNotFound,
  Job,
  labelSelectorFromObject,
  Pod,
  requestKey,
  type EventHandler,
  type Informer,
  type KubernetesObject,
  type Manager,
  type OwnerReference,
  type Predicate,
  type Request,
  type RuntimeController,
} from '../../framework/index.js';
import {
  ensureControllerUIDIndex,
  PodControl,
  ownersOfChild,
  resolveControllerRef,
  selectingOwners,
  SpamFilteredRecorder,
} from '../util/index.js';
import { BackoffStore } from './backoff.js';
import type { JobDeps } from './context.js';
import {
  defaultConcurrentSyncs,
  defaultJobApiBackOffMs,
  jobComponent,
  maxJobApiBackOffMs,
  syncJobBatchPeriodMs,
} from './defaults.js';
import { syncJob } from './sync.js';
import {
  FinalizerExpectations,
  hasJobTrackingFinalizer,
  isJobFinished,
  managedByExternalController,
  removeTrackingFinalizerPatch,
} from './utils.js';

export interface JobControllerOptions {
  /** Workers. Default 5. */
  concurrentSyncs?: number;
}

const never: Predicate<KubernetesObject> = {
  create: () => false,
  update: () => false,
  delete: () => false,
  generic: () => false,
};

export class JobController {
  readonly deps: JobDeps;
  private controller!: RuntimeController;
  private orphans!: RuntimeController;

  constructor(
    private readonly mgr: Manager,
    private readonly jobInformer: Informer<Job>,
    podInformer: Informer<Pod>,
  ) {
    const recorder = new SpamFilteredRecorder(mgr.eventRecorderFor(jobComponent), {
      clock: mgr.clock,
    });
    this.deps = {
      client: mgr.client,
      api: mgr.apiClient,
      clock: mgr.clock,
      recorder,
      podControl: new PodControl(mgr.client, recorder),
      expectations: new Expectations({ clock: mgr.clock }),
      finalizerExpectations: new FinalizerExpectations(),
      backoff: new BackoffStore(),
      podInformer,
      enqueueAfter: (job, ms) => this.enqueue(job, Math.max(ms, syncJobBatchPeriodMs)),
    };
  }

  register(options: JobControllerOptions): RuntimeController {
    const rateLimiter = () =>
      new ItemExponentialFailureRateLimiter<string>({
        baseDelayMs: defaultJobApiBackOffMs,
        maxDelayMs: maxJobApiBackOffMs,
      });
    this.controller = controllerManagedBy(this.mgr)
      .named('job')
      .for(Job, { predicates: [never] })
      .watches(Job, this.jobHandler())
      .watches(Pod, this.podHandler())
      .withOptions({
        maxConcurrentReconciles: options.concurrentSyncs ?? defaultConcurrentSyncs,
        usePriorityQueue: false,
        rateLimiter: rateLimiter(),
      })
      .complete({ reconcile: (req) => this.sync(req) });
    this.orphans = controllerManagedBy(this.mgr)
      .named('job-orphan-pod')
      .for(Pod, { predicates: [never] })
      .withOptions({
        maxConcurrentReconciles: 1,
        usePriorityQueue: false,
        rateLimiter: rateLimiter(),
      })
      .complete({ reconcile: (req) => this.syncOrphanPod(req) });
    return this.controller;
  }

  async sync(req: Request): Promise<void> {
    const key = requestKey(req);
    const job = this.jobInformer.store.getByName(req.namespace, req.name);
    if (!job) {
      this.deps.expectations.delete(key);
      this.deps.finalizerExpectations.delete(key);
      this.deps.backoff.remove(key);
      return;
    }
    await syncJob(this.deps, key, job);
  }

  /** `syncOrphanPod`: removes the finalizer unless a running Job (of this controller) owns the pod. */
  private async syncOrphanPod(req: Request): Promise<void> {
    const pod = this.deps.podInformer.store.getByName(req.namespace, req.name);
    if (!pod) return;
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolve(pod.metadata?.namespace ?? '', ref);
      if (job && managedByExternalController(job)) return;
      if (job && !isJobFinished(job)) return;
    }
    const patch = removeTrackingFinalizerPatch(pod);
    if (!patch) return;
    try {
      await this.deps.podControl.patchPod(req.namespace, req.name, patch);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private enqueue(obj: Readonly<KubernetesObject>, afterMs = 0): void {
    this.controller.enqueue(
      { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' },
      { afterMs },
    );
  }

  private batched(job: Readonly<Job>): void {
    this.enqueue(job, syncJobBatchPeriodMs);
  }

  private enqueueOrphan(pod: Readonly<Pod>): void {
    this.orphans.enqueue({
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? '',
    });
  }

  private resolve(namespace: string, ref: OwnerReference | undefined): Readonly<Job> | undefined {
    return resolveControllerRef(this.jobInformer.store, namespace, ref, 'Job');
  }

  /** `GetPodJobs`: Jobs whose selector matches the pod. */
  private selecting(pod: Readonly<Pod>): Readonly<Job>[] {
    return selectingOwners(this.jobInformer.store, pod, (job) =>
      labelSelectorFromObject(job.spec?.selector),
    );
  }

  /** `cleanupPodFinalizers`: pods of a finished or deleted Job that still carry the finalizer. */
  private cleanupPodFinalizers(job: Readonly<Job>): void {
    let selector;
    try {
      selector = labelSelectorFromObject(job.spec?.selector);
    } catch {
      return;
    }
    for (const pod of this.deps.podInformer.store.list({
      namespace: job.metadata?.namespace,
      labelSelector: selector,
    })) {
      if (getControllerOf(pod)?.uid === job.metadata?.uid && hasJobTrackingFinalizer(pod))
        this.enqueueOrphan(pod);
    }
  }

  private jobHandler(): EventHandler {
    return {
      create: (e) => this.enqueue(e.object),
      update: (e) => {
        const old = e.objectOld as Readonly<Job>;
        const cur = e.objectNew as Readonly<Job>;
        if (cur.metadata?.generation === old.metadata?.generation) this.batched(cur);
        else this.enqueue(cur);
        if (isJobFinished(cur)) this.cleanupPodFinalizers(cur);
        const ads = cur.spec?.activeDeadlineSeconds;
        if (
          cur.status?.startTime &&
          ads !== undefined &&
          ads !== null &&
          ads !== old.spec?.activeDeadlineSeconds
        ) {
          const passed = this.deps.clock.now() - Date.parse(cur.status.startTime);
          this.enqueue(cur, Math.max(0, ads * 1000 - passed));
        }
      },
      delete: (e) => {
        this.enqueue(e.object);
        this.cleanupPodFinalizers(e.object as Readonly<Job>);
      },
    };
  }

  private podHandler(): EventHandler {
    const owners = (cur: Readonly<Pod>, old?: Readonly<Pod>) =>
      ownersOfChild(cur, old, this.resolve.bind(this), (c) => this.selecting(c));
    const keyOf = (job: Readonly<Job>) => `${job.metadata?.namespace}/${job.metadata?.name}`;
    const deleted = (pod: Readonly<Pod>, final: boolean): void => {
      const ref = getControllerOf(pod);
      const hasFinalizer = hasJobTrackingFinalizer(pod);
      if (!ref) {
        if (hasFinalizer) this.enqueueOrphan(pod);
        return;
      }
      const job = this.resolve(pod.metadata?.namespace ?? '', ref);
      if (!job || isJobFinished(job)) {
        if (hasFinalizer) this.enqueueOrphan(pod);
        return;
      }
      const key = keyOf(job);
      this.deps.expectations.deletionObserved(key);
      if (final || !hasFinalizer)
        this.deps.finalizerExpectations.observed(key, pod.metadata?.uid ?? '');
      this.batched(job);
    };
    return {
      create: (e) => {
        const pod = e.object as Readonly<Pod>;
        if (pod.metadata?.deletionTimestamp) return deleted(pod, false);
        const { current, orphan, adopters } = owners(pod);
        if (current) this.deps.expectations.creationObserved(keyOf(current));
        if (orphan && hasJobTrackingFinalizer(pod)) this.enqueueOrphan(pod);
        for (const job of [current, ...adopters]) if (job) this.batched(job);
      },
      update: (e) => {
        const cur = e.objectNew as Readonly<Pod>;
        const old = e.objectOld as Readonly<Pod>;
        if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
        if (cur.metadata?.deletionTimestamp) return deleted(cur, false);
        const { previous, current, orphan, adopters } = owners(cur, old);
        const finalizerRemoved = !hasJobTrackingFinalizer(cur);
        for (const job of [previous, current]) {
          if (!job) continue;
          if (finalizerRemoved)
            this.deps.finalizerExpectations.observed(keyOf(job), cur.metadata?.uid ?? '');
          this.batched(job);
        }
        if (orphan && !finalizerRemoved) this.enqueueOrphan(cur);
        for (const job of adopters) this.batched(job);
      },
      delete: (e) => deleted(e.object as Readonly<Pod>, true),
    };
  }
}

/** Creates the Job controller on `mgr` (with the shared pod controller-UID index). */
export async function newJobController(mgr: Manager, options: JobControllerOptions = {}) {
  const jobInformer = (await mgr.informers.informerFor(Job)) as unknown as Informer<Job>;
  const podInformer = (await mgr.informers.informerFor(Pod)) as unknown as Informer<Pod>;
  ensureControllerUIDIndex(podInformer as unknown as Informer<KubernetesObject>);
  const jobs = new JobController(mgr, jobInformer, podInformer);
  return { controller: jobs.register(options), jobs };
}
