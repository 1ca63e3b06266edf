/**
 * SchedulingGates (upstream `plugins/schedulinggates`): a pod with `spec.schedulingGates` stays
 * out of the active queue until every gate is removed. The API server already set its
 * PodScheduled=False/SchedulingGated condition; the scheduler writes nothing for it.
 */
import type { EnqueueExtensions, PreEnqueuePlugin } from '../framework/interfaces.js';
import { unresolvable, type Status } from '../framework/status.js';
import type { PodInfo } from '../podinfo.js';
import { Action } from '../queue/events.js';
import { names } from './names.js';

export class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {
  readonly name = names.SchedulingGates;

  preEnqueue(pod: PodInfo): Status | undefined {
    const gates = pod.pod.spec?.schedulingGates ?? [];
    if (gates.length === 0) return undefined;
    return unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
  }

  eventsToRegister() {
    return [
      { resource: 'UnscheduledPod' as const, action: Action.UpdatePodSchedulingGatesEliminated },
    ];
  }
}
