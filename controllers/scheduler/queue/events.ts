/**
 * Cluster events that move unschedulable pods back into the queue (upstream `fwk.ClusterEvent`,
 * `ActionType` and the `nodeSchedulingPropertiesChange` / pod update classification of
 * `eventhandlers.go`).
 *
 * Each plugin registers the events that may make a pod it rejected schedulable
 * ({@link EnqueueExtensions}); an unschedulable pod is moved only by an event one of its
 * rejecting plugins registered. A pod rejected for an error (no plugin named) moves on any event.
 */

/** Bit flags of what happened (upstream `fwk.ActionType`). */
export const Action = {
  Add: 1 << 0,
  Delete: 1 << 1,
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  UpdatePodLabel: 1 << 7,
  UpdatePodScaleDown: 1 << 8,
  UpdatePodToleration: 1 << 9,
  UpdatePodSchedulingGatesEliminated: 1 << 10,
  /** Any other update. */
  UpdateOther: 1 << 11,
} as const;

/** Every update flag (upstream `Update`). */
export const Update =
  Action.UpdateNodeAllocatable |
  Action.UpdateNodeLabel |
  Action.UpdateNodeTaint |
  Action.UpdateNodeCondition |
  Action.UpdateNodeAnnotation |
  Action.UpdatePodLabel |
  Action.UpdatePodScaleDown |
  Action.UpdatePodToleration |
  Action.UpdatePodSchedulingGatesEliminated |
  Action.UpdateOther;

/** Every action (upstream `All`). */
export const All = Action.Add | Action.Delete | Update;

/** What the event is about; `Pod` matches assigned and unscheduled pods alike. */
export type EventResource = 'Node' | 'Pod' | 'AssignedPod' | 'UnscheduledPod' | 'Namespace' | '*';

export interface ClusterEvent {
  readonly resource: EventResource;
  readonly action: number;
}

/** `MatchClusterEvents`: `incoming` is the same as or more specific than `registered`. */
export function eventMatches(registered: ClusterEvent, incoming: ClusterEvent): boolean {
  if (registered.resource === '*' && registered.action === All) return true;
  const resourceMatches =
    registered.resource === '*' ||
    registered.resource === incoming.resource ||
    (registered.resource === 'Pod' &&
      (incoming.resource === 'AssignedPod' || incoming.resource === 'UnscheduledPod'));
  return resourceMatches && (registered.action & incoming.action) !== 0;
}

const actionNames = Object.entries(Action) as [string, number][];

/** The metrics label of an event, e.g. `NodeAdd`, `AssignedPodDelete`, `NodeUpdateNodeTaint`. */
export function eventLabel(e: ClusterEvent): string {
  const names = actionNames.filter(([, bit]) => (e.action & bit) !== 0).map(([n]) => n);
  return `${e.resource}${names.join('|') || 'None'}`;
}

/** Pseudo-events of the queue itself. */
export const unschedulableTimeout: ClusterEvent = { resource: '*', action: All };
export const forceActivate: ClusterEvent = { resource: '*', action: All };

export const nodeAdd: ClusterEvent = { resource: 'Node', action: Action.Add };
export const nodeDelete: ClusterEvent = { resource: 'Node', action: Action.Delete };
export const assignedPodAdd: ClusterEvent = { resource: 'AssignedPod', action: Action.Add };
export const assignedPodDelete: ClusterEvent = { resource: 'AssignedPod', action: Action.Delete };
