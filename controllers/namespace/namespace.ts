/**
 * The Namespace controller (upstream `pkg/controller/namespace/namespace_controller.go`): empties
 * namespaces being deleted and releases them (see `deleter.ts`).
 *
 * - Only namespaces with a deletionTimestamp are queued, 5 s after the event
 *   (`namespaceDeletionGracePeriod`), and every 5 minutes while they remain.
 * - A pass that leaves content behind is retried after `estimate / 2 + 1` seconds; other failures
 *   are retried with backoff (5 ms doubling, at most 60 s; 10 qps overall).
 * - `--concurrent-namespace-syncs` workers (10).
 */
import {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  Namespace,
  RuntimeController,
  isNotFound,
  type Request,
  type Result,
} from '../../framework/index.js';
import type { ControllerContext, ControllerDescriptor } from '../registry.js';
import { NamespacedResourcesDeleter, ResourcesRemainingError } from './deleter.js';
import {
  defaultNamespaceWorkers,
  namespaceDeletionGracePeriodMs,
  namespaceResyncMs,
  retryBaseDelayMs,
  retryMaxDelayMs,
} from './defaults.js';

export interface NamespaceControllerOptions {
  /** Delay before processing a namespace event. Default 5 s. */
  deletionGracePeriodMs?: number;
}

/** Builds the controller on `context.manager`. */
export function registerNamespaceController(
  context: ControllerContext,
  options: NamespaceControllerOptions = {},
): RuntimeController {
  const { manager } = context;
  const clock = context.settings.clock;
  const deleter = new NamespacedResourcesDeleter(manager.apiClient, clock);
  const delayMs = options.deletionGracePeriodMs ?? namespaceDeletionGracePeriodMs;
  const controller = new RuntimeController(
    {
      ...manager.controllerDefaults(),
      name: 'namespace',
      maxConcurrentReconciles: context.concurrency,
      syncPeriodMs: namespaceResyncMs,
      rateLimiter: new MaxOfRateLimiter<string>(
        new ItemExponentialFailureRateLimiter<string>({
          baseDelayMs: retryBaseDelayMs,
          maxDelayMs: retryMaxDelayMs,
        }),
        new BucketRateLimiter<string>({ clock }),
      ),
      reconciler: {
        async reconcile(request: Request): Promise<Result | void> {
          try {
            await deleter.delete(request.name);
          } catch (err) {
            if (err instanceof ResourcesRemainingError) {
              return { requeueAfter: (Math.floor(err.estimateSeconds / 2) + 1) * 1000 };
            }
            if (isNotFound(err)) return;
            throw err;
          }
        },
      },
    },
    manager.informers,
  );
  const enqueueIfDeleting = (ns: Readonly<Namespace>) => {
    if (!ns.metadata?.deletionTimestamp) return;
    controller.enqueue({ namespace: '', name: ns.metadata.name ?? '' }, { afterMs: delayMs });
  };
  void controller.watch({
    kind: Namespace,
    handler: {
      create: (e) => enqueueIfDeleting(e.object as Namespace),
      update: (e) => enqueueIfDeleting(e.objectNew as Namespace),
    },
  });
  manager.addController(controller);
  return controller;
}

export const namespaceController: ControllerDescriptor = {
  name: 'namespace',
  aliases: ['namespace-controller'],
  concurrencyFlag: 'concurrent-namespace-syncs',
  defaultConcurrency: defaultNamespaceWorkers,
  register: (context) => void registerNamespaceController(context),
};
