/**
 * Per-resource REST behaviour that goes beyond a strategy (upstream's custom `REST` storage types:
 * pod graceful deletion, namespace termination, service IP/port allocation). The generic store
 * calls these at fixed points; everything else stays generic.
 */
import type { KubeObject } from '../types.js';

/** The `DeleteOptions` a delete carries (body or query). */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** Deprecated form of propagationPolicy (true = Orphan, false = Background/Foreground). */
  orphanDependents?: boolean;
  dryRun?: string[];
}

export interface StoreHooks {
  /**
   * After defaulting and `prepareForCreate`, before validation: e.g. allocate a ClusterIP. May
   * throw a StatusError (422 for a taken IP). Paired with {@link StoreHooks.abortCreate}.
   */
  beforeCreate?(obj: KubeObject, dryRun: boolean): void | Promise<void>;
  /** The create did not happen (validation, conflict, dry run): undo `beforeCreate`. */
  abortCreate?(obj: KubeObject): void;
  /** After a create was stored. */
  afterCreate?(obj: KubeObject): void;

  /** As `beforeCreate`, for updates (e.g. a Service changing type). */
  beforeUpdate?(obj: KubeObject, old: KubeObject, dryRun: boolean): void | Promise<void>;
  abortUpdate?(obj: KubeObject, old: KubeObject): void;
  afterUpdate?(obj: KubeObject, old: KubeObject): void;

  /** After the object left storage (release allocations). */
  afterDelete?(obj: KubeObject): void;

  /**
   * Graceful deletion (upstream `CheckGracefulDelete`): the grace period in seconds this delete
   * gets, or undefined for a type deleted at once. Pods: the request's value, else
   * `spec.terminationGracePeriodSeconds`; 0 for unscheduled or finished pods.
   */
  gracePeriodSeconds?(obj: KubeObject, options: DeleteOptions): number | undefined;

  /** Upstream `ReturnDeletedObject`: a completed DELETE returns the object, not a Status. */
  returnDeletedObject?: boolean;
}
