/**
 * `bench:controllers` section `gc`: the garbage collector deleting the pods of a 5000-pod
 * ReplicaSet.
 *
 * 1. A ReplicaSet (no ReplicaSet controller runs) and BENCH_GC_PODS (5000) pods it controls
 *    (`blockOwnerDeletion: true`), created directly.
 * 2. A controller-manager running only `garbagecollector` (20 workers, no client limit on
 *    loopback); once its monitors synced and the graph holds every pod, the ReplicaSet is deleted
 *    with `propagationPolicy: Background` and the time until the last pod is gone is measured
 *    (pods seen by a watch in this process). The requests the controller-manager sent are counted.
 * 3. The same with `Foreground`: time until the ReplicaSet itself is gone (after its pods).
 * 4. The same work with upstream's client limits (20 QPS, burst 30) on BENCH_GC_LIMITED_PODS (300)
 *    pods, measured, and extrapolated to 5000 by the requests per pod.
 */
import {
  KubeConfigTransport,
  Namespace,
  Pod,
  ReplicaSet,
  SharedIndexInformer,
  kubeConfigForServer,
  type ApiClient,
  type Transport,
} from '../framework/index.js';
import { ApiClient as Api, RestClient } from '../framework/index.js';
import { controllerDescriptors, createControllerManager } from '../controllers/index.js';
import type { GarbageCollector } from '../controllers/gc/garbagecollector.js';
import { registerGarbageCollector } from '../controllers/gc/garbagecollector.js';
import type { ControllerDescriptor } from '../controllers/registry.js';
import {
  upstreamClientSeconds,
  type BenchContext,
  type BenchSection,
} from './controllers-common.js';

const pods = Number(process.env.BENCH_GC_PODS ?? 5000);
const limitedPods = Number(process.env.BENCH_GC_LIMITED_PODS ?? 300);
const concurrency = 64;

/** Counts requests going through a transport. */
class CountingTransport implements Transport {
  requests = 0;
  constructor(private readonly inner: Transport) {}
  get server() {
    return this.inner.server;
  }
  request(req: Parameters<Transport['request']>[0]) {
    this.requests++;
    return this.inner.request(req);
  }
  invalidateCredentials() {
    this.inner.invalidateCredentials();
  }
  close() {
    this.inner.close();
  }
}

async function inParallel(n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function replicaSetWithPods(api: ApiClient, ns: string, count: number) {
  await api.create(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    { kind: Namespace },
  );
  await api.create({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace: ns },
  });
  const rs = await api.create<ReplicaSet>(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'big', namespace: ns },
      spec: {
        replicas: count,
        selector: { matchLabels: { app: 'big' } },
        template: {
          metadata: { labels: { app: 'big' } },
          spec: { containers: [{ name: 'c', image: 'pause' }] },
        },
      },
    },
    { kind: ReplicaSet },
  );
  const owner = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: 'big',
    uid: rs.metadata!.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
  const started = Date.now();
  await inParallel(count, (i) =>
    api.create<Pod>(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `big-${i}`,
          namespace: ns,
          labels: { app: 'big' },
          ownerReferences: [owner],
        },
        spec: { containers: [{ name: 'c', image: 'pause' }] },
      },
      { kind: Pod },
    ),
  );
  return { seconds: (Date.now() - started) / 1000 };
}

async function until(cond: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Run {
  seconds: number;
  requests: number;
}

/** One measured collection of `count` pods with `policy`; `limits` as upstream's client has. */
async function collect(
  ctx: BenchContext,
  api: ApiClient,
  ns: string,
  count: number,
  policy: 'Background' | 'Foreground',
  limits?: { qps: number; burst: number },
): Promise<Run & { created: number }> {
  const { seconds: createSeconds } = await replicaSetWithPods(api, ns, count);
  const transport = new CountingTransport(new KubeConfigTransport(kubeConfigForServer(ctx.url)));
  let gc: GarbageCollector | undefined;
  const gcOnly: ControllerDescriptor = {
    ...controllerDescriptors.find((d) => d.name === 'garbagecollector')!,
    register: (c) => {
      gc = registerGarbageCollector(c);
    },
  };
  const cm = await createControllerManager({
    transport,
    descriptors: [gcOnly],
    metricsBindAddress: '0',
    ...(limits ?? {}),
  });
  const done = cm.manager.start();
  const watchRest = new RestClient(new KubeConfigTransport(kubeConfigForServer(ctx.url)));
  const watch = new SharedIndexInformer(watchRest, Pod, { namespace: ns, metadataOnly: true });
  try {
    watch.start();
    await watch.synced();
    await until(
      () => !!gc && gc.isSynced() && gc.graph.uidToNode.size >= count,
      'GC graph',
      120_000,
    );
    const before = transport.requests;
    const started = Date.now();
    await api.delete(ReplicaSet, 'big', { namespace: ns, propagationPolicy: policy });
    if (policy === 'Background') {
      await until(() => watch.store.list().length === 0, 'pods deleted', 1_800_000);
    } else {
      const rsWatch = new SharedIndexInformer(watchRest, ReplicaSet, {
        namespace: ns,
        metadataOnly: true,
      });
      rsWatch.start();
      try {
        await until(() => watch.store.list().length === 0, 'pods deleted', 1_800_000);
        await until(
          () => rsWatch.hasSynced() && rsWatch.store.list().length === 0,
          'ReplicaSet deleted',
          120_000,
        );
      } finally {
        rsWatch.stop();
      }
    }
    return {
      seconds: (Date.now() - started) / 1000,
      requests: transport.requests - before,
      created: createSeconds,
    };
  } finally {
    watch.stop();
    watchRest.transport.close();
    cm.manager.stop();
    await done.catch(() => {});
  }
}

export const gcSection: BenchSection = {
  name: 'gc',
  async run(ctx) {
    const api = new Api(new RestClient(new KubeConfigTransport(kubeConfigForServer(ctx.url))));
    const bg = await collect(ctx, api, 'gc-background', pods, 'Background');
    ctx.print(
      `setup                ${pods} pods created in ${bg.created.toFixed(1)} s (${Math.round(pods / bg.created)}/s, ${concurrency} in flight)`,
    );
    const perPod = bg.requests / pods;
    ctx.print(
      `background           ${pods} pods collected in ${bg.seconds.toFixed(2)} s (${Math.round(pods / bg.seconds)} pods/s), ${bg.requests} requests (${perPod.toFixed(2)}/pod)`,
    );
    ctx.print(
      `  upstream limits    the same ${bg.requests} requests at 20 QPS / burst 30 take >= ${upstreamClientSeconds(bg.requests).toFixed(0)} s`,
    );
    const fg = await collect(ctx, api, 'gc-foreground', pods, 'Foreground');
    ctx.print(
      `foreground           ReplicaSet of ${pods} pods gone in ${fg.seconds.toFixed(2)} s (${Math.round(pods / fg.seconds)} pods/s), ${fg.requests} requests; upstream limits >= ${upstreamClientSeconds(fg.requests).toFixed(0)} s`,
    );
    if (limitedPods > 0) {
      const lim = await collect(ctx, api, 'gc-limited', limitedPods, 'Background', {
        qps: 20,
        burst: 30,
      });
      ctx.print(
        `20 QPS / burst 30    ${limitedPods} pods collected in ${lim.seconds.toFixed(1)} s with kuberx's GC under upstream's client limits (${lim.requests} requests; predicted >= ${upstreamClientSeconds(lim.requests).toFixed(1)} s); ${pods} pods would take ~${upstreamClientSeconds((lim.requests / limitedPods) * pods).toFixed(0)} s`,
      );
    }
  },
};
