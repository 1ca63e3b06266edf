/**
 * The pods table of `kubectl get pods`, as `printPod` in pkg/printers/internalversion/printers.go:
 * NAME READY STATUS RESTARTS AGE, and at priority 1 IP NODE NOMINATED NODE READINESS GATES.
 * STATUS follows upstream's reason logic: phase or `status.reason`, `SchedulingGated`,
 * `Init:N/M` / `Init:<reason>` / `Init:ExitCode:N` while init containers run, the last
 * container's waiting/terminated reason (`CrashLoopBackOff`, `Completed`, `ExitCode:N`,
 * `Signal:N`), `Running`/`NotReady` when a completed container still has a running sibling, and
 * `Terminating` (or `Unknown` for NodeLost) once deletion started.
 */
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, nameColumn, nameOf } from '../printers/columns.js';
import { translateTimestampSince } from '../printers/duration.js';

type Obj = Record<string, unknown>;
interface ContainerStatus {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string };
    running?: Obj;
    terminated?: { reason?: string; exitCode?: number; signal?: number };
  };
  lastState?: { terminated?: { finishedAt?: string } };
}

function list<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** `podutil.IsPodPhaseTerminal`. */
function isTerminal(phase: string): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Computes the READY, STATUS and RESTARTS cells of a pod. */
export function podStatusCells(
  pod: KubeObject,
  now: number,
): { ready: string; reason: string; restarts: string } {
  const spec = (pod.spec as Obj | undefined) ?? {};
  const status = (pod.status as Obj | undefined) ?? {};
  const initContainers = list<Obj>(spec.initContainers);
  const restartable = new Set(
    initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => c.name as string),
  );
  let totalContainers = list(spec.containers).length + restartable.size;
  let readyContainers = 0;
  let restarts = 0;
  let restartableRestarts = 0;
  let lastRestart = 0;
  let lastRestartableRestart = 0;
  const phase = (status.phase as string) ?? '';
  let reason = (status.reason as string) || phase;
  const conditions = list<Obj>(status.conditions);
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }
  let initializing = false;
  const initStatuses = list<ContainerStatus>(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    const finished = Date.parse(c.lastState?.terminated?.finishedAt ?? '') || 0;
    if (finished > lastRestart) lastRestart = finished;
    const isRestartable = restartable.has(c.name ?? '');
    if (isRestartable) {
      restartableRestarts += c.restartCount ?? 0;
      if (finished > lastRestartableRestart) lastRestartableRestart = finished;
    }
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && (t.exitCode ?? 0) === 0) continue;
    if (isRestartable && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (t) {
      reason = t.reason
        ? `Init:${t.reason}`
        : t.signal
          ? `Init:Signal:${t.signal}`
          : `Init:ExitCode:${t.exitCode ?? 0}`;
    } else if (w?.reason && w.reason !== 'PodInitializing') {
      reason = `Init:${w.reason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }
  const initializedTrue = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses = list<ContainerStatus>(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      const finished = Date.parse(c.lastState?.terminated?.finishedAt ?? '') || 0;
      if (finished > lastRestart) lastRestart = finished;
      const w = c.state?.waiting;
      const t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True')
        ? 'Running'
        : 'NotReady';
    }
  }
  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && !isTerminal(phase)) reason = 'Terminating';
  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart > 0) {
    restartsStr = `${restarts} (${translateTimestampSince(new Date(lastRestart).toISOString(), now)} ago)`;
  }
  totalContainers = Math.max(totalContainers, 0);
  return { ready: `${readyContainers}/${totalContainers}`, reason, restarts: restartsStr };
}

export const podTable: NonNullable<ResourceType['table']> = {
  columns: [
    nameColumn,
    col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn,
    col(
      'IP',
      'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      { wide: true },
    ),
    col(
      'Node',
      'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.',
      { wide: true },
    ),
    col(
      'Nominated Node',
      'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.',
      { wide: true },
    ),
    col(
      'Readiness Gates',
      'If specified, all readiness gates will be evaluated for pod readiness.',
      { wide: true },
    ),
  ],
  cells(pod, { now }) {
    const { ready, reason, restarts } = podStatusCells(pod, now);
    const spec = (pod.spec as Obj | undefined) ?? {};
    const status = (pod.status as Obj | undefined) ?? {};
    const podIPs = list<Obj>(status.podIPs);
    const podIP = (podIPs[0]?.ip as string) || (status.podIP as string) || '<none>';
    const gates = list<Obj>(spec.readinessGates);
    let readinessGates = '<none>';
    if (gates.length) {
      const conds = list<Obj>(status.conditions);
      const trueCount = gates.filter(
        (g) => conds.find((c) => c.type === g.conditionType)?.status === 'True',
      ).length;
      readinessGates = `${trueCount}/${gates.length}`;
    }
    return [
      nameOf(pod),
      ready,
      reason,
      restarts,
      ageOf(pod, now),
      podIP,
      (spec.nodeName as string) || '<none>',
      (status.nominatedNodeName as string) || '<none>',
      readinessGates,
    ];
  },
};
