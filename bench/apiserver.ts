/**
 * `npm run bench:apiserver`: the API server (own process, embedded durable store in a temp dir,
 * as `kuberx apiserver` runs by default) driven over HTTP from this process:
 *
 * - creates/s and gets/s of ConfigMaps (BENCH_CONCURRENCY, default 64, keep-alive connections),
 *   with p50/p99 latency;
 * - a list of BENCH_OPS (default 10000) objects: whole, as a Table (kubectl get), and paged by
 *   500 (kubectl's chunk size);
 * - watch fan-out: BENCH_WATCHERS (default 1000) watches on one namespace while BENCH_EVENTS
 *   (default 200) objects are created; events delivered/s and p50/p99 delay from the create
 *   request to each watcher's event;
 * - heap per stored object (server heap after GC, before and after the creates);
 * - the raw store's puts/s, twice: in the server process (Storage.create with the same
 *   concurrency and value size, no network at all), and served over the etcd v3 API by
 *   `kuberx etcd` (same engine, durable) to an etcd3 client in this process — the like-for-like
 *   comparison with creates over HTTP. The ratios creates/s ÷ puts/s are printed for both
 *   (target ≥ 0.5);
 * - the server process's CPU time per create, get and raw put (steadier than rates on a shared
 *   machine), and the HTTP floor: a bare node:http server in the same process answering the
 *   same POSTs with 201, no API machinery — the ceiling for any endpoint on this machine.
 *
 * BENCH_MEMORY=1 runs the store in memory instead; BENCH_SERVER_NODE_ARGS passes node flags to the
 * server process (e.g. `--cpu-prof`); BENCH_PROFILE=DIR writes one CPU profile of the server per
 * phase (`creates`, `gets`, `lists`, `watch`, `rawPuts`, `floor`) into DIR.
 */
import { Etcd3 } from 'etcd3';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ops = Number(process.env.BENCH_OPS ?? 10_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const watcherCount = Number(process.env.BENCH_WATCHERS ?? 1000);
const eventCount = Number(process.env.BENCH_EVENTS ?? 200);
const out = (s: string): boolean => process.stdout.write(`${s}\n`);

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const watchAgent = new Agent({ keepAlive: false, maxSockets: watcherCount + 10 });

interface Reply {
  status: number;
  body: string;
}

function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  accept?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      base + path,
      {
        method,
        agent,
        headers: {
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...(accept ? { accept } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Runs `count` operations with `concurrency` workers; returns ops/s and per-op latencies (ms). */
async function load(count: number, op: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    perSec: count / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

function configMap(name: string) {
  return { metadata: { name, labels: { bench: 'yes' } }, data: { value: 'v'.repeat(200) } };
}

class ServerProcess {
  private readonly child: ChildProcess;
  private waiting?: (msg: Record<string, unknown>) => void;
  readonly ready: Promise<string>;

  constructor() {
    const script = fileURLToPath(new URL('./apiserver-server.js', import.meta.url));
    this.child = fork(script, [], {
      execArgv: [
        '--expose-gc',
        ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ],
      env: { ...process.env, KUBERX_LOG_LEVEL: 'warn' },
    });
    this.ready = new Promise((resolve) => {
      this.child.once('message', (m: { ready: string }) => resolve(m.ready));
    });
    this.child.on('message', (m: Record<string, unknown>) => {
      if (!('ready' in m)) this.waiting?.(m);
    });
  }

  ask<T>(msg: unknown): Promise<T> {
    return new Promise((resolve) => {
      this.waiting = (m) => resolve(m as T);
      this.child.send(msg as never);
    });
  }
}

async function main(): Promise<void> {
  const server = new ServerProcess();
  const base = await server.ready;
  const create = (ns: string, name: string) =>
    call(base, 'POST', `/api/v1/namespaces/${ns}/configmaps`, configMap(name));
  for (const ns of ['bench', 'fan']) {
    await call(base, 'POST', '/api/v1/namespaces', { metadata: { name: ns } });
  }
  out(
    `kuberx apiserver bench: ${ops} objects, concurrency ${concurrency}, store ${process.env.BENCH_MEMORY === '1' ? 'in memory' : 'durable (SQLite, fsync)'}`,
  );

  // Warm-up (JIT, connections).
  await load(500, async (i) => void (await create('default', `warm-${i}`)));
  const heapBefore = (await server.ask<{ heapUsed: number }>({ cmd: 'heap' })).heapUsed;
  /** Starts server phase `name`; resolves with the CPU ms the previous phase used. */
  const phase = async (name: string) =>
    (await server.ask<{ cpuMs: number }>({ cmd: 'phase', name })).cpuMs;
  await phase('creates');

  let sample = '';
  const creates = await load(ops, async (i) => {
    const r = await create('bench', `cm-${i}`);
    if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.body}`);
    if (i === 0) sample = r.body;
  });
  const createsCpuMs = await phase('');
  const heapAfter = (await server.ask<{ heapUsed: number }>({ cmd: 'heap' })).heapUsed;
  await phase('gets');
  const gets = await load(ops, async (i) => {
    const r = await call(base, 'GET', `/api/v1/namespaces/bench/configmaps/cm-${(i * 7919) % ops}`);
    if (r.status !== 200) throw new Error(`get failed: ${r.status}`);
  });
  const getsCpuMs = await phase('lists');

  const timeList = async (path: string, accept?: string, pages = false) => {
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      const t = performance.now();
      let items = 0;
      let cont = '';
      do {
        const r = await call(
          base,
          'GET',
          `${path}${pages ? `?limit=500${cont ? `&continue=${cont}` : ''}` : ''}`,
          undefined,
          accept,
        );
        const body = JSON.parse(r.body) as {
          items?: unknown[];
          rows?: unknown[];
          metadata: { continue?: string };
        };
        items += (body.items ?? body.rows ?? []).length;
        cont = body.metadata.continue ?? '';
      } while (pages && cont);
      if (items !== ops) throw new Error(`list returned ${items} items, expected ${ops}`);
      times.push(performance.now() - t);
    }
    return percentile(times, 50);
  };
  const listPath = '/api/v1/namespaces/bench/configmaps';
  const listMs = await timeList(listPath);
  const tableMs = await timeList(
    listPath,
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
  );
  const pagedMs = await timeList(listPath, undefined, true);

  await phase('watch');
  const fan = await watchFanOut(base, create);
  await phase('rawPuts');
  const raw = await server.ask<{ putsPerSec: number }>({
    cmd: 'rawPuts',
    count: ops,
    concurrency,
    valueBytes: Buffer.byteLength(sample),
  });
  const rawCpuMs = await phase('');
  const floorUrl = (
    await server.ask<{ url: string }>({ cmd: 'httpFloor', bytes: Buffer.byteLength(sample) })
  ).url;
  await phase('floor');
  const floor = await load(ops, async (i) => {
    const r = await call(floorUrl, 'POST', '/', configMap(`floor-${i}`));
    if (r.status !== 201) throw new Error(`floor POST failed: ${r.status}`);
  });
  const floorCpuMs = await phase('');

  const grpc = await grpcPuts(Buffer.byteLength(sample));

  const f = (n: number, d = 0) => n.toFixed(d);
  out('');
  out(
    `creates/s            ${f(creates.perSec)}   (p50 ${f(creates.p50, 1)} ms, p99 ${f(creates.p99, 1)} ms)`,
  );
  out(
    `gets/s               ${f(gets.perSec)}   (p50 ${f(gets.p50, 1)} ms, p99 ${f(gets.p99, 1)} ms)`,
  );
  out(
    `list ${ops}          ${f(listMs, 1)} ms (JSON), ${f(tableMs, 1)} ms (Table), ${f(pagedMs, 1)} ms (pages of 500)`,
  );
  out(
    `watch fan-out        ${watcherCount} watchers × ${eventCount} events: ${f(fan.perSec)} events delivered/s, delay p50 ${f(fan.p50, 1)} ms, p99 ${f(fan.p99, 1)} ms`,
  );
  out(
    `heap per object      ${f((heapAfter - heapBefore) / ops)} bytes (server heap after GC; object JSON is ${Buffer.byteLength(sample)} bytes)`,
  );
  out(
    `store puts/s         ${f(raw.putsPerSec)} in-process (Storage.create), ${f(grpc)} over etcd gRPC (kuberx etcd); same concurrency and value size`,
  );
  out(
    `creates ÷ puts       ${f(creates.perSec / raw.putsPerSec, 2)} vs in-process, ${f(creates.perSec / grpc, 2)} vs etcd gRPC   (target ≥ 0.5)`,
  );
  const us = (ms: number) => f((ms * 1000) / ops);
  out(
    `server CPU per op    create ${us(createsCpuMs)} µs, get ${us(getsCpuMs)} µs, raw put ${us(rawCpuMs)} µs (user + system)`,
  );
  out(
    `http floor           ${f(floor.perSec)} POSTs/s, ${us(floorCpuMs)} µs server CPU each (bare node:http server, same driver and payload); creates reach ${f((100 * creates.perSec) / floor.perSec)} % of it, ${f(floor.perSec / raw.putsPerSec, 2)} of the in-process puts/s`,
  );
  await server.ask({ cmd: 'stop' });
  agent.destroy();
  watchAgent.destroy();
}

/** Puts/s of `kuberx etcd` (durable, temp dir) from an etcd3 client in this process. */
async function grpcPuts(valueBytes: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kuberx-bench-etcd-'));
  const bin = fileURLToPath(new URL('../../bin/kuberx.js', import.meta.url));
  const child = spawn(
    process.execPath,
    [bin, 'etcd', '--listen-client-urls', 'http://127.0.0.1:0', '--data-dir', dir],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KUBERX_LOG_LEVEL: 'warn' } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d) => {
      text += String(d);
      const m = /kuberx etcd ready: (\S+)/.exec(text);
      if (m) resolve(m[1]!.split(',')[0]!);
    });
    child.once('exit', () => reject(new Error(`kuberx etcd exited: ${text}`)));
  });
  const client = new Etcd3({ hosts: [url] });
  const value = Buffer.alloc(valueBytes, 'x');
  try {
    await client.put('warm').value(value);
    const r = await load(ops, async (i) => {
      await client.put(`/registry/bench-grpc/ns/key-${i}`).value(value);
    });
    return r.perSec;
  } finally {
    client.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Opens the watchers, creates the events, measures delivery. */
async function watchFanOut(
  base: string,
  create: (ns: string, name: string) => Promise<Reply>,
): Promise<{ perSec: number; p50: number; p99: number }> {
  const listed = await call(base, 'GET', '/api/v1/namespaces/fan/configmaps');
  const rv = (JSON.parse(listed.body) as { metadata: { resourceVersion: string } }).metadata
    .resourceVersion;
  const sentAt = new Map<string, number>();
  const delays: number[] = [];
  let received = 0;
  let lastAt = 0;
  const total = watcherCount * eventCount;
  let done!: () => void;
  const allDone = new Promise<void>((r) => (done = r));
  const streams: Array<{ destroy(): void }> = [];
  await Promise.all(
    Array.from(
      { length: watcherCount },
      () =>
        new Promise<void>((resolve, reject) => {
          const req = request(
            `${base}/api/v1/namespaces/fan/configmaps?watch=true&resourceVersion=${rv}`,
            { agent: watchAgent },
            (res) => {
              let buf = '';
              res.on('data', (chunk: Buffer) => {
                buf += chunk.toString();
                let nl: number;
                while ((nl = buf.indexOf('\n')) >= 0) {
                  const line = buf.slice(0, nl);
                  buf = buf.slice(nl + 1);
                  const name = (JSON.parse(line) as { object: { metadata: { name: string } } })
                    .object.metadata.name;
                  const now = performance.now();
                  delays.push(now - (sentAt.get(name) ?? now));
                  lastAt = now;
                  if (++received === total) done();
                }
              });
              resolve();
            },
          );
          req.on('error', reject);
          streams.push(req);
          req.end();
        }),
    ),
  );
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < eventCount) {
        const name = `fan-${next++}`;
        sentAt.set(name, performance.now());
        await create('fan', name);
      }
    }),
  );
  await allDone;
  for (const s of streams) s.destroy();
  return {
    perSec: received / ((lastAt - start) / 1000),
    p50: percentile(delays, 50),
    p99: percentile(delays, 99),
  };
}

void main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
