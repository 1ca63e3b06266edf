/**
 * `npm run bench:store`: real etcd 3.4 against `kuberx etcd` (both durable, fsync on), driven by
 * the same etcd3 client from this process with 64 concurrent workers and 256-byte values; then the
 * embedded Storage in-process (no gRPC). Prints put/s, get/s, watch events/s, p50/p99 latencies,
 * server RSS and the ratios (kuberx ÷ etcd for rates; etcd ÷ kuberx for latency and memory, so
 * above 1 always means kuberx is better).
 *
 * The 64 workers are spread over BENCH_CLIENT_PROCESSES (default 4) etcd3 clients in child
 * processes, so one Node process's CPU does not cap the rate for both servers alike. Watch
 * events/s counts the events received by BENCH_WATCHERS (default 4) prefix watches while the
 * workers write.
 *
 * Environment: BENCH_OPS (operations per phase, default 20000), BENCH_CONCURRENCY (64).
 */
import { Etcd3 } from 'etcd3';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openEmbeddedStorage } from '../store/index.js';
import type { Storage } from '../store/index.js';
import { etcdBinary, realEtcdArgs } from './real-etcd.js';
import type { ClientJob, ClientResult } from './store-client.js';

const ops = Number(process.env.BENCH_OPS ?? 20_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const value = Buffer.alloc(256, 'v');
const keySpace = 10_000;
const watcherCount = Number(process.env.BENCH_WATCHERS ?? 4);
const out = (s: string): boolean => process.stdout.write(`${s}\n`);

interface Result {
  putPerSec: number;
  putP50: number;
  putP99: number;
  getPerSec: number;
  getP50: number;
  getP99: number;
  watchEventsPerSec: number;
  rssMiB: number;
  /** Server CPU time per operation, µs. */
  putServerUs: number;
  getServerUs: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `total` operations over `concurrency` workers; returns ops/s and latencies (ms). */
async function load(total: number, fn: (i: number) => PromiseLike<unknown>) {
  const latencies: number[] = new Array(total);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t = performance.now();
        await fn(i);
        latencies[i] = performance.now() - t;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSec: total / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** CPU seconds (user + system) used so far by process `pid`. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const clientProcesses = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4);
const clientScript = fileURLToPath(new URL('./store-client.js', import.meta.url));

/** The load-generating processes (each an etcd3 client with its share of the workers). */
class Clients {
  private readonly children: ChildProcess[] = Array.from({ length: clientProcesses }, () =>
    fork(clientScript, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );

  /** Runs `total` operations of `phase` over all processes; rates from the union of windows. */
  async run(url: string, phase: ClientJob['phase'], total: number) {
    const per = Math.ceil(total / this.children.length);
    const results = await Promise.all(
      this.children.map(
        (child, n) =>
          new Promise<ClientResult>((resolve, reject) => {
            child.once('message', (m: ClientResult & { error?: string }) =>
              m.error ? reject(new Error(m.error)) : resolve(m),
            );
            const job: ClientJob = {
              url,
              phase,
              from: n * per,
              count: Math.min(per, total - n * per),
              concurrency: Math.ceil(concurrency / this.children.length),
              keySpace,
            };
            child.send(job);
          }),
      ),
    );
    const start = Math.min(...results.map((r) => r.start));
    const end = Math.max(...results.map((r) => r.end));
    const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    return {
      perSec: total / ((end - start) / 1000),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      start,
      end,
    };
  }

  close(): void {
    for (const c of this.children) c.send('exit');
  }
}

async function benchServer(url: string, pid: number): Promise<Result> {
  const clients = new Clients();
  const watcherClient = new Etcd3({ hosts: url });
  try {
    await clients.run(url, 'warm', 2000);
    const phase = async (name: ClientJob['phase']) => {
      const server0 = cpuSeconds(pid);
      const r = await clients.run(url, name, ops);
      return { ...r, serverUs: ((cpuSeconds(pid) - server0) * 1e6) / ops };
    };
    const put = await phase('put');
    const get = await phase('get');
    // Watch: `watchers` streams on the prefix while the clients write; events/s as received.
    const watchers = await Promise.all(
      Array.from({ length: watcherCount }, () => watcherClient.watch().prefix('wb/').create()),
    );
    let received = 0;
    let lastAt = 0;
    const done = new Promise<void>((resolve) => {
      for (const w of watchers) {
        w.on('data', (res) => {
          received += res.events.length;
          lastAt = performance.timeOrigin + performance.now();
          if (received >= ops * watcherCount) resolve();
        });
      }
    });
    const writes = await clients.run(url, 'watchput', ops);
    await done;
    await Promise.all(watchers.map((w) => w.cancel()));
    return {
      putPerSec: put.perSec,
      putP50: put.p50,
      putP99: put.p99,
      getPerSec: get.perSec,
      getP50: get.p50,
      getP99: get.p99,
      watchEventsPerSec: received / ((lastAt - writes.start) / 1000),
      rssMiB: rssMiB(pid),
      putServerUs: put.serverUs,
      getServerUs: get.serverUs,
    };
  } finally {
    clients.close();
    watcherClient.close();
  }
}

async function withProcess(
  start: (port: number, dir: string) => ChildProcess,
  run: (url: string, pid: number) => Promise<Result>,
): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'kuberx-bench-'));
  const port = await freePort();
  const child = start(port, dir);
  child.stderr?.resume();
  child.stdout?.resume();
  try {
    return await run(`http://127.0.0.1:${port}`, child.pid!);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

const startRealEtcd = (port: number, dir: string): ChildProcess =>
  spawn(etcdBinary, realEtcdArgs(dir, port, port + 1 === 65536 ? port - 1 : port + 1), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const kuberxBin = fileURLToPath(new URL('../../bin/kuberx.js', import.meta.url));
const startKuberx = (port: number, dir: string): ChildProcess =>
  spawn(
    process.execPath,
    [kuberxBin, 'etcd', '--data-dir', dir, '--listen-client-urls', `http://127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBERX_LOG_LEVEL: 'warn' } },
  );

async function benchInProcess(
  storage: Storage,
): Promise<{ create: number; update: number; get: number }> {
  const create = await load(ops, (i) => storage.create(`/registry/bench/${i}`, value));
  const update = await load(ops, async (i) => {
    const key = `/registry/bench/${i}`;
    const cur = await storage.get(key);
    return storage.update(key, value, cur.kv!.modRevision);
  });
  const get = await load(ops, (i) => storage.get(`/registry/bench/${i}`));
  return { create: create.perSec, update: update.perSec, get: get.perSec };
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits).padStart(10);

async function main(): Promise<void> {
  out(
    `store benchmark: ${ops} ops per phase, ${concurrency} concurrent, 256-byte values, etcd3 client`,
  );
  const etcd = await withProcess(startRealEtcd, benchServer);
  const kuberx = await withProcess(startKuberx, benchServer);
  const rows: [string, keyof Result, boolean, number][] = [
    ['put/s', 'putPerSec', true, 0],
    ['put p50 ms', 'putP50', false, 2],
    ['put p99 ms', 'putP99', false, 2],
    ['get/s', 'getPerSec', true, 0],
    ['get p50 ms', 'getP50', false, 2],
    ['get p99 ms', 'getP99', false, 2],
    ['watch events/s', 'watchEventsPerSec', true, 0],
    ['server RSS MiB', 'rssMiB', false, 1],
    ['put server µs', 'putServerUs', false, 0],
    ['get server µs', 'getServerUs', false, 0],
  ];
  out(
    `\n${'metric'.padEnd(16)}${'etcd 3.4'.padStart(10)}${'kuberx'.padStart(10)}${'ratio'.padStart(10)}`,
  );
  for (const [name, key, higherIsBetter, digits] of rows) {
    const ratio = higherIsBetter ? kuberx[key] / etcd[key] : etcd[key] / kuberx[key];
    out(`${name.padEnd(16)}${fmt(etcd[key], digits)}${fmt(kuberx[key], digits)}${fmt(ratio, 2)}`);
  }
  out('(ratio > 1: kuberx better — kuberx÷etcd for rates, etcd÷kuberx for latency, RSS, CPU)');
  out('(µs rows: CPU time of the server process per operation)');

  out('\nin-process Storage (no gRPC), ops/s:');
  const dir = mkdtempSync(join(tmpdir(), 'kuberx-bench-embedded-'));
  const durable = await openEmbeddedStorage({ dataDir: dir });
  const d = await benchInProcess(durable);
  await durable.close();
  rmSync(dir, { recursive: true, force: true });
  const memory = await openEmbeddedStorage({ memory: true });
  const m = await benchInProcess(memory);
  await memory.close();
  out(`${'mode'.padEnd(16)}${'create'.padStart(10)}${'update'.padStart(10)}${'get'.padStart(10)}`);
  out(`${'SQLite (fsync)'.padEnd(16)}${fmt(d.create)}${fmt(d.update)}${fmt(d.get)}`);
  out(`${'memory'.padEnd(16)}${fmt(m.create)}${fmt(m.update)}${fmt(m.get)}`);
}

await main();
