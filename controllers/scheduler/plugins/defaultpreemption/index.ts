/**
 * DefaultPreemption (upstream `plugins/defaultpreemption` + `framework/preemption`), the
 * PostFilter plugin: when no node fits, find a node where evicting lower-priority pods makes the
 * pod fit, nominate the pod there and evict those pods.
 *
 * - Not eligible: `preemptionPolicy: Never` (`not eligible due to preemptionPolicy=Never.`), or
 *   a victim of its previous preemption on its nominated node is still terminating
 *   (`not eligible due to a terminating pod on the nominated node.`).
 * - No candidate: the message is a fit error over the dry-run statuses, with nodes that were not
 *   tried counting as `Preemption is not helpful for scheduling`; the nomination is cleared.
 * - Success: the pod is nominated (`status.nominatedNodeName`) and the victims are evicted
 *   asynchronously, as upstream's async preemption does: each gets the condition
 *   `DisruptionTarget=True` reason `PreemptionByScheduler`, then is deleted (the delete API,
 *   with its grace period), and a `Preempted` event. Lower-priority pods nominated to that node
 *   lose their nomination. While this runs the preemptor stays out of the active queue; when it
 *   finishes the preemptor is activated.
 *
 * Every result message is prefixed with `preemption: ` by {@link DefaultPreemption.postFilter}.
 */
import { defaultSchedulerName } from '../../defaults.js';
import { fitErrorMessage } from '../../fiterror.js';
import type { CycleState } from '../../framework/cyclestate.js';
import {
  NodeToStatus,
  type Handle,
  type PostFilterOutcome,
  type PostFilterPlugin,
  type PreEnqueuePlugin,
} from '../../framework/interfaces.js';
import type { Framework } from '../../framework/runtime.js';
import {
  asErrorStatus,
  Code,
  Status,
  unresolvable,
  unschedulable,
} from '../../framework/status.js';
import type { PodInfo } from '../../podinfo.js';
import type { Nominator } from '../../queue/nominator.js';
import { names } from '../names.js';
import {
  dryRunPreemption,
  numCandidates,
  pickOneCandidate,
  potentialNodes,
  type Candidate,
} from './candidates.js';

export { noVictimsMessage } from './victims.js';

export const notHelpfulMessage = 'Preemption is not helpful for scheduling';

/** The API calls preemption makes. */
export interface PreemptionClient {
  /** Marks the victim with `DisruptionTarget`, deletes it and records `Preempted`. */
  preemptVictim(victim: PodInfo, preemptor: PodInfo, node: string, message: string): Promise<void>;
  /** Clears `status.nominatedNodeName` of a pod. */
  clearNomination(pod: PodInfo): Promise<void>;
}

export interface DefaultPreemptionOptions {
  handle: Handle;
  nominator: Nominator;
  client: PreemptionClient;
  /** Moves a pod to the active queue (when its preemption finished). */
  activate(key: string): void;
  now(): number;
  random?: () => number;
  schedulerName?: string;
  /** Called with the number of victims of each preemption (metrics). */
  onVictims?(n: number): void;
  /** Called for each preemption attempt (metrics). */
  onAttempt?(): void;
  /** Called with errors of the asynchronous evictions. */
  onError?(err: unknown, victim: PodInfo): void;
}

export class DefaultPreemption implements PostFilterPlugin, PreEnqueuePlugin {
  readonly name = names.DefaultPreemption;
  /** Set by the scheduler once the framework exists. */
  framework!: Framework;
  private readonly preempting = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: DefaultPreemptionOptions) {}

  preEnqueue(pod: PodInfo) {
    if (!this.preempting.has(pod.key)) return undefined;
    return unresolvable('waiting for the preemption for this pod to be finished');
  }

  postFilter(state: CycleState, pod: PodInfo, m: NodeToStatus): PostFilterOutcome {
    this.options.onAttempt?.();
    const out = this.preempt(state, pod, m);
    const msg = out.status?.message() ?? '';
    if (out.status && msg.length > 0) {
      return { result: out.result, status: new Status(out.status.code, [`preemption: ${msg}`]) };
    }
    return out;
  }

  /** Resolves when every eviction started so far has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** `Evaluator.Preempt`. */
  private preempt(state: CycleState, pod: PodInfo, m: NodeToStatus): PostFilterOutcome {
    const reason = this.notEligible(pod, m);
    if (reason) return { status: unschedulable(reason) };
    const all = this.options.handle.allNodes();
    if (all.length === 0) return { status: asErrorStatus(new Error('no nodes available')) };
    const potential = potentialNodes(all, m);
    let statuses = new NodeToStatus();
    let candidates: Candidate[] = [];
    if (potential.length > 0) {
      const random = this.options.random ?? Math.random;
      const offset = Math.floor(random() * potential.length);
      ({ candidates, statuses } = dryRunPreemption(
        this.framework,
        state,
        pod,
        potential,
        this.options.handle.listers.podDisruptionBudgets(),
        offset,
        numCandidates(potential.length),
        this.options.now(),
      ));
      const err = [...statuses.byNode.values()].find((s) => s.code === Code.Error);
      if (err && candidates.length === 0) return { status: err };
    }
    if (candidates.length === 0) {
      statuses.absentStatus = unresolvable(notHelpfulMessage);
      const msg = fitErrorMessage(all.length, {
        nodeToStatus: statuses,
        unschedulablePlugins: new Set(),
        preFilterMsg: '',
        postFilterMsg: '',
      });
      return { result: { nominatedNodeName: '' }, status: unschedulable(msg) };
    }
    const best = pickOneCandidate(candidates, this.options.now());
    this.prepareCandidateAsync(best, pod);
    return { result: { nominatedNodeName: best.node } };
  }

  /** `PodEligibleToPreemptOthers`: the reason it is not eligible, or undefined. */
  private notEligible(pod: PodInfo, m: NodeToStatus): string | undefined {
    if (pod.pod.spec?.preemptionPolicy === 'Never') {
      return 'not eligible due to preemptionPolicy=Never.';
    }
    const nominated = pod.pod.status?.nominatedNodeName ?? '';
    if (nominated === '') return undefined;
    if (m.get(nominated)?.code === Code.UnschedulableAndUnresolvable) return undefined;
    const info = this.options.handle.nodeInfo(nominated);
    for (const p of info?.pods ?? []) {
      if (p.priority < pod.priority && terminatingByPreemption(p)) {
        return 'not eligible due to a terminating pod on the nominated node.';
      }
    }
    return undefined;
  }

  /** `prepareCandidateAsync`. */
  private prepareCandidateAsync(c: Candidate, pod: PodInfo): void {
    this.options.onVictims?.(c.victims.length);
    const victims = c.victims.filter((v) => !v.deleting);
    if (victims.length === 0) return;
    this.preempting.add(pod.key);
    const schedulerName = pod.pod.spec?.schedulerName ?? defaultSchedulerName;
    const message = `${schedulerName}: preempting to accommodate a higher priority pod`;
    const lower = this.options.nominator
      .podsForNode(c.node)
      .filter((p) => p.priority < pod.priority);
    const work = (async () => {
      for (const p of lower) {
        await this.options.client.clearNomination(p).catch((err) => this.options.onError?.(err, p));
      }
      await Promise.all(
        victims.map((v) =>
          this.options.client
            .preemptVictim(v, pod, c.node, message)
            .catch((err) => this.options.onError?.(err, v)),
        ),
      );
    })().finally(() => {
      this.preempting.delete(pod.key);
      this.inFlight.delete(work);
      this.options.activate(pod.key);
    });
    this.inFlight.add(work);
  }
}

/** `podTerminatingByPreemption`. */
function terminatingByPreemption(p: PodInfo): boolean {
  if (!p.deleting) return false;
  const cond = (p.pod.status?.conditions ?? []).find((c) => c.type === 'DisruptionTarget');
  return cond?.status === 'True' && cond.reason === 'PreemptionByScheduler';
}
