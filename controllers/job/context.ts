/** What the Job controller's sync functions share: dependencies and the state of one sync. */
import type {
  ApiClient,
  Client,
  Clock,
  EventRecorder,
  Expectations,
  Informer,
  Job,
  Pod,
} from '../../framework/index.js';
import type { PodControl } from '../util/index.js';
import type { BackoffRecord, BackoffStore } from './backoff.js';
import type { OrderedIntervals } from './indexes.js';
import type { FinalizerExpectations, JobCondition } from './utils.js';

export interface JobDeps {
  client: Client;
  api: ApiClient;
  clock: Clock;
  recorder: EventRecorder;
  podControl: PodControl;
  /** Creations and deletions in flight, per Job key (counts, as upstream). */
  expectations: Expectations;
  finalizerExpectations: FinalizerExpectations;
  backoff: BackoffStore;
  podInformer: Informer<Pod>;
  /** Syncs the Job again after `ms` (at least the 1 s batch period for pod-driven syncs). */
  enqueueAfter(job: Readonly<Job>, ms: number): void;
}

/** `syncJobCtx`: what one sync learned. */
export interface SyncJobCtx {
  job: Job;
  pods: Readonly<Pod>[];
  activePods: Readonly<Pod>[];
  finishedCondition?: JobCondition;
  succeeded: number;
  failed: number;
  prevSucceededIndexes: OrderedIntervals;
  succeededIndexes: OrderedIntervals;
  failedIndexes?: OrderedIntervals;
  newBackoffRecord: BackoffRecord;
  expectedRmFinalizers: Set<string>;
  uncounted: { succeeded: Set<string>; failed: Set<string> };
  podsWithDelayedDeletionPerIndex?: Map<number, Readonly<Pod>>;
  terminating: number;
  ready: number;
}
