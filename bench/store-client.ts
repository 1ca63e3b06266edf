/**
 * A load-generating process for bench/store.ts: one etcd3 client running its share of the 64
 * concurrent workers, so the benchmark's client side is not limited to one CPU. Receives
 * `{ url, phase, from, count, concurrency }` over IPC and answers with the latencies (ms) and the
 * wall-clock window (ms since the epoch) of the run.
 */
import { Etcd3 } from 'etcd3';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ClientJob {
  url: string;
  phase: 'put' | 'get' | 'watchput' | 'warm';
  /** First operation index of this process. */
  from: number;
  count: number;
  concurrency: number;
  keySpace: number;
}

export interface ClientResult {
  latencies: number[];
  start: number;
  end: number;
}

const value = Buffer.alloc(256, 'v');
const now = (): number => performance.timeOrigin + performance.now();
let client: Etcd3 | undefined;
let clientUrl = '';

async function run(job: ClientJob): Promise<ClientResult> {
  if (!client || clientUrl !== job.url) {
    client?.close();
    client = new Etcd3({ hosts: job.url });
    clientUrl = job.url;
    for (;;) {
      try {
        await client.get('ready');
        break;
      } catch {
        await sleep(50);
      }
    }
  }
  const c = client;
  const op = (i: number): Promise<unknown> => {
    const k = i % job.keySpace;
    switch (job.phase) {
      case 'get':
        return c.get(`bench/${k}`).buffer();
      case 'watchput':
        return c.put(`wb/${k}`).value(value).exec();
      case 'warm':
        return c
          .put(`warm/${k % 100}`)
          .value(value)
          .exec();
      default:
        return c.put(`bench/${k}`).value(value).exec();
    }
  };
  const latencies: number[] = new Array(job.count);
  let next = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      for (let i = next++; i < job.count; i = next++) {
        const t = performance.now();
        await op(job.from + i);
        latencies[i] = performance.now() - t;
      }
    }),
  );
  return { latencies, start, end: now() };
}

process.on('message', (job: ClientJob | 'exit') => {
  if (job === 'exit') {
    client?.close();
    process.disconnect?.();
    return;
  }
  run(job).then(
    (r) => process.send!(r),
    (err) => process.send!({ error: String(err) }),
  );
});
