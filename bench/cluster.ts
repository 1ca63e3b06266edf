/**
 * `npm run bench:cluster` — `kuberx up`'s whole cluster under load; see bench/README.md.
 *
 * 1. up: `startCluster` time to ready (3 nodes) on a fresh data dir (PKI generated) and again on
 *    the same dir (restart), in this process; then the `kuberx up` binary, from spawn to the
 *    export line (module loading included).
 * 2. deployment: a 1000-replica Deployment from create to `availableReplicas = 1000`.
 * 3. startup: pods created at 100 pods/s; latency from the create request to `Running` seen by a
 *    watch (upstream's pod startup SLI), p50/p99.
 * 4. scale: `cluster-scale.js` in a child process with a larger heap (see that file).
 *
 * Environment: BENCH_STAGES (default `up,deployment,startup,scale`), BENCH_DEPLOY_NODES (20),
 * BENCH_REPLICAS (1000), BENCH_STARTUP_PODS (600), BENCH_STARTUP_RATE (100), and the scale
 * stage's variables.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, type Cluster } from '../cli/cluster/index.js';
import { Deployment, Pod, SharedIndexInformer } from '../framework/index.js';

const stages = (process.env.BENCH_STAGES ?? 'up,deployment,startup,scale').split(',');
const deployNodes = Number(process.env.BENCH_DEPLOY_NODES ?? 20);
const replicas = Number(process.env.BENCH_REPLICAS ?? 1000);
const startupPods = Number(process.env.BENCH_STARTUP_PODS ?? 600);
const startupRate = Number(process.env.BENCH_STARTUP_RATE ?? 100);

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Process CPU (all threads) since `since`, in ms per item. */
function cpuPer(since: NodeJS.CpuUsage, items: number): string {
  const u = process.cpuUsage(since);
  return ((u.user + u.system) / 1000 / Math.max(1, items)).toFixed(1);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function withCluster<T>(nodes: number, fn: (c: Cluster) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'kuberx-bench-cluster-'));
  const cluster = await startCluster({ dataDir: dir, port: 0, nodes });
  try {
    return await fn(cluster);
  } finally {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchUp(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kuberx-bench-up-'));
  try {
    for (const run of ['fresh data dir', 'restart (same dir)']) {
      const t0 = performance.now();
      const c = await startCluster({ dataDir: dir, port: 0, nodes: 3 });
      const ms = performance.now() - t0;
      const t1 = performance.now();
      await c.stop();
      print(
        `up (in-process), ${run.padEnd(20)} ready in ${(ms / 1000).toFixed(2)} s, stopped in ${((performance.now() - t1) / 1000).toFixed(2)} s   (target ≤ 2 s)`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const binDir = await mkdtemp(join(tmpdir(), 'kuberx-bench-bin-'));
  try {
    const bin = fileURLToPath(new URL('../../bin/kuberx.js', import.meta.url));
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, 'up', '--data-dir', binDir, '--port', '0'], {
      env: { ...process.env, KUBERX_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    while (!out.includes('export KUBECONFIG=') && child.exitCode === null) await sleep(10);
    const wall = performance.now() - t0;
    const reported = /ready in ([\d.]+)s/.exec(out)?.[1];
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
    print(
      `up (binary)                            export line after ${(wall / 1000).toFixed(2)} s wall (cluster ready in ${reported} s as printed; the rest is loading modules)`,
    );
  } finally {
    await rm(binDir, { recursive: true, force: true });
  }
}

async function benchDeployment(): Promise<void> {
  await withCluster(deployNodes, async (c) => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await c.client.create<Deployment>({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'big', namespace: 'default' },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'big' } },
        template: {
          metadata: { labels: { app: 'big' } },
          spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.9' }] },
        },
      },
    });
    let available = 0;
    let last = 0;
    while (available < replicas) {
      await sleep(50);
      const d = await c.client.get(Deployment, 'big', { namespace: 'default' });
      available = d.status?.availableReplicas ?? 0;
      if (performance.now() - last > 5_000) {
        last = performance.now();
        process.stderr.write(`  deployment: ${available}/${replicas} available\n`);
      }
      if (performance.now() - t0 > 600_000) break;
    }
    const s = (performance.now() - t0) / 1000;
    print(
      `deployment ${replicas} replicas on ${deployNodes} nodes: ${available}/${replicas} available after ${s.toFixed(2)} s (${(available / s).toFixed(0)} pods/s, ${cpuPer(cpu0, available)} ms CPU per pod)   (target ≤ 5 s)`,
    );
  });
}

async function benchStartup(): Promise<void> {
  await withCluster(10, async (c) => {
    const sent = new Map<string, number>();
    const running = new Map<string, number>();
    const informer = new SharedIndexInformer<Pod>(c.client.rest, Pod, { namespace: 'default' });
    const seen = (p: Readonly<Pod>) => {
      const name = p.metadata?.name ?? '';
      if (p.status?.phase === 'Running' && !running.has(name)) running.set(name, performance.now());
    };
    informer.addEventHandler({ onAdd: seen, onUpdate: (_o, p) => seen(p) });
    informer.start();
    await informer.synced();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < startupPods; i++) {
      const due = t0 + (i * 1000) / startupRate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const name = `startup-${i}`;
      sent.set(name, performance.now());
      writes.push(
        c.client.create<Pod>({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: 'default' },
          spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.9' }] },
        }),
      );
    }
    await Promise.all(writes);
    const createSeconds = (performance.now() - t0) / 1000;
    const deadline = performance.now() + 120_000;
    while (running.size < startupPods && performance.now() < deadline) await sleep(50);
    informer.stop();
    const lat = [...running].map(([n, at]) => at - sent.get(n)!).sort((a, b) => a - b);
    print(
      `pod startup at ${(startupPods / createSeconds).toFixed(0)} pods/s (${startupPods} pods, 10 nodes): create → Running seen by watch p50 ${percentile(lat, 50).toFixed(0)} ms, p99 ${percentile(lat, 99).toFixed(0)} ms, max ${lat.at(-1)?.toFixed(0)} ms; ${running.size}/${startupPods} running, ${cpuPer(cpu0, running.size)} ms CPU per pod   (target p99 ≤ 1 s; upstream SLO 5 s)`,
    );
  });
}

async function benchScale(): Promise<void> {
  const script = fileURLToPath(new URL('./cluster-scale.js', import.meta.url));
  const heapMb = process.env.BENCH_SCALE_HEAP_MB ?? '12288';
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${heapMb}`, '--expose-gc', script],
      {
        stdio: 'inherit',
        env: process.env,
      },
    );
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scale run exited with ${code}`)),
    );
  });
}

async function main(): Promise<void> {
  if (stages.includes('up')) await benchUp();
  if (stages.includes('deployment')) await benchDeployment();
  if (stages.includes('startup')) await benchStartup();
  if (stages.includes('scale')) await benchScale();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
