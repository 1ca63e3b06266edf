/**
 * What the decorators record, under global symbols (so two copies of the framework in one process
 * still see each other's metadata).
 */
import type { KindRef, KubernetesObject } from '../client/index.js';
import type { Predicate, Request } from '../controller/index.js';

export const controllerKey = Symbol.for('kuberx:controller');
export const watchesKey = Symbol.for('kuberx:watches');
export const finalizerKey = Symbol.for('kuberx:finalizer');
export const indexesKey = Symbol.for('kuberx:indexes');
export const predicatesKey = Symbol.for('kuberx:predicates');
export const concurrencyKey = Symbol.for('kuberx:concurrency');
export const requeueKey = Symbol.for('kuberx:requeue');

export interface ControllerSpec {
  /** The kind reconciled. */
  for: KindRef;
  /** Kinds created by the controller (their controller owner is enqueued). */
  owns?: KindRef[];
  /** Default: the lower-case kind of `for`. */
  name?: string;
  /**
   * `singleton` (default): one instance for the controller's life. `reconcile`: a new instance per
   * reconcile, from a child container that also provides the `Request` and `ReconcileContext`.
   */
  scope?: 'singleton' | 'reconcile';
  /** Run on every replica instead of only on the leader. Default false. */
  withoutLeaderElection?: boolean;
  /** Cache only the metadata of `for` objects. */
  metadataOnly?: boolean;
}

export interface WatchSpec {
  kind: KindRef;
  method: string | symbol;
  predicates?: Predicate<KubernetesObject>[];
}

export interface IndexSpec {
  kind: KindRef;
  name: string;
  method: string | symbol;
}

export interface RequeueSpec {
  /** First retry delay after an error (ms). Default 5. */
  baseDelayMs?: number;
  /** Retry delay cap (ms). Default 1000 s. */
  maxDelayMs?: number;
}

export type MapMethod = (obj: Readonly<KubernetesObject>) => Request[];
