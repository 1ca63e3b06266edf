/**
 * Stale `DisruptionTarget` conditions (`syncStalePodDisruption`,
 * `nonTerminatingPodHasStaleDisruptionCondition`): a pod that was marked for disruption
 * (`DisruptionTarget=True`, e.g. by an eviction that then failed) but is not being deleted 2
 * minutes after the condition's transition gets the condition set back to False through
 * `/status`. Conditions the kubelet set (`TerminationByKubelet`) and those of finished pods are
 * never stale. A pod is looked at again when its condition would turn stale.
 */
import {
  controllerManagedBy,
  Pod,
  rfc3339,
  type Manager,
  type Request,
  type Result,
  type RuntimeController,
} from '../../framework/index.js';
import { isPodTerminal, timeMs } from '../util/index.js';
import {
  disruptionTargetCondition,
  stalePodDisruptionTimeoutMs,
  terminationByKubeletReason,
} from './defaults.js';

/** Whether `pod` has a condition that is or will become stale, and in how many ms. */
export function staleDisruptionCondition(
  pod: Readonly<Pod>,
  nowMs: number,
): { has: boolean; cleanAfterMs: number } {
  if (pod.metadata?.deletionTimestamp) return { has: false, cleanAfterMs: 0 };
  const cond = pod.status?.conditions?.find((c) => c.type === disruptionTargetCondition);
  if (
    !cond ||
    cond.status !== 'True' ||
    cond.reason === terminationByKubeletReason ||
    isPodTerminal(pod)
  ) {
    return { has: false, cleanAfterMs: 0 };
  }
  const since = timeMs(cond.lastTransitionTime) ?? 0;
  return { has: true, cleanAfterMs: Math.max(0, stalePodDisruptionTimeoutMs - (nowMs - since)) };
}

export class StalePodDisruption {
  constructor(private readonly mgr: Manager) {}

  register(): RuntimeController {
    return controllerManagedBy(this.mgr)
      .named('disruption-stale-pod')
      .for(Pod, {
        predicates: [
          {
            create: (e) => staleDisruptionCondition(e.object as Pod, this.mgr.clock.now()).has,
            update: (e) => staleDisruptionCondition(e.objectNew as Pod, this.mgr.clock.now()).has,
            delete: () => false,
            generic: () => false,
          },
        ],
      })
      .withOptions({ maxConcurrentReconciles: 1, usePriorityQueue: false })
      .complete({ reconcile: (req) => this.sync(req) });
  }

  async sync(req: Request): Promise<Result | void> {
    let pod: Readonly<Pod>;
    try {
      pod = await this.mgr.client.get(Pod, req.name, { namespace: req.namespace });
    } catch {
      return;
    }
    const { has, cleanAfterMs } = staleDisruptionCondition(pod, this.mgr.clock.now());
    if (!has) return;
    if (cleanAfterMs > 0) return { requeueAfter: cleanAfterMs };
    const updated = structuredClone(pod) as Pod;
    const cond = updated.status!.conditions!.find((c) => c.type === disruptionTargetCondition)!;
    cond.status = 'False';
    cond.lastTransitionTime = rfc3339(new Date(this.mgr.clock.now()));
    await this.mgr.client.updateStatus(updated, { kind: Pod });
  }
}
