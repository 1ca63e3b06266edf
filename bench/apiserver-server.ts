/**
 * The server side of `npm run bench:apiserver`, run in its own process (forked with
 * `--expose-gc`) so the API server and the load generator do not share a CPU. It opens the
 * embedded store (durable in a temp dir, as `kuberx apiserver` runs by default), serves it, and
 * answers IPC requests from the driver:
 *
 * - `{cmd: 'rawPuts', count, concurrency, valueBytes}` → creates `count` keys directly on the
 *   same Storage (no HTTP, no API machinery) and answers `{putsPerSec}`.
 * - `{cmd: 'heap'}` → runs GC and answers `{heapUsed}` (bytes).
 * - `{cmd: 'stop'}` → closes everything and exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApiServer } from '../apiserver/index.js';
import { openEmbeddedStorage } from '../store/index.js';

type Request =
  | { cmd: 'rawPuts'; count: number; concurrency: number; valueBytes: number }
  | { cmd: 'heap' }
  | { cmd: 'stop' };

const send = (msg: unknown) => process.send!(msg);

async function main(): Promise<void> {
  const memory = process.env.BENCH_MEMORY === '1';
  const dir = mkdtempSync(join(tmpdir(), 'kuberx-bench-apiserver-'));
  const storage = await openEmbeddedStorage({ dataDir: dir, memory });
  const server = createApiServer({ storage, port: 0, compactionIntervalMs: 0 });
  const { url } = await server.start();
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
    } else if (req.cmd === 'stop') {
      await server.stop();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
      send({ stopped: true });
      process.exit(0);
    }
  });
}

void main();
