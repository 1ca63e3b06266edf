/**
 * `node dist/bench/apiserver-pipeline.js` (after `npm run build`): the API server's own work,
 * in process and without HTTP, measured in CPU time (the least noisy figure on a shared
 * machine; each figure is the lowest of several rounds):
 *
 * - the create pipeline: `GenericStore.create` of a 667-byte ConfigMap with admission,
 *   validation, managedFields, encoding, the store write and the watch-cache update, over the
 *   in-memory and the durable (SQLite) store, with 64 creates in flight — next to the raw
 *   `Storage.create` of the same bytes;
 * - paged lists from the watch cache (`listObjects`, limit 500) over 10 000 and 100 000 objects:
 *   CPU per page at the current revision, and per page of a list continued at an older revision
 *   after 1 000 writes (the snapshot is rebuilt once, then retained).
 *
 * Environment: BENCH_PIPELINE_OPS (creates per round, default 4000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLabelSelector } from '../common/index.js';
import { createApiServer } from '../apiserver/index.js';
import { parseFieldSelector } from '../apiserver/fields/selector.js';
import { listObjects } from '../apiserver/registry/generic/list.js';
import { openEmbeddedStorage, type Storage } from '../store/index.js';

const opsPerRound = Number(process.env.BENCH_PIPELINE_OPS ?? 4000);
const rounds = 6;
const out = (s: string): boolean => process.stdout.write(`${s}\n`);
const cpuUs = (from: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(from);
  return c.user + c.system;
};
const enc = new TextEncoder();

async function withServer<T>(durable: boolean, run: (s: Served) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'kuberx-bench-pipeline-'));
  const storage = await openEmbeddedStorage(durable ? { dataDir: dir } : { memory: true });
  const server = createApiServer({ storage, port: 0, compactionIntervalMs: 0 });
  await server.start();
  try {
    return await run({ storage, store: server.store('', 'v1', 'configmaps')! });
  } finally {
    await server.stop();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Served {
  storage: Storage;
  store: NonNullable<ReturnType<ReturnType<typeof createApiServer>['store']>>;
}

/** Lowest CPU µs per operation over the rounds; `op(i)` runs 64 at a time. */
async function perOp(count: number, op: (i: number) => Promise<unknown>, settle = async () => {}) {
  let best = Infinity;
  let base = 0;
  for (let r = 0; r < rounds; r++) {
    let next = 0;
    const start = process.cpuUsage();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < count) await op(base + next++);
      }),
    );
    await settle();
    best = Math.min(best, cpuUs(start) / count);
    base += count;
  }
  return best;
}

async function createPipeline(durable: boolean): Promise<string> {
  return withServer(durable, async ({ storage, store }) => {
    const ctx = { namespace: 'default', fieldManager: 'bench' };
    const cm = (name: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, labels: { bench: 'yes' } },
      data: { value: 'v'.repeat(200) },
    });
    const bytes = Buffer.byteLength(JSON.stringify(await store.create(cm('sample'), ctx)));
    const settle = async () => {
      await store.cacher.waitUntilFresh(await storage.currentRevision());
    };
    const creates = await perOp(opsPerRound, (i) => store.create(cm(`cm-${i}`), ctx), settle);
    const value = new Uint8Array(bytes).fill(120);
    const puts = await perOp(opsPerRound, (i) => storage.create(`/registry/raw/ns/k-${i}`, value));
    return `create ${creates.toFixed(1)} µs, raw put ${puts.toFixed(1)} µs (${bytes}-byte object)`;
  });
}

async function pagedLists(count: number): Promise<string> {
  return withServer(false, async ({ storage, store }) => {
    const pad = 'x'.repeat(600);
    for (let i = 0; i < count; i++) {
      const name = `cm-${String(i).padStart(6, '0')}`;
      const cm = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'b' },
        data: { pad },
      };
      await storage.create(`/registry/configmaps/b/${name}`, enc.encode(JSON.stringify(cm)));
    }
    const params = {
      namespace: 'b',
      labelSelector: parseLabelSelector(''),
      fieldSelector: parseFieldSelector(''),
      limit: 500,
    };
    await store.cacher.waitUntilFresh(await storage.currentRevision());
    const pageCpu = async (writesAfterFirst: number) => {
      let best = Infinity;
      for (let r = 0; r < 3; r++) {
        const first = await listObjects(store, params);
        for (let w = 0; w < writesAfterFirst; w++) {
          const name = `w-${r}-${w}`;
          await storage.create(
            `/registry/configmaps/b/${name}`,
            enc.encode('{"kind":"ConfigMap"}'),
          );
        }
        await store.cacher.waitUntilFresh(await storage.currentRevision());
        const start = process.cpuUsage();
        let token = first.continue;
        let pages = 0;
        while (token) {
          token = (await listObjects(store, { ...params, continue: token })).continue;
          pages++;
        }
        best = Math.min(best, cpuUs(start) / pages);
      }
      return best;
    };
    const current = await pageCpu(0);
    const older = await pageCpu(1000);
    return `${count} objects: ${(current / 1000).toFixed(2)} ms CPU per page at the list's revision, ${(older / 1000).toFixed(2)} ms after 1000 later writes`;
  });
}

async function main(): Promise<void> {
  out('kuberx apiserver pipeline bench (in process, CPU time, lowest of several rounds)');
  out(`create pipeline, memory store   ${await createPipeline(false)}`);
  out(`create pipeline, durable store  ${await createPipeline(true)}`);
  for (const count of [10_000, 100_000]) out(`paged list (500)  ${await pagedLists(count)}`);
}

void main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
