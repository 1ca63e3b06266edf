/**
 * The annotations that steer the simulated kubelets (documented in the README, "Simulated nodes").
 *
 * On a **Node** — `kuberx.io/simulate`, a comma-separated list:
 * - `fail`: the kubelet stops: no Lease renewals, no status posts, no pod updates (the node
 *   lifecycle controller marks it Unknown after its grace period);
 * - `not-ready`: the kubelet keeps heartbeating but posts `Ready=False` (reason `KubeletNotReady`);
 * - `memory-pressure`, `disk-pressure`, `pid-pressure`: that condition turns True;
 * - `recover` (or no annotation): back to normal.
 *
 * On a **Pod** (read when the kubelet first starts its containers):
 * - `kuberx.io/run-time`: how long each container runs before it exits (`500ms`, `2s`, `1m`, a
 *   bare number of seconds, or `forever`). Default 1 s for `restartPolicy: Never/OnFailure`,
 *   `forever` for `Always`.
 * - `kuberx.io/exit-code`: the code containers exit with (0–255, default 0).
 * - `kuberx.io/init-run-time`, `kuberx.io/init-exit-code`: the same for (non-sidecar) init
 *   containers (default 0 s and 0).
 * - `kuberx.io/ready: "false"`: containers never pass their readiness check.
 *
 * A value that does not parse is ignored (the default applies) and reported by {@link parsePodBehaviour}.
 */
import { defaultInitRunTimeMs, defaultRunTimeMs } from './defaults.js';

export const simulateAnnotation = 'kuberx.io/simulate';
export const runTimeAnnotation = 'kuberx.io/run-time';
export const exitCodeAnnotation = 'kuberx.io/exit-code';
export const initRunTimeAnnotation = 'kuberx.io/init-run-time';
export const initExitCodeAnnotation = 'kuberx.io/init-exit-code';
export const readyAnnotation = 'kuberx.io/ready';

/** What a Node's `kuberx.io/simulate` asks for. */
export interface NodeSimulation {
  /** Heartbeats and pod work stopped. */
  failed: boolean;
  notReady: boolean;
  memoryPressure: boolean;
  diskPressure: boolean;
  pidPressure: boolean;
}

const simulateWords = new Set([
  'fail',
  'recover',
  'not-ready',
  'memory-pressure',
  'disk-pressure',
  'pid-pressure',
]);

/** Reads `kuberx.io/simulate`; unknown words are returned in `unknown`. */
export function parseNodeSimulation(annotations: Readonly<Record<string, string>> | undefined): {
  simulation: NodeSimulation;
  unknown: string[];
} {
  const words = (annotations?.[simulateAnnotation] ?? '')
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  const has = (w: string) => words.includes(w);
  return {
    simulation: {
      failed: has('fail'),
      notReady: has('not-ready'),
      memoryPressure: has('memory-pressure'),
      diskPressure: has('disk-pressure'),
      pidPressure: has('pid-pressure'),
    },
    unknown: words.filter((w) => !simulateWords.has(w)),
  };
}

/** How the simulated containers of one pod behave. */
export interface PodBehaviour {
  /** Run time of regular containers; `Infinity` = until deleted. */
  runTimeMs: number;
  exitCode: number;
  initRunTimeMs: number;
  initExitCode: number;
  /** False when `kuberx.io/ready: "false"`. */
  canBecomeReady: boolean;
}

const unitsMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration as Go writes it (`1h2m3.5s`, `500ms`), a bare number of seconds, or `forever`
 * (Infinity); undefined when it does not parse or is negative.
 */
export function parseDuration(value: string): number | undefined {
  const v = value.trim();
  if (v === 'forever') return Infinity;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * unitsMs[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched > 0 && matched === v.length ? Math.round(total) : undefined;
}

function parseExitCode(value: string): number | undefined {
  const n = Number(value.trim());
  return /^\d+$/.test(value.trim()) && n <= 255 ? n : undefined;
}

/**
 * Reads a pod's annotations and restart policy into its {@link PodBehaviour}. `invalid` names the
 * annotations whose values were ignored.
 */
export function parsePodBehaviour(pod: {
  metadata?: { annotations?: Readonly<Record<string, string>> };
  spec?: { restartPolicy?: string };
}): { behaviour: PodBehaviour; invalid: string[] } {
  const a = pod.metadata?.annotations ?? {};
  const invalid: string[] = [];
  const read = <T>(key: string, parse: (v: string) => T | undefined, fallback: T): T => {
    const raw = a[key];
    if (raw === undefined) return fallback;
    const parsed = parse(raw);
    if (parsed === undefined) invalid.push(key);
    return parsed ?? fallback;
  };
  const restartAlways = (pod.spec?.restartPolicy ?? 'Always') === 'Always';
  return {
    behaviour: {
      runTimeMs: read(
        runTimeAnnotation,
        parseDuration,
        restartAlways ? Infinity : defaultRunTimeMs,
      ),
      exitCode: read(exitCodeAnnotation, parseExitCode, 0),
      initRunTimeMs: read(initRunTimeAnnotation, parseDuration, defaultInitRunTimeMs),
      initExitCode: read(initExitCodeAnnotation, parseExitCode, 0),
      canBecomeReady: (a[readyAnnotation] ?? '').trim().toLowerCase() !== 'false',
    },
    invalid,
  };
}
