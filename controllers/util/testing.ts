/**
 * Test helpers for the workload controllers (not exported from `util/index.ts`: it loads the API
 * server). Simulated nodes come later, so tests play the kubelet's part through these helpers:
 * they write pod status (Ready, Succeeded, Failed) as a kubelet would.
 *
 * Time: controllers run on a {@link FakeClock} shared with the API server. {@link settle} waits
 * until the server saw no write for a while (the controllers have nothing left to do now);
 * {@link advanceUntil} moves fake time in small steps until a condition holds, so delayed work
 * (requeues, backoffs, deadlines) runs without wall-clock sleeping.
 */
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { Readable } from 'node:stream';
import {
  ConfigMap,
  FakeClock,
  KubeConfigTransport,
  Namespace,
  Pod,
  rfc3339,
  type ApiClient,
  type Manager,
  type Transport,
  type TransportRequest,
} from '../../framework/index.js';
import { eventually, startTestEnv, type TestEnv } from '../../framework/testing/index.js';
import { setPodStatus } from '../testharness.js';

export interface WorkloadEnv {
  readonly env: TestEnv;
  readonly clock: FakeClock;
  readonly manager: Manager;
  /** Uncached client for setting up and checking state. */
  readonly client: ApiClient;
  stop(): Promise<void>;
}

export interface WorkloadEnvOptions {
  /** Registers the controllers under test on the manager. */
  register: (mgr: Manager) => Promise<unknown>;
  /** Start of fake time (default 2026-01-01T00:00:00Z). */
  startMs?: number;
  /** Wraps the manager's transport (fault injection, request counting). */
  transport?: (inner: Transport) => Transport;
}

/** Starts an in-process API server and a manager on one fake clock, with the controllers. */
export async function startWorkloadEnv(options: WorkloadEnvOptions): Promise<WorkloadEnv> {
  const clock = new FakeClock(options.startMs ?? Date.UTC(2026, 0, 1));
  const env = await startTestEnv({ clock });
  const inner = new KubeConfigTransport(env.kubeConfig, { clock });
  const manager = env.newManager({
    clock,
    transport: options.transport ? options.transport(inner) : inner,
  });
  await options.register(manager);
  const running = manager.start();
  await eventually(
    async () => (await manager.informers.all()).every((i) => i.hasSynced()),
    'the informers to sync',
  );
  return {
    env,
    clock,
    manager,
    client: env.client,
    stop: async () => {
      manager.stop();
      await clock.advance(60_000);
      await running.catch(() => undefined);
      await env.stop();
    },
  };
}

/**
 * The jest hooks of a workload suite: one environment for the file (started before the tests,
 * stopped after them) and a fresh namespace `<prefix>-<n>` before each test; `use` receives both
 * (the namespace is empty before the first test).
 */
export function workloadSuite(
  prefix: string,
  options: WorkloadEnvOptions,
  use: (w: WorkloadEnv, ns: string) => void,
): void {
  let w: WorkloadEnv | undefined;
  let seq = 0;
  beforeAll(async () => {
    w = await startWorkloadEnv(options);
    use(w, '');
  });
  afterAll(async () => {
    await w?.stop();
  });
  beforeEach(async () => {
    const ns = `${prefix}-${++seq}`;
    await createNamespace(w!.client, ns);
    use(w!, ns);
  });
}

/** The server's current resourceVersion (the newest write). */
export async function currentRevision(client: ApiClient): Promise<string> {
  return (await client.list(ConfigMap, { limit: 1 })).metadata.resourceVersion ?? '';
}

/** Waits until the server saw no write for `quietMs` of wall time (default 150 ms). */
export async function settle(client: ApiClient, quietMs = 150): Promise<void> {
  let last = await currentRevision(client);
  let since = Date.now();
  await eventually(
    async () => {
      const rv = await currentRevision(client);
      if (rv !== last) {
        last = rv;
        since = Date.now();
        return false;
      }
      return Date.now() - since >= quietMs;
    },
    'the controllers to settle',
    20_000,
  );
}

/**
 * Advances fake time in `stepMs` steps (default 100 ms), letting the controllers work between
 * steps, until `condition` holds; fails after `maxMs` of fake time (default 10 min).
 */
export async function advanceUntil(
  clock: FakeClock,
  condition: () => boolean | Promise<boolean>,
  what: string,
  options: { stepMs?: number; maxMs?: number } = {},
): Promise<void> {
  const step = options.stepMs ?? 100;
  const max = options.maxMs ?? 600_000;
  for (let advanced = 0; ; advanced += step) {
    if (await condition()) return;
    if (advanced > max) throw new Error(`fake time passed ${max} ms without ${what}`);
    await clock.advance(step);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Creates a namespace. */
export async function createNamespace(client: ApiClient, name: string): Promise<void> {
  await client.create(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    { kind: Namespace },
  );
}

/** Pods of a namespace matching `labelSelector`, oldest first. */
export async function listPods(
  client: ApiClient,
  namespace: string,
  labelSelector?: string,
): Promise<Pod[]> {
  const list = await client.list(Pod, { namespace, labelSelector });
  return list.items.sort(
    (a, b) =>
      Date.parse(a.metadata!.creationTimestamp!) - Date.parse(b.metadata!.creationTimestamp!) ||
      (a.metadata!.name! < b.metadata!.name! ? -1 : 1),
  );
}

/** A pod template with one container. */
export function podTemplate(labels: Record<string, string>, image = 'nginx:1.25') {
  return { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } };
}

/** Writes the status a kubelet writes for a running pod that is Ready (since `atMs`). */
export async function markReady(client: ApiClient, pod: Pod, atMs: number): Promise<Pod> {
  return setPodStatus(client, pod.metadata!.namespace!, pod.metadata!.name!, {
    ready: true,
    phase: 'Running',
    readySince: rfc3339(new Date(atMs)),
  });
}

/** Marks every pod ready at `atMs`. */
export async function markAllReady(client: ApiClient, pods: Pod[], atMs: number): Promise<void> {
  for (const p of pods) await markReady(client, p, atMs);
}

/**
 * Writes the status of a pod whose containers ended: Succeeded (exit 0) or Failed (`exitCode`,
 * default 1), finished at `atMs`, with Ready False as a kubelet reports it.
 */
export async function markFinished(
  client: ApiClient,
  pod: Pod,
  phase: 'Succeeded' | 'Failed',
  atMs: number,
  options: {
    exitCode?: number;
    conditions?: Array<{ type: string; status: string; reason?: string }>;
  } = {},
): Promise<Pod> {
  const at = rfc3339(new Date(atMs));
  const exitCode = phase === 'Succeeded' ? 0 : (options.exitCode ?? 1);
  return writeStatus(client, pod, {
    phase,
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        lastTransitionTime: at,
        reason: phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed',
      },
      ...(options.conditions ?? []).map((c) => ({ ...c, lastTransitionTime: at })),
    ],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: false,
      restartCount: 0,
      state: {
        terminated: {
          exitCode,
          reason: phase === 'Succeeded' ? 'Completed' : 'Error',
          startedAt: at,
          finishedAt: at,
        },
      },
    })),
  });
}

async function writeStatus(client: ApiClient, pod: Pod, status: unknown): Promise<Pod> {
  return client.patch(
    Pod,
    pod.metadata!.name!,
    { status },
    {
      namespace: pod.metadata!.namespace,
      subresource: 'status',
    },
  );
}

/**
 * A transport that answers pod creations after the first `allowed` ones with 403 Forbidden, as
 * the ResourceQuota admission plugin does when a namespace's pod quota is used up (after a short
 * real delay, so concurrent attempts overlap). `attempts` counts every pod creation tried;
 * `batches` records how many creations were in flight together, burst by burst.
 */
export class PodQuotaTransport implements Transport {
  attempts = 0;
  batches: number[] = [];
  private inFlight = 0;

  constructor(
    private readonly inner: Transport,
    public allowed: number,
  ) {}

  get server(): string {
    return this.inner.server;
  }

  async request(req: TransportRequest) {
    if (req.method !== 'POST' || !/^\/api\/v1\/namespaces\/[^/]+\/pods(\?|$)/.test(req.path)) {
      return this.inner.request(req);
    }
    this.attempts++;
    if (this.inFlight++ === 0) this.batches.push(0);
    this.batches[this.batches.length - 1] = Math.max(this.batches.at(-1)!, this.inFlight);
    try {
      if (this.attempts <= this.allowed) return await this.inner.request(req);
      await new Promise((r) => setTimeout(r, 20));
      const message =
        'pods "x" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=3, limited: pods=3';
      const body = JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason: 'Forbidden',
        code: 403,
      });
      return {
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: Readable.from([Buffer.from(body)]),
      };
    } finally {
      this.inFlight--;
    }
  }

  invalidateCredentials(): void {
    this.inner.invalidateCredentials();
  }

  close(): void {
    this.inner.close();
  }
}

/**
 * Plays the kubelet for a namespace: every pod that is not Ready yet (and not finished or being
 * deleted) is marked Ready at the clock's time, polling every few milliseconds until `stop()`.
 * `filter` limits it to some pods (for example only those of one ReplicaSet).
 */
export function autoReady(
  client: ApiClient,
  namespace: string,
  now: () => number,
  filter: (pod: Pod) => boolean = () => true,
): { stop: () => Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const pods = (await client.list(Pod, { namespace })).items;
        for (const pod of pods) {
          if (stopped) break;
          const ready = pod.status?.conditions?.some(
            (c) => c.type === 'Ready' && c.status === 'True',
          );
          const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
          if (ready || finished || pod.metadata?.deletionTimestamp || !filter(pod)) continue;
          await markReady(client, pod, now()).catch(() => undefined);
        }
      } catch {
        // the server may be stopping
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
