/**
 * The pod side of a simulated kubelet (upstream's pod workers and status manager, without
 * containers): {@link PodWorker.sync} brings one pod's status up to date and says when to look
 * at it again.
 *
 * - A pod bound to one of our nodes starts at once: it gets an IP from its node's pod CIDR (the
 *   node's IP with `hostNetwork`), a start time and a {@link PodRuntime}; a pod that a previous
 *   process already ran is taken over from its status.
 * - Its status is posted (strategic merge patch on `pods/<name>/status`, as the node) only when
 *   it differs from what the pod shows.
 * - A pod with a `deletionTimestamp` is stopped: containers exit (143), the terminal status is
 *   posted, and the node deletes it with `gracePeriodSeconds: 0` and a uid precondition. A pod
 *   the API already shows as Succeeded or Failed is left as it is (its IP is freed).
 * - Pods of nodes this process does not run, of deleted nodes, or of nodes whose kubelet is
 *   stopped (`kuberx.io/simulate: fail`) are not touched.
 */
import {
  createLogger,
  isConflict,
  isNotFound,
  Pod,
  type Clock,
  type Logger,
} from '../../framework/index.js';
import { parsePodBehaviour } from './annotations.js';
import type { SimulatedNode } from './kubelet.js';
import {
  advance,
  applySpecImages,
  kill,
  nextChange,
  restorePodRuntime,
  type PodRuntime,
} from './podruntime.js';
import { desiredPodStatus, statusPatch, statusUpToDate } from './podstatus.js';

/** What the worker needs from the simulator. */
export interface PodWorkerHost {
  readonly clock: Clock;
  /** The cached pod for `namespace/name`. */
  pod(key: string): Readonly<Pod> | undefined;
  /** Our node called `name`, if this process runs it. */
  node(name: string): SimulatedNode | undefined;
  /** IPs held by live pods of node `name` (from the informer cache). */
  podIPsOnNode(name: string): Set<string>;
  /** First restart back-off. */
  readonly backOffInitialMs?: number;
}

interface Running {
  uid: string;
  node: SimulatedNode;
  rt: PodRuntime;
  ip?: string;
  /** The IP went back to the node's pool (the pod ended); the status still shows it. */
  released?: boolean;
}

/** Retry delay when a node's pod CIDR is full. */
const noIPRetryMs = 10_000;

export class PodWorker {
  private readonly running = new Map<string, Running>();
  /** Uids of pods whose final delete was sent. */
  private readonly deleted = new Set<string>();
  private readonly log: Logger = createLogger({ component: 'kubelet' });

  constructor(private readonly host: PodWorkerHost) {}

  /** Pods with a runtime in this process. */
  get size(): number {
    return this.running.size;
  }

  /**
   * Brings the pod `key` up to date. Resolves with the delay (ms) after which it must be synced
   * again, or undefined when only a change of the pod can change anything.
   */
  async sync(key: string): Promise<number | undefined> {
    const pod = this.host.pod(key);
    let state = this.running.get(key);
    if (!pod || (state && state.uid !== pod.metadata?.uid)) {
      this.forget(key);
      state = undefined;
      if (!pod) return undefined;
    }
    if (this.deleted.has(pod.metadata?.uid ?? '')) return undefined;
    const node = this.host.node(pod.spec?.nodeName ?? '');
    if (!node || node.deleted || node.simulation.failed) return undefined;
    const now = this.host.clock.now();
    const apiPhase = pod.status?.phase;
    if (pod.metadata?.deletionTimestamp) return this.terminate(key, pod, node, state, now);
    if (apiPhase === 'Succeeded' || apiPhase === 'Failed') {
      this.release(state);
      return undefined;
    }
    if (!state) {
      state = this.admit(key, pod, node, now);
      if (!state) return noIPRetryMs;
    }
    const { rt } = state;
    advance(rt, now);
    applySpecImages(rt, pod, now);
    advance(rt, now);
    await this.post(pod, state, now);
    if (rt.terminal) this.release(state);
    const next = nextChange(rt, now);
    return Number.isFinite(next) ? Math.max(0, next - now) : undefined;
  }

  /** Drops what this process holds for `key` (the pod is gone). */
  forget(key: string): void {
    const state = this.running.get(key);
    this.release(state);
    this.running.delete(key);
    if (state) this.deleted.delete(state.uid);
  }

  /** Forgets a pod that left the cache (by uid, for pods that never had a runtime). */
  forgetUid(uid: string): void {
    this.deleted.delete(uid);
  }

  private admit(
    key: string,
    pod: Readonly<Pod>,
    node: SimulatedNode,
    now: number,
  ): Running | undefined {
    const { behaviour, invalid } = parsePodBehaviour(pod);
    if (invalid.length) {
      this.log.warn({ pod: key, annotations: invalid }, 'ignoring annotations that do not parse');
    }
    let ip: string | undefined;
    if (pod.spec?.hostNetwork) ip = node.ip;
    else if (pod.status?.podIP && node.ips.contains(pod.status.podIP)) {
      ip = pod.status.podIP;
      node.ips.claim(ip);
    } else {
      ip = node.ips.allocate(this.host.podIPsOnNode(node.name));
      if (!ip) {
        this.log.warn({ pod: key, node: node.name }, 'no free pod IP in the node pod CIDR');
        return undefined;
      }
    }
    const rt = restorePodRuntime(pod, behaviour, now, {
      backOffInitialMs: this.host.backOffInitialMs,
    });
    const state: Running = { uid: pod.metadata?.uid ?? '', node, rt, ip };
    this.running.set(key, state);
    return state;
  }

  private async terminate(
    key: string,
    pod: Readonly<Pod>,
    node: SimulatedNode,
    state: Running | undefined,
    now: number,
  ): Promise<undefined> {
    const phase = pod.status?.phase;
    const started = Boolean(pod.status?.startTime);
    if (!state && started && phase !== 'Succeeded' && phase !== 'Failed') {
      state = this.admit(key, pod, node, now);
    }
    if (state && !(phase === 'Succeeded' || phase === 'Failed')) {
      advance(state.rt, now);
      kill(state.rt, now);
      await this.post(pod, state, now);
    }
    try {
      await node.client.delete(Pod, pod.metadata!.name!, {
        namespace: pod.metadata!.namespace,
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata!.uid },
      });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
    this.deleted.add(pod.metadata?.uid ?? '');
    this.release(state);
    return undefined;
  }

  private async post(pod: Readonly<Pod>, state: Running, now: number): Promise<void> {
    const desired = desiredPodStatus(pod, state.rt, state.node, state.ip, now);
    if (statusUpToDate(pod, desired)) return;
    await state.node.client.patch(Pod, pod.metadata!.name!, statusPatch(pod, desired), {
      namespace: pod.metadata!.namespace,
      type: 'strategic',
      subresource: 'status',
    });
  }

  private release(state: Running | undefined): void {
    if (!state?.ip || state.released || state.ip === state.node.ip) return;
    state.node.ips.release(state.ip);
    state.released = true;
  }
}
