/**
 * In-process parts of `npm run bench:framework` (no server): workqueue throughput and the
 * reconcile rate of a trivial controller fed by a fake informer.
 */
import { performance } from 'node:perf_hooks';
import {
  ConfigMap,
  PriorityQueue,
  Queue,
  RateLimitingQueue,
  controllerManagedBy,
  type RuntimeController,
} from '../framework/index.js';
import { FakeInformerProvider } from '../framework/testing/fake-informer.js';

/** add + get + done cycles per second over `keys` distinct keys, `rounds` times each. */
export async function workqueueOpsPerSecond(
  kind: 'queue' | 'ratelimiting' | 'priority',
  keys: number,
  rounds: number,
): Promise<number> {
  const q =
    kind === 'queue'
      ? new Queue<string>()
      : kind === 'ratelimiting'
        ? new RateLimitingQueue<string>()
        : new PriorityQueue<string>();
  const names = Array.from({ length: keys }, (_, i) => `ns/item-${i}`);
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const k of names) q.add(k);
    for (;;) {
      const got = await q.get(); // the async path workers use
      q.done(got.item!);
      if (q.len() === 0) break;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  q.shutDown();
  return (keys * rounds) / seconds;
}

/** Reconciles per second of a no-op reconciler over `objects` objects, with `workers` workers. */
export async function reconcilesPerSecond(objects: number, workers: number): Promise<number> {
  const informers = new FakeInformerProvider();
  const host = {
    informers,
    controllerDefaults: () => ({}),
    addController: (_c: RuntimeController) => {},
  };
  let count = 0;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const controller: RuntimeController = controllerManagedBy(host)
    .for(ConfigMap)
    .withOptions({ maxConcurrentReconciles: workers })
    .complete({
      reconcile: async () => {
        if (++count === objects) finish();
      },
    });
  const inf = informers.get(ConfigMap);
  inf.sync();
  const abort = new AbortController();
  const running = controller.start(abort.signal);
  await inf.synced();
  const t0 = performance.now();
  for (let i = 0; i < objects; i++) {
    inf.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}`, namespace: 'ns' },
    });
  }
  await finished;
  const seconds = (performance.now() - t0) / 1000;
  abort.abort();
  await running;
  return objects / seconds;
}
