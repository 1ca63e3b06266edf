/**
 * The pod status a kubelet posts for a {@link PodRuntime} (`pkg/kubelet/kubelet_pods.go`
 * `getPhase`/`generateAPIPodStatus`, `pkg/kubelet/status/generate.go`), and the strategic merge
 * patch that writes it.
 *
 * - Phase: `Pending` while initialising, `Running` while any container runs or will run again,
 *   the runtime's terminal phase once it has one.
 * - Conditions the kubelet owns, in kubectl's order: `PodReadyToStartContainers`, `Initialized`,
 *   `Ready`, `ContainersReady` (plus `PodScheduled` when nothing set it, as for pods created with
 *   `spec.nodeName`), with upstream's reasons and messages; a condition keeps its
 *   `lastTransitionTime` while its status does not change. Conditions other writers own
 *   (`DisruptionTarget`, custom readiness gates) are left alone: the patch merges by `type`.
 * - `hostIP(s)`, `podIP(s)`, `startTime`, `initContainerStatuses`, `containerStatuses` (image,
 *   imageID, containerID, ready, started, restartCount, state, lastState).
 */
import { createHash } from 'node:crypto';
import { deepEqual, rfc3339, type Pod } from '../../framework/index.js';
import { isReady, isStarted, type ContainerRuntime, type PodRuntime } from './podruntime.js';

type PodStatus = NonNullable<Pod['status']>;
type PodCondition = NonNullable<PodStatus['conditions']>[number];
type ContainerStatus = NonNullable<PodStatus['containerStatuses']>[number];

/** The kubelet's conditions, in the order kubectl shows them. */
export const kubeletConditionTypes = [
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
] as const;

const time = (ms: number) => rfc3339(new Date(ms));

/** `docker.io/library/nginx` for `nginx:1.25`. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const repo = colon >= 0 ? withoutDigest.slice(0, colon) : withoutDigest;
  const first = repo.split('/')[0]!;
  if (!repo.includes('/')) return `docker.io/library/${repo}`;
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') {
    return `docker.io/${repo}`;
  }
  return repo;
}

const imageIDs = new Map<string, string>();

/** A stable `repo@sha256:…` image id (what a runtime reports after pulling `image`). */
export function imageIDFor(image: string): string {
  let id = imageIDs.get(image);
  if (!id) {
    id = `${imageRepository(image)}@sha256:${createHash('sha256').update(image).digest('hex')}`;
    if (imageIDs.size > 10_000) imageIDs.clear();
    imageIDs.set(image, id);
  }
  return id;
}

function containerStatus(
  rt: PodRuntime,
  c: ContainerRuntime,
  now: number,
  podRef: string,
): ContainerStatus {
  const out: ContainerStatus = {
    name: c.name,
    image: c.image,
    imageID: c.state === 'waiting' && c.restartCount === 0 && !c.last ? '' : imageIDFor(c.image),
    ready: c.state === 'running' && isReady(rt, c, now),
    started: c.state === 'running' && isStarted(c, now),
    restartCount: c.restartCount,
    state: {},
    lastState: {},
  };
  if (c.containerID && !(c.state === 'waiting' && !c.last)) out.containerID = c.containerID;
  if (c.state === 'running') out.state = { running: { startedAt: time(c.startedAt!) } };
  else if (c.state === 'terminated') {
    out.state = {
      terminated: {
        exitCode: c.exitCode ?? 0,
        reason: c.exitCode === 0 ? 'Completed' : 'Error',
        ...(c.startedAt !== undefined ? { startedAt: time(c.startedAt) } : {}),
        finishedAt: time(c.finishedAt ?? now),
        ...(c.containerID ? { containerID: c.containerID } : {}),
      },
    };
  } else if (c.waitingReason === 'CrashLoopBackOff') {
    out.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${Math.round((c.backOffMs ?? 0) / 1000)}s restarting failed container=${c.name} pod=${podRef}`,
      },
    };
  } else {
    out.state = { waiting: { reason: 'PodInitializing' } };
  }
  if (c.last) {
    out.lastState = {
      terminated: {
        exitCode: c.last.exitCode,
        reason: c.last.reason,
        startedAt: time(c.last.startedAt),
        finishedAt: time(c.last.finishedAt),
        containerID: c.last.containerID,
      },
    };
  }
  return out;
}

/** The phase of the pod at `now` (upstream `getPhase`). */
export function podPhase(rt: PodRuntime): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  if (rt.terminal) return rt.terminal;
  if (rt.initIndex < rt.init.length) return 'Pending';
  const notStarted = rt.containers.some(
    (c) => c.state === 'waiting' && c.waitingReason === 'PodInitializing',
  );
  return notStarted ? 'Pending' : 'Running';
}

/** What the kubelet computes for a pod; `conditions` holds only the kubelet's own. */
export interface DesiredPodStatus {
  phase: string;
  conditions: PodCondition[];
  hostIP: string;
  podIP?: string;
  startTime: string;
  initContainerStatuses?: ContainerStatus[];
  containerStatuses: ContainerStatus[];
}

function condition(
  type: string,
  ok: boolean,
  now: number,
  previous: readonly PodCondition[],
  reason?: string,
  message?: string,
): PodCondition {
  const status = ok ? 'True' : 'False';
  const old = previous.find((c) => c.type === type);
  const out: PodCondition = {
    type,
    status,
    lastProbeTime: null as unknown as string,
    lastTransitionTime:
      old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : time(now),
  };
  if (!ok && reason) out.reason = reason;
  if (!ok && message) out.message = message;
  return out;
}

/** The status of `pod` as its kubelet sees it at `now`. */
export function desiredPodStatus(
  pod: Readonly<Pod>,
  rt: PodRuntime,
  node: { ip: string },
  podIP: string | undefined,
  now: number,
): DesiredPodStatus {
  const ref = `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${rt.uid})`;
  const previous = pod.status?.conditions ?? [];
  const phase = podPhase(rt);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const initialized = rt.initIndex >= rt.init.length;
  const pendingInit = rt.init.slice(rt.initIndex).map((c) => c.name);
  const unready = [...rt.init.filter((c) => c.sidecar), ...rt.containers]
    .filter((c) => !(c.state === 'running' && isReady(rt, c, now)))
    .map((c) => c.name);
  const containersReady = !terminal && unready.length === 0;
  const gates = pod.spec?.readinessGates ?? [];
  const gateProblem = gates
    .map((g) => {
      const c = previous.find((p) => p.type === g.conditionType);
      if (!c)
        return `corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`;
      if (c.status !== 'True') {
        return `the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`;
      }
      return undefined;
    })
    .filter((m): m is string => m !== undefined);
  const notReady = `containers with unready status: [${unready.join(' ')}]`;
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', !terminal, now, previous),
    condition(
      'Initialized',
      initialized,
      now,
      previous,
      'ContainersNotInitialized',
      `containers with incomplete status: [${pendingInit.join(' ')}]`,
    ),
    terminal
      ? condition('Ready', false, now, previous, 'PodCompleted')
      : !containersReady
        ? condition('Ready', false, now, previous, 'ContainersNotReady', notReady)
        : condition(
            'Ready',
            gateProblem.length === 0,
            now,
            previous,
            'ReadinessGatesNotReady',
            gateProblem.join(', '),
          ),
    terminal
      ? condition('ContainersReady', false, now, previous, 'PodCompleted')
      : condition(
          'ContainersReady',
          containersReady,
          now,
          previous,
          'ContainersNotReady',
          notReady,
        ),
  ];
  if (!previous.some((c) => c.type === 'PodScheduled')) {
    conditions.push(condition('PodScheduled', true, now, previous));
  }
  const out: DesiredPodStatus = {
    phase,
    conditions,
    hostIP: node.ip,
    startTime: time(rt.startTime),
    containerStatuses: rt.containers.map((c) => containerStatus(rt, c, now, ref)),
  };
  if (podIP) out.podIP = podIP;
  if (rt.init.length)
    out.initContainerStatuses = rt.init.map((c) => containerStatus(rt, c, now, ref));
  return out;
}

function comparable(c: PodCondition) {
  return [c.type, c.status, c.reason ?? '', c.message ?? '', c.lastTransitionTime ?? ''];
}

/** Whether the pod's current status already says everything `desired` says. */
export function statusUpToDate(pod: Readonly<Pod>, desired: DesiredPodStatus): boolean {
  const s = pod.status ?? {};
  if (s.phase !== desired.phase || s.hostIP !== desired.hostIP) return false;
  if ((s.podIP ?? undefined) !== desired.podIP || s.startTime !== desired.startTime) return false;
  for (const c of desired.conditions) {
    const cur = s.conditions?.find((x) => x.type === c.type);
    if (!cur || !deepEqual(comparable(cur), comparable(c))) return false;
  }
  return (
    deepEqual(pruned(s.containerStatuses ?? []), pruned(desired.containerStatuses)) &&
    deepEqual(pruned(s.initContainerStatuses ?? []), pruned(desired.initContainerStatuses ?? []))
  );
}

/** `v` without nulls, empty strings and empty objects (what the server may omit when storing). */
function pruned(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruned);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = pruned(x);
    if (p === null || p === undefined || p === '') continue;
    if (typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return out;
}

/** Map-valued fields of a container status, with nulls clearing what no longer applies. */
function forPatch(cs: ContainerStatus): Record<string, unknown> {
  const states = (s: Record<string, unknown> | undefined) => ({
    waiting: s?.waiting ?? null,
    running: s?.running ?? null,
    terminated: s?.terminated ?? null,
  });
  return {
    ...cs,
    containerID: cs.containerID ?? null,
    state: states(cs.state as Record<string, unknown>),
    lastState: states(cs.lastState as Record<string, unknown>),
  };
}

/**
 * The strategic merge patch for `pods/<name>/status` that moves `pod` to `desired` (upstream's
 * kubelet sends one too): merge-by-type conditions with `$setElementOrder` putting the kubelet's
 * conditions first, container statuses merged by name, and the pod's uid as a precondition.
 */
export function statusPatch(
  pod: Readonly<Pod>,
  desired: DesiredPodStatus,
): Record<string, unknown> {
  const owned = new Set(desired.conditions.map((c) => c.type));
  const order = [
    ...kubeletConditionTypes,
    ...(desired.conditions.some((c) => c.type === 'PodScheduled') ? ['PodScheduled'] : []),
    ...(pod.status?.conditions ?? []).map((c) => c.type).filter((t) => !owned.has(t)),
  ];
  const status: Record<string, unknown> = {
    '$setElementOrder/conditions': order.map((type) => ({ type })),
    conditions: desired.conditions,
    phase: desired.phase,
    hostIP: desired.hostIP,
    hostIPs: [{ ip: desired.hostIP }],
    startTime: desired.startTime,
    containerStatuses: desired.containerStatuses.map(forPatch),
  };
  if (desired.podIP) {
    status.podIP = desired.podIP;
    status.podIPs = [{ ip: desired.podIP }];
  }
  if (desired.initContainerStatuses) {
    status.initContainerStatuses = desired.initContainerStatuses.map(forPatch);
  }
  return { metadata: { uid: pod.metadata?.uid }, status };
}
