/**
 * kuberx's operator framework — the only public door for users, controllers and examples.
 *
 * - client: typed and dynamic clients, built-in kinds, REST mapper, helpers (owner references,
 *   finalizers, conditions, create-or-update, server-side apply, events).
 * - watch / informer / cache: list+watch that never gives up, RxJS informers with explicit relists,
 *   an indexed frozen cache, read-your-writes.
 * - workqueue / controller: client-go's queues and rate limiters, controller-runtime's reconcile
 *   contract, predicates, handlers, the builder, finalizer and expectations helpers.
 * - manager / leaderelection / metrics: the process around controllers.
 * - decorators: `@Controller`, `@CustomResource`, `@Watches`, `@Finalizer`, `@Index`, …
 *
 * Test helpers (an in-process API server, fake informers, a scripted server) live in
 * `framework/testing`.
 */
import 'reflect-metadata';

export {
  StatusError,
  isNotFound,
  isAlreadyExists,
  isConflict,
  isInvalid,
  isForbidden,
  isUnauthorized,
  isBadRequest,
  isTooManyRequests,
  isResourceExpired,
  isServerError,
  RealClock,
  realClock,
  FakeClock,
  createLogger,
  parseLabelSelector,
  labelSelectorFromObject,
  Selector,
} from '../common/index.js';
export type { Clock, Timer, Logger, Status, LabelSelector } from '../common/index.js';

export * from './client/index.js';
export * from './cache/index.js';
export * from './watch/index.js';
export * from './informer/index.js';
export * from './workqueue/index.js';
export {
  Controller as RuntimeController,
  controllerManagedBy,
  ControllerBuilder,
  objectReconciler,
  finalizer,
  Expectations,
  TerminalError,
  isTerminalError,
  requestKey,
  requestFromKey,
  enqueueRequestForObject,
  enqueueRequestForOwner,
  enqueueRequestsFromMapFunc,
  newPredicateFuncs,
  generationChanged,
  resourceVersionChanged,
  labelsChanged,
  annotationsChanged,
  labelSelectorPredicate,
  and,
  or,
  not,
  noopControllerMetrics,
  defaultMaxConcurrentReconciles,
  defaultCacheSyncTimeoutMs,
  defaultRecoverPanic,
  defaultUsePriorityQueue,
  defaultExpectationsTimeoutMs,
} from './controller/index.js';
export type {
  ControllerOptions,
  ControllerHost,
  InformerProvider,
  WatchSource,
  ForOptions,
  OwnsOptions,
  WatchesOptions,
  Reconciler,
  ReconcileContext,
  Request,
  Result,
  Predicate,
  CreateEvent,
  UpdateEvent,
  DeleteEvent,
  GenericEvent,
  EventHandler,
  RequestSink,
  MapFunc,
  OwnerOptions,
  FinalizerEvent,
  ControllerMetrics,
  ReconcileResultLabel,
} from './controller/index.js';
export * from './manager/index.js';
export * from './leaderelection/index.js';
export * from './metrics/index.js';
export * from './decorators/index.js';
/** inversify's decorators, for controllers that name what they inject (`@inject(Client)`). */
export { inject, injectable, optional } from 'inversify';
