/**
 * What the containers of one pod are doing, simulated (the kubelet's container runtime, without
 * containers). A {@link PodRuntime} is a small state machine driven by time:
 *
 * 1. Init containers run one after another; each runs `initRunTimeMs` and exits with
 *    `initExitCode`. A sidecar (init container with `restartPolicy: Always`) starts, counts as done
 *    once started, and runs until the pod ends.
 * 2. Then every regular container starts. Each runs `runTimeMs` (Infinity = until deleted) and
 *    exits with `exitCode`.
 * 3. An exited container is restarted when the pod's restart policy says so (`Always`, or
 *    `OnFailure` with a non-zero code; init containers restart unless the policy is `Never`): it
 *    waits in `CrashLoopBackOff` for the back-off (10 s doubling to 300 s; reset after a 10 min
 *    run), then runs again with `restartCount + 1`.
 * 4. The pod is terminal (`Succeeded` when every regular container exited 0, else `Failed`) once
 *    no regular container will run again, or an init container failed under `Never`, or the pod
 *    was {@link kill}ed (graceful deletion: running containers exit 143).
 *
 * {@link advance} applies every transition due by `now` (in time order); {@link nextChange} says
 * when the status will next change (a transition, or a container becoming started or ready), so
 * the caller can sleep until then. Nothing here does I/O or reads the clock.
 */
import { createHash } from 'node:crypto';
import type { Pod } from '../../framework/index.js';
import type { PodBehaviour } from './annotations.js';
import {
  restartBackOffInitialMs,
  restartBackOffMaxMs,
  restartBackOffResetMs,
  terminatedBySignalExitCode,
} from './defaults.js';

type Container = NonNullable<NonNullable<Pod['spec']>['containers']>[number];
type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** A previous run of a container (`lastState.terminated`). */
export interface FinishedRun {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

export interface ContainerRuntime {
  readonly name: string;
  image: string;
  /** An init container with `restartPolicy: Always`. */
  readonly sidecar: boolean;
  readonly startupDelayMs: number;
  readonly readinessDelayMs: number;
  state: 'waiting' | 'running' | 'terminated';
  /** `PodInitializing` (not started yet) or `CrashLoopBackOff` (between runs). */
  waitingReason?: 'PodInitializing' | 'CrashLoopBackOff';
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** When the current run ends by itself (Infinity: never). */
  exitsAt: number;
  /** When a container in back-off runs again. */
  restartsAt?: number;
  /** Back-off of the next restart. */
  backOffMs?: number;
  restartCount: number;
  /** Consecutive failed runs (drives the back-off). */
  failures: number;
  containerID?: string;
  last?: FinishedRun;
}

export interface PodRuntime {
  readonly uid: string;
  readonly startTime: number;
  readonly behaviour: PodBehaviour;
  readonly restartPolicy: RestartPolicy;
  readonly init: ContainerRuntime[];
  readonly containers: ContainerRuntime[];
  /** Index of the init container that runs now; `init.length` once initialised. */
  initIndex: number;
  terminal?: 'Succeeded' | 'Failed';
  /** Options fixed at creation. */
  readonly backOffInitialMs: number;
}

export interface RuntimeOptions {
  /** First restart back-off; default 10 s. */
  backOffInitialMs?: number;
}

function probeDelayMs(probe: { initialDelaySeconds?: number } | undefined): number {
  return Math.max(0, probe?.initialDelaySeconds ?? 0) * 1000;
}

function containerRuntime(c: Container, sidecar: boolean): ContainerRuntime {
  return {
    name: c.name,
    image: c.image ?? '',
    sidecar,
    startupDelayMs: probeDelayMs(c.startupProbe),
    readinessDelayMs: probeDelayMs(c.readinessProbe),
    state: 'waiting',
    waitingReason: 'PodInitializing',
    exitsAt: Infinity,
    restartCount: 0,
    failures: 0,
  };
}

/** A stable `containerd://` id for one run of one container. */
function containerIDFor(uid: string, name: string, restartCount: number): string {
  const hex = createHash('sha256').update(`${uid}/${name}/${restartCount}`).digest('hex');
  return `containerd://${hex}`;
}

/** A fresh runtime: the pod sandbox starts at `now` and the first init container (or all). */
export function newPodRuntime(
  pod: Readonly<Pod>,
  behaviour: PodBehaviour,
  now: number,
  options: RuntimeOptions = {},
): PodRuntime {
  const spec = pod.spec;
  const rt: PodRuntime = {
    uid: pod.metadata?.uid ?? '',
    startTime: now,
    behaviour,
    restartPolicy: (spec?.restartPolicy as RestartPolicy | undefined) ?? 'Always',
    init: (spec?.initContainers ?? []).map((c) =>
      containerRuntime(c as Container, c.restartPolicy === 'Always'),
    ),
    containers: (spec?.containers ?? []).map((c) => containerRuntime(c, false)),
    initIndex: 0,
    backOffInitialMs: options.backOffInitialMs ?? restartBackOffInitialMs,
  };
  startNextInit(rt, now);
  return rt;
}

/** Whether `c` counts as started (its startup probe passed) at `now`. */
export function isStarted(c: ContainerRuntime, now: number): boolean {
  return c.state === 'running' && now >= (c.startedAt ?? Infinity) + c.startupDelayMs;
}

/** Whether `c` passes its readiness check at `now`. */
export function isReady(rt: PodRuntime, c: ContainerRuntime, now: number): boolean {
  if (!rt.behaviour.canBecomeReady || !isStarted(c, now)) return false;
  return now >= (c.startedAt ?? Infinity) + Math.max(c.startupDelayMs, c.readinessDelayMs);
}

function run(rt: PodRuntime, c: ContainerRuntime, at: number, runTimeMs: number): void {
  c.state = 'running';
  c.waitingReason = undefined;
  c.startedAt = at;
  c.finishedAt = undefined;
  c.exitCode = undefined;
  c.restartsAt = undefined;
  c.containerID = containerIDFor(rt.uid, c.name, c.restartCount);
  c.exitsAt = c.sidecar ? Infinity : at + runTimeMs;
}

/** Starts init containers from `initIndex` (sidecars do not block), then the regular ones. */
function startNextInit(rt: PodRuntime, at: number): void {
  while (rt.initIndex < rt.init.length) {
    const c = rt.init[rt.initIndex]!;
    if (c.state === 'waiting' && c.waitingReason === 'PodInitializing') {
      run(rt, c, at, rt.behaviour.initRunTimeMs);
    }
    // A sidecar must be started before the next init container runs.
    if (c.sidecar && isStarted(c, at)) {
      rt.initIndex++;
      continue;
    }
    return;
  }
  for (const c of rt.containers) {
    if (c.state === 'waiting' && c.waitingReason === 'PodInitializing') {
      run(rt, c, at, rt.behaviour.runTimeMs);
    }
  }
}

function shouldRestart(rt: PodRuntime, c: ContainerRuntime, exitCode: number, init: boolean) {
  if (init) return exitCode !== 0 && rt.restartPolicy !== 'Never';
  if (rt.restartPolicy === 'Always') return true;
  return rt.restartPolicy === 'OnFailure' && exitCode !== 0;
}

function finish(c: ContainerRuntime, at: number, exitCode: number): void {
  c.state = 'terminated';
  c.finishedAt = at;
  c.exitCode = exitCode;
  c.exitsAt = Infinity;
}

function reasonOf(exitCode: number): string {
  return exitCode === 0 ? 'Completed' : 'Error';
}

/** The container exits at `at`; restarts it after a back-off, or leaves it terminated. */
function exitContainer(rt: PodRuntime, c: ContainerRuntime, at: number, init: boolean): void {
  const exitCode = init ? rt.behaviour.initExitCode : rt.behaviour.exitCode;
  const ranFor = at - (c.startedAt ?? at);
  finish(c, at, exitCode);
  if (!shouldRestart(rt, c, exitCode, init)) return;
  c.last = {
    exitCode,
    reason: reasonOf(exitCode),
    startedAt: c.startedAt ?? at,
    finishedAt: at,
    containerID: c.containerID ?? '',
  };
  c.failures = ranFor >= restartBackOffResetMs ? 1 : c.failures + 1;
  c.backOffMs = Math.min(rt.backOffInitialMs * 2 ** (c.failures - 1), restartBackOffMaxMs);
  c.state = 'waiting';
  c.waitingReason = 'CrashLoopBackOff';
  c.restartsAt = at + c.backOffMs;
}

/** Ends the pod when no regular container will run again. */
function settle(rt: PodRuntime, at: number): void {
  if (rt.terminal || rt.initIndex < rt.init.length) return;
  if (!rt.containers.every((c) => c.state === 'terminated')) return;
  rt.terminal = rt.containers.every((c) => c.exitCode === 0) ? 'Succeeded' : 'Failed';
  for (const c of rt.init)
    if (c.sidecar && c.state !== 'terminated') finish(c, at, terminatedBySignalExitCode);
}

/** The earliest pending transition: [time, action]. */
function nextTransition(rt: PodRuntime): [number, () => void] | undefined {
  let best: [number, () => void] | undefined;
  const consider = (at: number, action: () => void) => {
    if (Number.isFinite(at) && (!best || at < best[0])) best = [at, action];
  };
  rt.init.forEach((c, i) => {
    if (c.state === 'running' && !c.sidecar)
      consider(c.exitsAt, () => exitInit(rt, c, i, c.exitsAt));
    if (c.state === 'running' && c.sidecar && i === rt.initIndex) {
      const at = (c.startedAt ?? 0) + c.startupDelayMs;
      consider(at, () => startNextInit(rt, at));
    }
    if (c.state === 'waiting' && c.restartsAt !== undefined) {
      const at = c.restartsAt;
      consider(at, () => restart(rt, c, at, true));
    }
  });
  for (const c of rt.containers) {
    if (c.state === 'running') {
      const at = c.exitsAt;
      consider(at, () => {
        exitContainer(rt, c, at, false);
        settle(rt, at);
      });
    }
    if (c.state === 'waiting' && c.restartsAt !== undefined) {
      const at = c.restartsAt;
      consider(at, () => restart(rt, c, at, false));
    }
  }
  return best;
}

function exitInit(rt: PodRuntime, c: ContainerRuntime, index: number, at: number): void {
  exitContainer(rt, c, at, true);
  if (c.state === 'terminated' && c.exitCode === 0 && index === rt.initIndex) {
    rt.initIndex++;
    startNextInit(rt, at);
  } else if (c.state === 'terminated') {
    rt.terminal = 'Failed'; // an init container failed under restartPolicy Never
  }
}

function restart(rt: PodRuntime, c: ContainerRuntime, at: number, init: boolean): void {
  c.restartCount++;
  run(rt, c, at, init ? rt.behaviour.initRunTimeMs : rt.behaviour.runTimeMs);
}

/** Applies every transition due at or before `now`, in time order. */
export function advance(rt: PodRuntime, now: number): void {
  for (let guard = 0; guard < 10_000 && !rt.terminal; guard++) {
    const next = nextTransition(rt);
    if (!next || next[0] > now) return;
    next[1]();
  }
}

/**
 * Restarts containers whose image changed in the pod spec (an in-place update), as the kubelet
 * does when a container's spec hash changes.
 */
export function applySpecImages(rt: PodRuntime, pod: Readonly<Pod>, now: number): void {
  if (rt.terminal) return;
  const check = (list: ContainerRuntime[], specs: readonly Container[] | undefined) => {
    for (const c of list) {
      const image = specs?.find((s) => s.name === c.name)?.image;
      if (image === undefined || image === c.image) continue;
      c.image = image;
      if (c.state === 'running') {
        c.last = {
          exitCode: 0,
          reason: 'Completed',
          startedAt: c.startedAt ?? now,
          finishedAt: now,
          containerID: c.containerID ?? '',
        };
        c.restartCount++;
        run(rt, c, now, c.sidecar ? Infinity : rt.behaviour.runTimeMs);
      }
    }
  };
  check(rt.init, pod.spec?.initContainers as Container[] | undefined);
  check(rt.containers, pod.spec?.containers);
}

/** Graceful deletion: every container that has not exited stops now (exit 143). */
export function kill(rt: PodRuntime, now: number): void {
  for (const c of [...rt.init, ...rt.containers]) {
    if (c.state === 'terminated') continue;
    if (c.state === 'waiting' && c.waitingReason === 'PodInitializing') continue;
    finish(c, now, terminatedBySignalExitCode);
  }
  if (!rt.terminal) {
    const ran = rt.containers.filter((c) => c.state === 'terminated');
    rt.terminal =
      ran.length === rt.containers.length && ran.every((c) => c.exitCode === 0)
        ? 'Succeeded'
        : 'Failed';
  }
}

/** When the pod's status next changes by itself after `now` (Infinity: never). */
export function nextChange(rt: PodRuntime, now: number): number {
  if (rt.terminal) return Infinity;
  let at = nextTransition(rt)?.[0] ?? Infinity;
  for (const c of [...rt.init, ...rt.containers]) {
    if (c.state !== 'running' || c.startedAt === undefined) continue;
    const started = c.startedAt + c.startupDelayMs;
    const ready = c.startedAt + Math.max(c.startupDelayMs, c.readinessDelayMs);
    if (started > now) at = Math.min(at, started);
    if (rt.behaviour.canBecomeReady && ready > now) at = Math.min(at, ready);
  }
  return at;
}

type StatusContainer = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];

function parseTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** Takes over a container from the status a kubelet posted before (after a simulator restart). */
function restoreContainer(
  rt: PodRuntime,
  c: ContainerRuntime,
  status: StatusContainer | undefined,
  runTimeMs: number,
  now: number,
): void {
  if (!status) return;
  c.restartCount = status.restartCount ?? 0;
  const last = status.lastState?.terminated;
  if (last) {
    c.last = {
      exitCode: last.exitCode ?? 0,
      reason: last.reason ?? reasonOf(last.exitCode ?? 0),
      startedAt: parseTime(last.startedAt) ?? now,
      finishedAt: parseTime(last.finishedAt) ?? now,
      containerID: last.containerID ?? '',
    };
    c.failures = 1;
  }
  const state = status.state ?? {};
  if (state.running) {
    const startedAt = parseTime(state.running.startedAt) ?? now;
    run(rt, c, startedAt, runTimeMs);
    if (status.containerID) c.containerID = status.containerID;
  } else if (state.terminated) {
    finish(c, parseTime(state.terminated.finishedAt) ?? now, state.terminated.exitCode ?? 0);
    c.startedAt = parseTime(state.terminated.startedAt);
    c.containerID = status.containerID;
  } else if (state.waiting?.reason === 'CrashLoopBackOff') {
    c.state = 'waiting';
    c.waitingReason = 'CrashLoopBackOff';
    c.restartsAt = now;
  }
}

/**
 * The runtime of a pod a kubelet already ran (its status has container statuses), rebuilt from
 * that status so a restarted simulator carries on instead of restarting containers; a fresh
 * runtime ({@link newPodRuntime}) when the status has nothing to take over.
 */
export function restorePodRuntime(
  pod: Readonly<Pod>,
  behaviour: PodBehaviour,
  now: number,
  options: RuntimeOptions = {},
): PodRuntime {
  const status = pod.status;
  const startTime = parseTime(status?.startTime);
  if (startTime === undefined || !status?.containerStatuses?.length) {
    return newPodRuntime(pod, behaviour, now, options);
  }
  const fresh = newPodRuntime(pod, behaviour, startTime, options);
  const rt: PodRuntime = { ...fresh, initIndex: fresh.init.length };
  for (const c of rt.init) {
    const s = status.initContainerStatuses?.find((x) => x.name === c.name);
    restoreContainer(rt, c, s, c.sidecar ? Infinity : behaviour.initRunTimeMs, now);
    if (!s) finish(c, startTime, 0);
  }
  for (const c of rt.containers) {
    const s = status.containerStatuses.find((x) => x.name === c.name);
    if (s) restoreContainer(rt, c, s, behaviour.runTimeMs, now);
    else run(rt, c, now, behaviour.runTimeMs);
  }
  settle(rt, now);
  return rt;
}
