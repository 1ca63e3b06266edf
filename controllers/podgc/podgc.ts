/**
 * The pod garbage collector (upstream `pkg/controller/podgc/gc_controller.go`). Every 20 s it
 * force-deletes (grace period 0, after marking the pod `Failed`):
 *
 * - terminated pods (phase neither Pending, Running nor Unknown) beyond
 *   `--terminated-pod-gc-threshold` (12500; 0 disables), evicted ones first, then oldest first;
 * - terminating pods on nodes that are not Ready and carry the `node.kubernetes.io/out-of-service`
 *   taint;
 * - pods bound to nodes that do not exist, once the node has been missing for 40 s (quarantine)
 *   and a live read confirms it (condition `DisruptionTarget`, reason `DeletionByPodGC`);
 * - terminating pods that were never scheduled.
 *
 * Reads come from the shared pod and node caches. It runs on the leader only. Failures are
 * logged and retried at the next pass.
 */
import {
  createLogger,
  DelayingQueue,
  isNotFound,
  Node,
  Pod,
  rfc3339,
  type Clock,
  type Manager,
  type Runnable,
} from '../../framework/index.js';
import type { ControllerContext, ControllerDescriptor } from '../registry.js';
import {
  gcCheckPeriodMs,
  orphanedPodCondition,
  outOfServiceTaint,
  quarantineTimeMs,
} from './defaults.js';

const log = createLogger({ component: 'podgc' });

type PodCondition = NonNullable<NonNullable<Pod['status']>['conditions']>[number];

/** Upstream `isPodTerminated`. */
export function isPodTerminated(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

/** Upstream `eviction.PodIsEvicted`. */
function isEvicted(pod: Readonly<Pod>): boolean {
  return pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted';
}

/** Upstream `byEvictionAndCreationTimestamp`: evicted first, then oldest, then by name. */
export function byEvictionAndCreation(a: Readonly<Pod>, b: Readonly<Pod>): number {
  const ea = isEvicted(a);
  const eb = isEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** The terminated pods to delete to get back to `threshold` (upstream `gcTerminated`). */
export function terminatedPodsToDelete(
  pods: readonly Readonly<Pod>[],
  threshold: number,
): Readonly<Pod>[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isPodTerminated);
  const count = terminated.length - threshold;
  if (count <= 0) return [];
  return [...terminated].sort(byEvictionAndCreation).slice(0, count);
}

/** Terminating pods on not-ready, out-of-service nodes (upstream `gcTerminating`). */
export function terminatingOutOfServicePods(
  pods: readonly Readonly<Pod>[],
  node: (name: string) => Readonly<Node> | undefined,
): Readonly<Pod>[] {
  return pods
    .filter((pod) => {
      if (!pod.metadata?.deletionTimestamp) return false;
      const n = node(pod.spec?.nodeName ?? '');
      if (!n) return false;
      const ready = (n.status?.conditions ?? []).some(
        (c) => c.type === 'Ready' && c.status === 'True',
      );
      return !ready && (n.spec?.taints ?? []).some((t) => t.key === outOfServiceTaint);
    })
    .sort(byEvictionAndCreation);
}

/** Terminating pods that were never scheduled (upstream `gcUnscheduledTerminating`). */
export function unscheduledTerminatingPods(pods: readonly Readonly<Pod>[]): Readonly<Pod>[] {
  return pods.filter((p) => !!p.metadata?.deletionTimestamp && !p.spec?.nodeName);
}

export interface PodGCOptions {
  terminatedPodThreshold: number;
  clock: Clock;
  gcCheckPeriodMs?: number;
  quarantineTimeMs?: number;
}

export class PodGC implements Runnable {
  readonly needLeaderElection = true;
  private readonly nodeQueue: DelayingQueue<string>;

  constructor(
    private readonly manager: Manager,
    private readonly options: PodGCOptions,
  ) {
    this.nodeQueue = new DelayingQueue<string>({
      name: 'orphaned_pods_nodes',
      clock: options.clock,
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    const period = this.options.gcCheckPeriodMs ?? gcCheckPeriodMs;
    try {
      await Promise.all([this.manager.client.informer(Pod), this.manager.client.informer(Node)]);
      while (!signal.aborted) {
        try {
          await this.gc();
        } catch (err) {
          log.error({ err: String(err) }, 'pod garbage collection pass failed');
        }
        try {
          await this.options.clock.sleep(period, signal);
        } catch {
          return;
        }
      }
    } finally {
      this.nodeQueue.shutDown();
    }
  }

  /** One pass (upstream `gc`). */
  async gc(): Promise<void> {
    const client = this.manager.client;
    const pods = await client.list(Pod);
    const nodes = await client.list(Node);
    const nodeByName = new Map(nodes.map((n) => [n.metadata?.name ?? '', n]));
    await this.deleteAll(terminatedPodsToDelete(pods, this.options.terminatedPodThreshold));
    await this.deleteAll(terminatingOutOfServicePods(pods, (n) => nodeByName.get(n)));
    await this.gcOrphaned(pods, nodeByName);
    for (const pod of unscheduledTerminatingPods(pods))
      await this.markFailedAndDelete(pod).catch(logFailure);
  }

  private async deleteAll(pods: readonly Readonly<Pod>[]): Promise<void> {
    await Promise.all(pods.map((p) => this.markFailedAndDelete(p).catch(logFailure)));
  }

  /** Upstream `gcOrphaned`. */
  private async gcOrphaned(
    pods: readonly Readonly<Pod>[],
    nodes: Map<string, Readonly<Node>>,
  ): Promise<void> {
    const quarantine = this.options.quarantineTimeMs ?? quarantineTimeMs;
    for (const pod of pods) {
      const name = pod.spec?.nodeName;
      if (name && !nodes.has(name)) this.nodeQueue.addAfter(name, quarantine);
    }
    const deleted = new Set<string>();
    for (let name = this.nodeQueue.tryGet(); name !== undefined; name = this.nodeQueue.tryGet()) {
      try {
        if (!nodes.has(name) && !(await this.nodeExists(name))) deleted.add(name);
      } catch (err) {
        log.error({ node: name, err: String(err) }, 'Error while getting node');
      } finally {
        this.nodeQueue.done(name);
      }
    }
    for (const pod of pods) {
      if (!deleted.has(pod.spec?.nodeName ?? '')) continue;
      await this.markFailedAndDelete(pod, orphanedPodCondition).catch(logFailure);
    }
  }

  private async nodeExists(name: string): Promise<boolean> {
    try {
      await this.manager.apiClient.get(Node, name);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Upstream `markFailedAndDeletePodWithCondition`. */
  private async markFailedAndDelete(
    pod: Readonly<Pod>,
    condition?: Omit<PodCondition, 'lastTransitionTime'>,
  ): Promise<void> {
    const api = this.manager.apiClient;
    const namespace = pod.metadata?.namespace;
    const name = pod.metadata!.name!;
    const phase = pod.status?.phase;
    if (phase !== 'Succeeded' && phase !== 'Failed') {
      const conditions = [...(pod.status?.conditions ?? [])];
      if (condition) {
        const now = rfc3339(new Date(this.options.clock.now()));
        const i = conditions.findIndex((c) => c.type === condition.type);
        const old = i >= 0 ? conditions[i] : undefined;
        const next = {
          ...condition,
          lastTransitionTime: old && old.status === condition.status ? old.lastTransitionTime : now,
        };
        if (i >= 0) conditions[i] = next;
        else conditions.push(next);
      }
      await api.patch(
        Pod,
        name,
        { metadata: { uid: pod.metadata?.uid }, status: { phase: 'Failed', conditions } },
        { namespace, subresource: 'status' },
      );
    }
    await api.delete(Pod, name, { namespace, gracePeriodSeconds: 0 });
    log.info({ pod: `${namespace}/${name}` }, 'PodGC is force deleting Pod');
  }
}

function logFailure(err: unknown): void {
  if (!isNotFound(err)) log.error({ err: String(err) }, 'failed to delete pod');
}

/** Registers PodGC with `context.manager`. */
export function registerPodGC(
  context: ControllerContext,
  options: Partial<Omit<PodGCOptions, 'clock' | 'terminatedPodThreshold'>> = {},
): PodGC {
  const gc = new PodGC(context.manager, {
    ...options,
    clock: context.settings.clock,
    terminatedPodThreshold: context.settings.terminatedPodGCThreshold,
  });
  context.manager.add(gc);
  return gc;
}

export const podGCController: ControllerDescriptor = {
  name: 'podgc',
  aliases: ['pod-garbage-collector-controller'],
  defaultConcurrency: 1,
  register: (context) => void registerPodGC(context),
};
