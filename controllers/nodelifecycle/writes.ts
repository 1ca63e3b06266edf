/**
 * The writes of the node lifecycle controllers, each retried the way upstream retries it.
 *
 * - {@link swapNodeTaints} (upstream `SwapNodeControllerTaint`): a merge patch of `spec.taints`
 *   with the node's `resourceVersion` as a precondition; on a conflict the node is read again and
 *   the swap recomputed, at most {@link nodeUpdateRetries} times. Resolves false when it gave up,
 *   true when the taints are as asked (or the node is gone).
 * - {@link markPodNotReady} (upstream `MarkPodsNotReady` for one pod): the pod's Ready condition
 *   turns False (keeping its reason and message), through a strategic merge patch of its status.
 * - {@link runQueueWorkers}: N workers over a rate-limited queue (failures re-queued with back-off).
 */
import {
  createLogger,
  isConflict,
  isNotFound,
  Node,
  Pod,
  rfc3339,
  type ApiClient,
  type Clock,
  type RateLimitingQueue,
} from '../../framework/index.js';
import { nodeUpdateRetries } from './defaults.js';
import { swapTaints, type Taint } from './taints.js';

const log = createLogger({ component: 'node-lifecycle' });

export async function swapNodeTaints(
  api: ApiClient,
  clock: Clock,
  cached: Readonly<Node>,
  add: readonly Taint[],
  remove: readonly Taint[],
): Promise<boolean> {
  let node: Readonly<Node> = cached;
  const name = cached.metadata?.name ?? '';
  for (let attempt = 0; attempt < nodeUpdateRetries; attempt++) {
    if (attempt > 0) {
      try {
        node = await api.get(Node, name);
      } catch (err) {
        if (isNotFound(err)) return true;
        throw err;
      }
    }
    const taints = swapTaints(node.spec?.taints, add, remove, rfc3339(new Date(clock.now())));
    if (!taints) return true;
    try {
      await api.patch(Node, name, {
        metadata: { resourceVersion: node.metadata?.resourceVersion },
        spec: { taints },
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return true;
      if (!isConflict(err)) throw err;
    }
  }
  log.warn({ node: name }, 'failed to swap taints of the node; will retry on the next pass');
  return false;
}

/** Sets the pod's Ready condition to False; false when it was not True (nothing to do). */
export async function markPodNotReady(
  api: ApiClient,
  clock: Clock,
  pod: Readonly<Pod>,
): Promise<boolean> {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'False') return false;
  try {
    await api.patch(
      Pod,
      pod.metadata?.name ?? '',
      {
        metadata: { uid: pod.metadata?.uid },
        status: {
          conditions: [
            { ...ready, status: 'False', lastTransitionTime: rfc3339(new Date(clock.now())) },
          ],
        },
      },
      { namespace: pod.metadata?.namespace, type: 'strategic', subresource: 'status' },
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return false;
  }
  return true;
}

/** Runs `count` workers over `queue` until it shuts down; resolves when they all stopped. */
export function runQueueWorkers<T>(
  queue: RateLimitingQueue<T>,
  count: number,
  handle: (item: T) => Promise<void>,
): Promise<void> {
  const worker = async () => {
    for (;;) {
      const { item, shutdown } = await queue.get();
      if (shutdown) return;
      try {
        await handle(item);
        queue.forget(item);
      } catch (err) {
        log.warn({ item: String(item), err: String(err) }, 'sync failed; retrying');
        queue.addRateLimited(item);
      } finally {
        queue.done(item);
      }
    }
  };
  return Promise.all(Array.from({ length: count }, worker)).then(() => undefined);
}
