/**
 * The server side of `npm run bench:apiserver`, run in its own process (forked with
 * `--expose-gc`) so the API server and the load generator do not share a CPU. It opens the
 * embedded store (durable in a temp dir, as `kuberx apiserver` runs by default), serves it, and
 * answers IPC requests from the driver:
 *
 * - `{cmd: 'rawPuts', count, concurrency, valueBytes}` → creates `count` keys directly on the
 *   same Storage (no HTTP, no API machinery) and answers `{putsPerSec}`.
 * - `{cmd: 'heap'}` → runs GC and answers `{heapUsed}` (bytes).
 * - `{cmd: 'httpFloor', bytes}` → starts a bare node:http server on a free loopback port that
 *   reads each request body and answers 201 with `bytes` of JSON (no API machinery, no store):
 *   what HTTP alone costs. Answers `{url}`.
 * - `{cmd: 'phase', name}` → ends the current phase and starts `name`: answers `{cpuMs}`, the
 *   CPU time (user + system) this process used since the previous phase began. With
 *   BENCH_PROFILE=DIR each phase's CPU profile is written to `DIR/<phase>.cpuprofile`.
 * - `{cmd: 'stop'}` → closes everything and exits.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiServer } from '../apiserver/index.js';
import { openEmbeddedStorage } from '../store/index.js';

type Request =
  | { cmd: 'rawPuts'; count: number; concurrency: number; valueBytes: number }
  | { cmd: 'heap' }
  | { cmd: 'phase'; name: string }
  | { cmd: 'httpFloor'; bytes: number }
  | { cmd: 'stop' };

const send = (msg: unknown) => process.send!(msg);

async function main(): Promise<void> {
  const memory = process.env.BENCH_MEMORY === '1';
  const dir = mkdtempSync(join(tmpdir(), 'kuberx-bench-apiserver-'));
  const storage = await openEmbeddedStorage({ dataDir: dir, memory });
  const server = createApiServer({ storage, port: 0, compactionIntervalMs: 0 });
  const { url } = await server.start();
  const profileDir = process.env.BENCH_PROFILE;
  const session = profileDir ? new Session() : undefined;
  if (session) {
    mkdirSync(profileDir!, { recursive: true });
    session.connect();
    await session.post('Profiler.enable');
  }
  let phase = { name: '', cpu: process.cpuUsage() };
  let floor: Server | undefined;
  send({ ready: url });

  process.on('message', async (req: Request) => {
    if (req.cmd === 'heap') {
      (globalThis as { gc?: () => void }).gc?.();
      send({ heapUsed: process.memoryUsage().heapUsed });
    } else if (req.cmd === 'rawPuts') {
      const value = new Uint8Array(req.valueBytes).fill(120);
      let next = 0;
      const start = performance.now();
      const worker = async () => {
        while (next < req.count) {
          const i = next++;
          await storage.create(`/registry/bench-raw/ns/key-${i}`, value);
        }
      };
      await Promise.all(Array.from({ length: req.concurrency }, worker));
      send({ putsPerSec: req.count / ((performance.now() - start) / 1000) });
    } else if (req.cmd === 'phase') {
      const used = process.cpuUsage(phase.cpu);
      if (session && phase.name) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(join(profileDir!, `${phase.name}.cpuprofile`), JSON.stringify(profile));
      }
      phase = { name: req.name, cpu: process.cpuUsage() };
      if (session && req.name) await session.post('Profiler.start');
      send({ cpuMs: (used.user + used.system) / 1000 });
    } else if (req.cmd === 'httpFloor') {
      const body = JSON.stringify({ kind: 'ConfigMap', data: { v: 'x'.repeat(req.bytes - 40) } });
      floor = createServer({ keepAliveTimeout: 65_000 }, (q, r) => {
        q.resume();
        q.on('end', () => {
          r.writeHead(201, {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          });
          r.end(body);
        });
      });
      await new Promise<void>((resolve) => floor!.listen(0, '127.0.0.1', resolve));
      send({ url: `http://127.0.0.1:${(floor.address() as AddressInfo).port}` });
    } else if (req.cmd === 'stop') {
      floor?.closeAllConnections();
      floor?.close();
      await server.stop();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
      send({ stopped: true });
      process.exit(0);
    }
  });
}

void main();
