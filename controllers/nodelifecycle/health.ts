/**
 * Node health tracking (upstream `tryUpdateNodeHealth`).
 *
 * For each node the controller remembers when it last heard from the kubelet
 * (`probeTimestamp`): it moves to "now" when the Ready condition's `lastHeartbeatTime` changed
 * since the last look, or when the node's Lease has a newer `renewTime`. The grace period is
 * `nodeStartupGracePeriod` for a node that never posted Ready, else `nodeMonitorGracePeriod`.
 *
 * Once `now > probeTimestamp + grace`, Ready, MemoryPressure, DiskPressure and PIDPressure become
 * `Unknown` — reason `NodeStatusUnknown`, "Kubelet stopped posting node status.", or
 * `NodeStatusNeverUpdated`, "Kubelet never posted node status." for a condition that never
 * existed — with `lastTransitionTime = now`. {@link NodeHealthTracker.check} returns that new
 * status for the caller to write (it writes nothing itself).
 */
import { rfc3339, type Lease, type Node } from '../../framework/index.js';

type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

interface Health {
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  readyHeartbeat?: string;
  readyTransition?: string;
  leaseRenewTime?: number;
}

export interface HealthCheck {
  /** The Ready condition as the node showed it before this check (Unknown if it had none). */
  observedReady: NodeCondition;
  /** The Ready condition after it (the updated one when `update` is set). */
  currentReady: NodeCondition | undefined;
  /** A status with conditions set to Unknown, to be written; undefined when nothing changes. */
  update?: NonNullable<Node['status']>;
}

export interface HealthOptions {
  gracePeriodMs: number;
  startupGracePeriodMs: number;
}

const monitoredConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export class NodeHealthTracker {
  private readonly health = new Map<string, Health>();

  constructor(private readonly options: HealthOptions) {}

  forget(name: string): void {
    this.health.delete(name);
  }

  /** Treats every node as just heard from (upstream does this when leaving full disruption). */
  resetAll(now: number): void {
    for (const h of this.health.values()) {
      h.probeTimestamp = now;
      h.readyTransitionTimestamp = now;
    }
  }

  /** Looks at `node` (and its Lease) at `now`; see the module comment. */
  check(node: Readonly<Node>, lease: Readonly<Lease> | undefined, now: number): HealthCheck {
    const name = node.metadata?.name ?? '';
    const conditions = (node.status?.conditions ?? []) as NodeCondition[];
    const ready = conditions.find((c) => c.type === 'Ready');
    const created = Date.parse(node.metadata?.creationTimestamp ?? '') || now;
    const observedReady: NodeCondition = ready
      ? { ...ready }
      : {
          type: 'Ready',
          status: 'Unknown',
          lastHeartbeatTime: node.metadata?.creationTimestamp,
          lastTransitionTime: node.metadata?.creationTimestamp,
        };
    const grace = ready ? this.options.gracePeriodMs : this.options.startupGracePeriodMs;
    let h = this.health.get(name);
    if (!h) {
      h = ready
        ? { probeTimestamp: now, readyTransitionTimestamp: now }
        : { probeTimestamp: created, readyTransitionTimestamp: created };
      h.readyHeartbeat = ready?.lastHeartbeatTime;
      h.readyTransition = ready?.lastTransitionTime;
      this.health.set(name, h);
    } else if (ready && ready.lastHeartbeatTime !== h.readyHeartbeat) {
      if (ready.lastTransitionTime !== h.readyTransition) h.readyTransitionTimestamp = now;
      h.probeTimestamp = now;
      h.readyHeartbeat = ready.lastHeartbeatTime;
      h.readyTransition = ready.lastTransitionTime;
    }
    const renew = lease?.spec?.renewTime ? Date.parse(lease.spec.renewTime) : undefined;
    if (renew !== undefined && (h.leaseRenewTime === undefined || renew > h.leaseRenewTime)) {
      h.leaseRenewTime = renew;
      h.probeTimestamp = now;
    }
    if (now <= h.probeTimestamp + grace) return { observedReady, currentReady: ready };
    const stamp = rfc3339(new Date(now));
    const next = conditions.map((c) => ({ ...c }));
    for (const type of monitoredConditions) {
      const c = next.find((x) => x.type === type);
      if (!c) {
        next.push({
          type,
          status: 'Unknown',
          reason: 'NodeStatusNeverUpdated',
          message: 'Kubelet never posted node status.',
          lastHeartbeatTime: node.metadata?.creationTimestamp,
          lastTransitionTime: stamp,
        });
      } else if (c.status !== 'Unknown') {
        c.status = 'Unknown';
        c.reason = 'NodeStatusUnknown';
        c.message = 'Kubelet stopped posting node status.';
        c.lastTransitionTime = stamp;
      }
    }
    const currentReady = next.find((c) => c.type === 'Ready');
    const changed =
      currentReady?.status !== observedReady.status ||
      currentReady?.reason !== observedReady.reason ||
      !ready;
    if (!changed) return { observedReady, currentReady };
    h.readyTransitionTimestamp = now;
    h.readyHeartbeat = currentReady?.lastHeartbeatTime;
    h.readyTransition = currentReady?.lastTransitionTime;
    return { observedReady, currentReady, update: { ...node.status, conditions: next } };
  }
}
