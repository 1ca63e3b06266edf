/**
 * The taint eviction controller (upstream `pkg/controller/tainteviction`, the former taint
 * manager): pods on a node with `NoExecute` taints are deleted unless they tolerate them.
 *
 * - A pod that does not tolerate every NoExecute taint of its node is deleted at once.
 * - A pod that tolerates them all is deleted after the smallest `tolerationSeconds` of the
 *   tolerations used, counted from when this controller first saw it under those taints; never
 *   when none of those tolerations sets `tolerationSeconds`.
 * - The countdown is cancelled (event `TaintManagerEviction` "Cancelling deletion of Pod …") when
 *   the taints go away or the pod comes to tolerate them for ever.
 * - Before the delete, the pod gets the condition `DisruptionTarget=True`, reason
 *   `DeletionByTaintManager`, message "Taint manager: deleting due to NoExecute taint"; the
 *   delete uses the pod's own grace period. Event `TaintManagerEviction` "Marking for deletion
 *   Pod ns/name".
 * - Pods already being deleted are left alone. Timers follow the injected clock.
 */
import {
  createLogger,
  isConflict,
  isNotFound,
  Node,
  Pod,
  RateLimitingQueue,
  rfc3339,
  type ApiClient,
  type Clock,
  type EventRecorder,
  type Informer,
  type Manager,
  type Runnable,
  type Timer,
} from '../../framework/index.js';
import { taintEvictionComponent, taintEvictionWorkers } from './defaults.js';
import { ensureNodeNameIndex, podsOnNode } from './index-nodename.js';
import { matchingTolerations, minTolerationTime, type Taint } from './taints.js';
import { runQueueWorkers } from './writes.js';

interface Scheduled {
  createdAt: number;
  fireAt: number;
  timer: Timer;
}

const log = createLogger({ component: 'taint-eviction' });

function noExecuteTaints(node: Readonly<Node> | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

const taintsKey = (taints: readonly Taint[]) =>
  JSON.stringify(taints.map((t) => [t.key, t.value ?? '']).sort());

export class TaintEvictionController implements Runnable {
  readonly needLeaderElection = true;
  private readonly api: ApiClient;
  private readonly clock: Clock;
  private readonly events: EventRecorder;
  private readonly scheduled = new Map<string, Scheduled>();
  private readonly nodeQueue: RateLimitingQueue<string>;
  private readonly podQueue: RateLimitingQueue<string>;
  private readonly evictQueue: RateLimitingQueue<string>;
  private nodes!: Informer<Node>;
  private pods!: Informer<Pod>;

  constructor(private readonly manager: Manager) {
    this.api = manager.apiClient;
    this.clock = manager.clock;
    this.events = manager.eventRecorderFor(taintEvictionComponent);
    this.nodeQueue = new RateLimitingQueue<string>({ clock: this.clock });
    this.podQueue = new RateLimitingQueue<string>({ clock: this.clock });
    this.evictQueue = new RateLimitingQueue<string>({ clock: this.clock });
  }

  async start(signal: AbortSignal): Promise<void> {
    this.nodes = (await this.manager.informers.informerFor(Node)) as Informer<Node>;
    this.pods = (await this.manager.informers.informerFor(Pod)) as Informer<Pod>;
    ensureNodeNameIndex(this.pods);
    const nodeReg = this.nodes.addEventHandler({
      onAdd: (n) => this.nodeChanged(undefined, n),
      onUpdate: (o, n) => this.nodeChanged(o, n),
      onDelete: (n) => this.nodeChanged(n, undefined),
    });
    const podReg = this.pods.addEventHandler({
      onAdd: (p) => this.podChanged(p),
      onUpdate: (_o, p) => this.podChanged(p),
      onDelete: (p) => this.cancel(keyOf(p), false),
    });
    await Promise.all([nodeReg.synced(), podReg.synced()]);
    const workers = Promise.all([
      runQueueWorkers(this.nodeQueue, taintEvictionWorkers, (n) => this.syncNode(n)),
      runQueueWorkers(this.podQueue, taintEvictionWorkers, (k) => this.syncPod(k)),
      runQueueWorkers(this.evictQueue, taintEvictionWorkers, (k) => this.evict(k)),
    ]);
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    for (const s of this.scheduled.values()) s.timer.cancel();
    this.scheduled.clear();
    for (const q of [this.nodeQueue, this.podQueue, this.evictQueue]) q.shutDown();
    nodeReg.remove();
    podReg.remove();
    await workers;
  }

  private nodeChanged(old: Readonly<Node> | undefined, node: Readonly<Node> | undefined): void {
    if (taintsKey(noExecuteTaints(old)) === taintsKey(noExecuteTaints(node))) return;
    this.nodeQueue.add((node ?? old)?.metadata?.name ?? '');
  }

  private podChanged(pod: Readonly<Pod>): void {
    if (pod.spec?.nodeName) this.podQueue.add(keyOf(pod));
  }

  private async syncNode(name: string): Promise<void> {
    const taints = noExecuteTaints(this.nodes.store.getByName(undefined, name));
    for (const pod of podsOnNode(this.pods, name)) this.processPodOnNode(pod, taints);
  }

  private async syncPod(key: string): Promise<void> {
    const pod = this.pods.store.get(key);
    if (!pod?.spec?.nodeName) return this.cancel(key, false);
    const node = this.nodes.store.getByName(undefined, pod.spec.nodeName);
    this.processPodOnNode(pod, noExecuteTaints(node));
  }

  /** Upstream `processPodOnNode`. */
  private processPodOnNode(pod: Readonly<Pod>, taints: readonly Taint[]): void {
    const key = keyOf(pod);
    if (pod.metadata?.deletionTimestamp) return this.cancel(key, false);
    if (taints.length === 0) return this.cancel(key, true);
    const { allTolerated, used } = matchingTolerations(taints, pod.spec?.tolerations ?? []);
    if (!allTolerated) {
      this.cancel(key, false);
      this.evictQueue.add(key);
      return;
    }
    const delay = minTolerationTime(used);
    if (delay < 0) return this.cancel(key, true);
    const now = this.clock.now();
    const existing = this.scheduled.get(key);
    const createdAt = existing?.createdAt ?? now;
    const fireAt = createdAt + delay;
    if (existing?.fireAt === fireAt) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimeout(() => {
      this.scheduled.delete(key);
      this.evictQueue.add(key);
    }, fireAt - now);
    this.scheduled.set(key, { createdAt, fireAt, timer });
  }

  private cancel(key: string, withEvent: boolean): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    s.timer.cancel();
    this.scheduled.delete(key);
    const pod = this.pods?.store.get(key);
    if (withEvent && pod) {
      void this.events.event(
        pod,
        'Normal',
        'TaintManagerEviction',
        `Cancelling deletion of Pod ${key}`,
      );
    }
  }

  /** Whether the pod's node still has NoExecute taints the pod does not tolerate for ever. */
  private stillEvictable(pod: Readonly<Pod>): boolean {
    const taints = noExecuteTaints(this.nodes.store.getByName(undefined, pod.spec?.nodeName ?? ''));
    if (taints.length === 0) return false;
    const { allTolerated, used } = matchingTolerations(taints, pod.spec?.tolerations ?? []);
    return !allTolerated || minTolerationTime(used) >= 0;
  }

  /** Adds the DisruptionTarget condition, then deletes the pod. */
  private async evict(key: string): Promise<void> {
    const pod = this.pods.store.get(key);
    if (!pod || pod.metadata?.deletionTimestamp || !this.stillEvictable(pod)) return;
    const { name, namespace, uid } = pod.metadata ?? {};
    void this.events.event(
      pod,
      'Normal',
      'TaintManagerEviction',
      `Marking for deletion Pod ${key}`,
    );
    try {
      await this.api.patch(
        Pod,
        name ?? '',
        {
          metadata: { uid },
          status: {
            conditions: [
              {
                type: 'DisruptionTarget',
                status: 'True',
                reason: 'DeletionByTaintManager',
                message: 'Taint manager: deleting due to NoExecute taint',
                lastTransitionTime: rfc3339(new Date(this.clock.now())),
              },
            ],
          },
        },
        { namespace, type: 'strategic', subresource: 'status' },
      );
      await this.api.delete(Pod, name ?? '', { namespace, preconditions: { uid } });
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return;
      log.warn({ pod: key, err: String(err) }, 'taint eviction failed; retrying');
      throw err;
    }
  }
}

function keyOf(pod: Readonly<Pod>): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}
