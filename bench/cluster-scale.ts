/**
 * The scale stage of `npm run bench:cluster`, in its own process (larger heap): a `kuberx up`
 * cluster with BENCH_SCALE_NODES simulated nodes (default 5000, upstream's limit), then
 * BENCH_SCALE_PODS bare pods (default 150 000) spread over namespaces of 3 000 (upstream's
 * per-namespace limit), created by BENCH_SCALE_CONCURRENCY writers (32) and scheduled, bound and
 * started by the cluster itself. Progress bars on stderr; the run stops early after
 * BENCH_SCALE_MINUTES (15) or when the heap passes 85 % of its limit, and says how far it got.
 *
 * Reported: node registration time, pods created and running, create throughput, p50/p99 create
 * latency (the bench's own writes, while the scheduler and the kubelets write too), RSS and heap.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { progressReporter, startCluster } from '../cli/cluster/index.js';
import type { Namespace, Pod } from '../framework/index.js';

const nodes = Number(process.env.BENCH_SCALE_NODES ?? 5000);
const target = Number(process.env.BENCH_SCALE_PODS ?? 150_000);
const minutes = Number(process.env.BENCH_SCALE_MINUTES ?? 15);
const concurrency = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 32);
const perNamespace = 3000;

const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function memory(): string {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return `RSS ${mb(m.rss)}, heap ${mb(m.heapUsed)} of ${mb(getHeapStatistics().heap_size_limit)}`;
}

/** Process CPU (all threads) since `since`, in seconds. */
function cpuSeconds(since: NodeJS.CpuUsage): string {
  const u = process.cpuUsage(since);
  return ((u.user + u.system) / 1e6).toFixed(1);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kuberx-bench-scale-'));
  const stderr = Object.assign(process.stderr, { isTTY: process.stderr.isTTY });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const cluster = await startCluster({
    dataDir: dir,
    port: 0,
    nodes,
    progress: stderr,
    thread: 'worker',
  });
  const registerSeconds = (performance.now() - t0) / 1000;
  print(
    `scale: ${nodes} nodes registered and Ready in ${registerSeconds.toFixed(1)} s (${(nodes / registerSeconds).toFixed(0)} nodes/s, ${cpuSeconds(cpu0)} CPU-s); ${memory()}`,
  );
  try {
    const namespaces = Math.ceil(target / perNamespace);
    for (let i = 0; i < namespaces; i++) {
      await cluster.client.create<Namespace>({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: `scale-${i}` },
      });
    }
    const latencies: number[] = [];
    const deadline = performance.now() + minutes * 60_000;
    const heapLimit = getHeapStatistics().heap_size_limit;
    let next = 0;
    let created = 0;
    let stopReason = 'all created';
    const bar = progressReporter(stderr, 'creating pods', target);
    const started = performance.now();
    const cpuPods = process.cpuUsage();
    const writer = async () => {
      for (;;) {
        if (next >= target) return;
        if (performance.now() > deadline) {
          stopReason = `time budget of ${minutes} min`;
          return;
        }
        if (process.memoryUsage().heapUsed > 0.85 * heapLimit) {
          stopReason = 'heap at 85 % of its limit';
          return;
        }
        const i = next++;
        const t = performance.now();
        await cluster.client.create<Pod>({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `p-${i}`, namespace: `scale-${Math.floor(i / perNamespace)}` },
          spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.9' }] },
        });
        latencies.push(performance.now() - t);
        bar(++created);
      }
    };
    let finished = false;
    const monitor = (async () => {
      while (!finished) {
        await sleep(10_000);
        if (finished) break;
        process.stderr.write(
          `  ${created} created, ${await cluster.runningPods()} running, ${memory()}\n`,
        );
      }
    })();
    await Promise.all(Array.from({ length: concurrency }, writer));
    finished = true;
    const createSeconds = (performance.now() - started) / 1000;
    const settle = performance.now() + 120_000;
    while ((await cluster.runningPods()) < created && performance.now() < settle) await sleep(200);
    await monitor;
    latencies.sort((a, b) => a - b);
    print(
      `scale: ${created}/${target} pods created in ${createSeconds.toFixed(1)} s (${(created / createSeconds).toFixed(0)} pods/s, ${cpuSeconds(cpuPods)} CPU-s, stopped: ${stopReason}); ${await cluster.runningPods()} running`,
    );
    print(
      `scale: pod create latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (${concurrency} writers)`,
    );
    print(`scale: ${memory()}`);
  } finally {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
