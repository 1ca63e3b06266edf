/**
 * How cluster changes reach the scheduler (upstream `eventhandlers.go`).
 *
 * Pods:
 * - assigned pods (with `spec.nodeName`), of any scheduler, go to the cache; their arrival,
 *   label changes, scale-downs and deletion are cluster events for unschedulable pods;
 * - unassigned pods of this scheduler (`spec.schedulerName`) go to the scheduling queue;
 * - a pod going from unassigned to assigned leaves the queue and enters the cache;
 * - finished pods (Succeeded/Failed) count as deleted; updates carrying the same
 *   resourceVersion and updates of assumed pods are ignored.
 *
 * Nodes: added, updated and deleted in the cache. Adds and deletes are cluster events; an update
 * is one only when something scheduling looks at changed (allocatable, labels, taints or
 * unschedulable, condition statuses, annotations).
 */
import type { Node, Pod } from '../../framework/index.js';
import type { SchedulerCache } from './cache/cache.js';
import { defaultSchedulerName } from './defaults.js';
import { PodInfo } from './podinfo.js';
import { Action, assignedPodAdd, assignedPodDelete, nodeAdd, nodeDelete } from './queue/events.js';
import type { SchedulingQueue } from './queue/scheduling-queue.js';

export interface HandlerTargets {
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  /** Unassigned pods this scheduler is responsible for, latest version. */
  readonly pending: Map<string, PodInfo>;
  readonly schedulerName: string;
}

function isTerminal(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

function isAssigned(pod: Readonly<Pod>): boolean {
  return !!pod.spec?.nodeName;
}

function sameRecord(a: object | undefined, b: object | undefined): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}

/** `nodeSchedulingPropertiesChange`: the update's action flags (0 when irrelevant). */
export function nodeUpdateActions(old: Readonly<Node>, cur: Readonly<Node>): number {
  let a = 0;
  if (!sameRecord(old.status?.allocatable, cur.status?.allocatable))
    a |= Action.UpdateNodeAllocatable;
  if (!sameRecord(old.metadata?.labels, cur.metadata?.labels)) a |= Action.UpdateNodeLabel;
  if (
    !sameRecord(old.spec?.taints, cur.spec?.taints) ||
    !!old.spec?.unschedulable !== !!cur.spec?.unschedulable
  ) {
    a |= Action.UpdateNodeTaint;
  }
  const conditions = (n: Readonly<Node>) =>
    Object.fromEntries((n.status?.conditions ?? []).map((c) => [c.type, c.status]));
  if (!sameRecord(conditions(old), conditions(cur))) a |= Action.UpdateNodeCondition;
  if (!sameRecord(old.metadata?.annotations, cur.metadata?.annotations)) {
    a |= Action.UpdateNodeAnnotation;
  }
  return a;
}

/** The action flags of an assigned pod's update (label change, scale-down). */
export function assignedPodUpdateActions(old: PodInfo, cur: PodInfo): number {
  let a = 0;
  if (!sameRecord(old.labels, cur.labels)) a |= Action.UpdatePodLabel;
  const o = old.resources;
  const c = cur.resources;
  if (c.milliCPU < o.milliCPU || c.memory < o.memory || c.ephemeralStorage < o.ephemeralStorage) {
    a |= Action.UpdatePodScaleDown;
  }
  return a;
}

export class EventHandlers {
  constructor(private readonly t: HandlerTargets) {}

  private responsible(pod: Readonly<Pod>): boolean {
    return (pod.spec?.schedulerName || defaultSchedulerName) === this.t.schedulerName;
  }

  onPodAdd(pod: Readonly<Pod>): void {
    if (isTerminal(pod)) return;
    if (isAssigned(pod)) {
      this.t.cache.addPod(new PodInfo(pod));
      this.t.queue.moveAllToActiveOrBackoffQueue(assignedPodAdd);
      return;
    }
    if (!this.responsible(pod)) return;
    const pi = new PodInfo(pod);
    this.t.pending.set(pi.key, pi);
    this.t.queue.add(pi);
  }

  onPodUpdate(old: Readonly<Pod>, cur: Readonly<Pod>): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion && old === cur) return;
    if (isTerminal(cur)) {
      if (!isTerminal(old)) this.onPodDelete(old);
      return;
    }
    if (isAssigned(cur)) {
      const pi = new PodInfo(cur);
      if (!isAssigned(old)) {
        if (this.responsible(old)) {
          const previous = this.t.pending.get(pi.key) ?? new PodInfo(old);
          this.t.pending.delete(pi.key);
          this.t.queue.delete(previous);
        }
        this.t.cache.addPod(pi);
        this.t.queue.moveAllToActiveOrBackoffQueue(assignedPodAdd);
        return;
      }
      const previous = this.t.cache.podInfo(pi.key);
      this.t.cache.updatePod(pi);
      const actions = previous ? assignedPodUpdateActions(previous, pi) : Action.Add;
      if (actions !== 0) {
        this.t.queue.moveAllToActiveOrBackoffQueue({ resource: 'AssignedPod', action: actions });
      }
      return;
    }
    if (!this.responsible(cur)) return;
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const pi = new PodInfo(cur);
    const previous = this.t.pending.get(pi.key) ?? new PodInfo(old);
    this.t.pending.set(pi.key, pi);
    if (this.t.cache.isAssumed(pi.key)) return;
    this.t.queue.update(previous, pi);
  }

  onPodDelete(pod: Readonly<Pod>): void {
    const pi = new PodInfo(pod);
    if (isAssigned(pod)) {
      this.t.cache.removePod(pi.key);
      this.t.queue.moveAllToActiveOrBackoffQueue(assignedPodDelete);
      return;
    }
    // A pod deleted while assumed (its bound state never observed) must not keep its room.
    this.t.cache.removePod(pi.key);
    if (!this.responsible(pod)) return;
    this.t.pending.delete(pi.key);
    this.t.queue.delete(pi);
  }

  onNodeAdd(node: Readonly<Node>): void {
    this.t.cache.addOrUpdateNode(node);
    this.t.queue.moveAllToActiveOrBackoffQueue(nodeAdd);
  }

  onNodeUpdate(old: Readonly<Node>, cur: Readonly<Node>): void {
    this.t.cache.addOrUpdateNode(cur);
    const actions = nodeUpdateActions(old, cur);
    if (actions !== 0)
      this.t.queue.moveAllToActiveOrBackoffQueue({ resource: 'Node', action: actions });
  }

  onNodeDelete(node: Readonly<Node>): void {
    this.t.cache.removeNode(node.metadata?.name ?? '');
    this.t.queue.moveAllToActiveOrBackoffQueue(nodeDelete);
  }
}
