/**
 * End to end part of `npm run bench:scheduler`: kuberx's API server in a child process (in-memory
 * store, `bench/apiserver-server.ts`), and in this process the scheduler exactly as
 * `kuberx scheduler` runs it (manager, informers, bindings through `pods/binding`, Scheduled
 * events) plus the client creating Nodes and Pods through the API (64 requests in flight).
 *
 * - `live` (as scheduler_perf): the init pods are scheduled, then the measured pods are created
 *   while the scheduler runs; pods/s from the first create to the last binding.
 * - `backlog`: every pod is pending before the scheduler starts (its informers list them); pods/s
 *   from its start to the last binding — the scheduler and binding round trip without the
 *   creation rate in the way.
 *
 * Both processes' CPU time during the measurement is reported.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createSchedulerManager } from '../controllers/scheduler/index.js';
import {
  ApiClient,
  KubeConfigTransport,
  RestClient,
  kubeConfigForServer,
  type KubernetesObject,
} from '../framework/index.js';
import type { Workload } from './scheduler-workloads.js';

const serverScript = fileURLToPath(new URL('./apiserver-server.js', import.meta.url));
const concurrency = 64;

export interface E2eResult {
  workload: string;
  /** `live`: pods created while the scheduler runs; `backlog`: pending before it starts. */
  mode: 'live' | 'backlog';
  pods: number;
  createSeconds: number;
  seconds: number;
  podsPerSecond: number;
  /** CPU of this process (scheduler + creating client) while measuring. */
  clientCpuSeconds: number;
  /** CPU of the API server process while measuring. */
  serverCpuSeconds: number;
}

async function pool<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function forCreate<T extends KubernetesObject>(o: T): T {
  const meta = o.metadata as Record<string, unknown>;
  delete meta.uid;
  delete meta.resourceVersion;
  return o;
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

export async function runE2e(w: Workload, mode: 'live' | 'backlog'): Promise<E2eResult> {
  const child = fork(serverScript, [], {
    env: { ...process.env, BENCH_MEMORY: '1', KUBERX_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { ready?: string }) => (m.ready ? resolve(m.ready) : reject(m)));
    child.once('exit', (code) => reject(new Error(`API server exited with ${code}`)));
  });
  const kubeConfig = kubeConfigForServer(url);
  const transport = new KubeConfigTransport(kubeConfig);
  const api = new ApiClient(new RestClient(transport));
  let bound = 0;
  let lastBound = 0;
  const { manager } = createSchedulerManager({
    kubeConfig,
    metricsBindAddress: '0',
    scheduler: {
      onBound: () => {
        bound++;
        lastBound = performance.now();
      },
    },
  });
  const serverCpu = (name: string) =>
    new Promise<number>((resolve) => {
      child.once('message', (m: { cpuMs: number }) => resolve(m.cpuMs / 1000));
      child.send({ cmd: 'phase', name });
    });
  const ctl = new AbortController();
  let running: Promise<unknown> | undefined;
  const startScheduler = () => (running = manager.start(ctl.signal).catch(() => {}));
  try {
    for (const ns of ['sched-0', 'sched-1']) {
      await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
    const nodes = Array.from({ length: w.nodes }, (_, i) => forCreate(w.node(i)));
    await pool(nodes, (n) => api.create(n));
    const init = Array.from({ length: w.initPods }, (_, i) => forCreate(w.initPod(i)));
    const measured = Array.from({ length: w.measuredPods }, (_, i) => forCreate(w.measuredPod(i)));
    let created = 0;
    let start = 0;
    let cpu = process.cpuUsage();
    if (mode === 'live') {
      startScheduler();
      await pool(init, (p) => api.create(p));
      await until(() => bound >= init.length);
      await serverCpu('measured');
      cpu = process.cpuUsage();
      start = performance.now();
      await pool(measured, (p) => api.create(p));
      created = performance.now();
    } else {
      await pool([...init, ...measured], (p) => api.create(p));
      await serverCpu('measured');
      cpu = process.cpuUsage();
      start = created = performance.now();
      startScheduler();
    }
    await until(() => bound >= init.length + measured.length);
    const used = process.cpuUsage(cpu);
    const server = await serverCpu('');
    const seconds = (lastBound - start) / 1000;
    const pods = mode === 'live' ? measured.length : init.length + measured.length;
    return {
      workload: w.name,
      mode,
      pods,
      createSeconds: (created - start) / 1000,
      seconds,
      podsPerSecond: pods / seconds,
      clientCpuSeconds: (used.user + used.system) / 1e6,
      serverCpuSeconds: server,
    };
  } finally {
    ctl.abort();
    await running;
    transport.close();
    child.send({ cmd: 'stop' });
    await new Promise((r) => child.once('exit', r));
  }
}
