/**
 * `bench:controllers` sections `replicaset` and `deployment`: the workload controllers under load,
 * against the API server process that `controllers.ts` starts. Each runs a controller-manager in
 * this process with only the controllers it needs (no client limit on loopback) and counts the
 * requests it sends (`rest_client_requests_total`).
 *
 * - `replicaset`: a ReplicaSet scaled 0 → BENCH_RS_PODS (5000); time until every pod exists (seen
 *   by a watch in this process) and until `status.replicas` says so; pods created per second.
 *   Then the same with upstream's client limits (20 QPS, burst 30) on BENCH_RS_LIMITED_PODS (200),
 *   measured, to check the estimate.
 * - `deployment`: a Deployment of BENCH_DEPLOY_REPLICAS (1000) applied, then rolled out to a new
 *   image; each phase timed from the write to the Deployment being complete (all replicas updated
 *   and available, observedGeneration caught up). The bench plays the kubelet: a status writer
 *   here marks every new pod Ready (its requests are not the controllers' and are not counted).
 *
 * Next to each figure: the time upstream's default client (20 QPS, burst 30, shared by the whole
 * kube-controller-manager) needs for the same number of requests, as a lower bound.
 */
import {
  ApiClient,
  Deployment,
  KubeConfigTransport,
  Namespace,
  Pod,
  ReplicaSet,
  RestClient,
  SharedIndexInformer,
  kubeConfigForServer,
  rfc3339,
  type Manager,
} from '../framework/index.js';
import { createControllerManager } from '../controllers/index.js';
import { deploymentController } from '../controllers/deployment/index.js';
import { replicaSetController } from '../controllers/replicaset/index.js';
import type { ControllerDescriptor } from '../controllers/registry.js';
import {
  upstreamClientSeconds,
  type BenchContext,
  type BenchSection,
} from './controllers-common.js';

const rsPods = Number(process.env.BENCH_RS_PODS ?? 5000);
const rsLimitedPods = Number(process.env.BENCH_RS_LIMITED_PODS ?? 200);
const deployReplicas = Number(process.env.BENCH_DEPLOY_REPLICAS ?? 1000);

function apiFor(url: string): ApiClient {
  return new ApiClient(new RestClient(new KubeConfigTransport(kubeConfigForServer(url))));
}

async function until(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Requests the manager sent so far. */
async function requestsOf(manager: Manager): Promise<number> {
  const metric = manager.metrics.registry.getSingleMetric('rest_client_requests_total');
  if (!metric) return 0;
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}

/** A controller-manager running `descriptors`, started and synced. */
async function startControllers(
  url: string,
  descriptors: ControllerDescriptor[],
  limits?: { qps: number; burst: number },
) {
  const cm = await createControllerManager({
    kubeConfig: kubeConfigForServer(url),
    descriptors,
    metricsBindAddress: '0',
    ...(limits ?? {}),
  });
  const done = cm.manager.start();
  done.catch(() => undefined);
  await cm.manager.elected();
  await until(
    async () => (await cm.manager.informers.all()).every((i) => i.hasSynced()),
    'informers',
    60_000,
  );
  return {
    manager: cm.manager,
    stop: async () => {
      cm.manager.stop();
      await done.catch(() => undefined);
    },
  };
}

async function namespace(api: ApiClient, name: string): Promise<void> {
  await api.create(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    { kind: Namespace },
  );
}

/** Scales a fresh ReplicaSet from 0 to `count`; seconds until all pods exist and until status says so. */
async function scaleUp(
  ctx: BenchContext,
  ns: string,
  count: number,
  limits?: { qps: number; burst: number },
) {
  const api = apiFor(ctx.url);
  await namespace(api, ns);
  const controllers = await startControllers(ctx.url, [replicaSetController], limits);
  const watch = new SharedIndexInformer(
    new RestClient(new KubeConfigTransport(kubeConfigForServer(ctx.url))),
    Pod,
    {
      namespace: ns,
      metadataOnly: true,
    },
  );
  try {
    watch.start();
    await watch.synced();
    await api.create<ReplicaSet>(
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'big', namespace: ns },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'big' } },
          template: {
            metadata: { labels: { app: 'big' } },
            spec: { containers: [{ name: 'c', image: 'pause' }] },
          },
        },
      },
      { kind: ReplicaSet },
    );
    await until(
      async () =>
        (await api.get(ReplicaSet, 'big', { namespace: ns })).status?.observedGeneration === 1,
      'the ReplicaSet synced',
      60_000,
    );
    const before = await requestsOf(controllers.manager);
    const started = Date.now();
    await api.patch(ReplicaSet, 'big', { spec: { replicas: count } }, { namespace: ns });
    await until(() => watch.store.size >= count, `${count} pods`, 3_600_000);
    const podsSeconds = (Date.now() - started) / 1000;
    await until(
      async () => (await api.get(ReplicaSet, 'big', { namespace: ns })).status?.replicas === count,
      'status.replicas',
      600_000,
    );
    const statusSeconds = (Date.now() - started) / 1000;
    const requests = (await requestsOf(controllers.manager)) - before;
    return { podsSeconds, statusSeconds, requests, extra: watch.store.size - count };
  } finally {
    watch.stop();
    await controllers.stop();
  }
}

export const replicaSetSection: BenchSection = {
  name: 'replicaset',
  async run(ctx) {
    const r = await scaleUp(ctx, 'bench-rs', rsPods);
    const upstream = upstreamClientSeconds(r.requests);
    ctx.print(
      `ReplicaSet 0 → ${rsPods}: all pods in ${r.podsSeconds.toFixed(2)} s (${(rsPods / r.podsSeconds).toFixed(0)} pods/s), status.replicas=${rsPods} after ${r.statusSeconds.toFixed(2)} s; extra pods created: ${r.extra}`,
    );
    ctx.print(
      `  requests sent: ${r.requests} (${(r.requests / rsPods).toFixed(2)} per pod: creations, status writes, ≤ 25 events)`,
    );
    ctx.print(
      `  upstream client (20 QPS, burst 30) needs ≥ ${upstream.toFixed(1)} s for as many requests: ≤ ${(rsPods / Math.max(upstream, 1e-9)).toFixed(1)} pods/s; kuberx ${(upstream / r.podsSeconds).toFixed(1)}× faster`,
    );
    const limited = await scaleUp(ctx, 'bench-rs-limited', rsLimitedPods, { qps: 20, burst: 30 });
    ctx.print(
      `With upstream's limits applied (20 QPS, burst 30), 0 → ${rsLimitedPods}: ${limited.podsSeconds.toFixed(1)} s (${(rsLimitedPods / limited.podsSeconds).toFixed(1)} pods/s; estimate from its ${limited.requests} requests: ≥ ${upstreamClientSeconds(limited.requests).toFixed(1)} s)`,
    );
  },
};

/** Plays the kubelet: every pod of `ns` that is not Ready yet is marked Ready (32 writes in flight). */
function statusWriter(url: string, ns: string): { stop(): Promise<void> } {
  const api = apiFor(url);
  const informer = new SharedIndexInformer(
    new RestClient(new KubeConfigTransport(kubeConfigForServer(url))),
    Pod,
    { namespace: ns },
  );
  const queued = new Set<string>();
  const pending: string[] = [];
  let stopped = false;
  const consider = (pod: Readonly<Pod>) => {
    const name = pod.metadata?.name ?? '';
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (ready || pod.metadata?.deletionTimestamp || queued.has(name)) return;
    queued.add(name);
    pending.push(name);
  };
  informer.addEventHandler({ onAdd: consider, onUpdate: (_o, p) => consider(p) });
  informer.start();
  const workers = Array.from({ length: 32 }, async () => {
    while (!stopped) {
      const name = pending.shift();
      if (!name) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const at = rfc3339(new Date());
      await api
        .patch(
          Pod,
          name,
          {
            status: {
              phase: 'Running',
              conditions: [
                { type: 'Ready', status: 'True', lastTransitionTime: at },
                { type: 'ContainersReady', status: 'True', lastTransitionTime: at },
              ],
            },
          },
          { namespace: ns, subresource: 'status' },
        )
        .catch(() => undefined);
      queued.delete(name);
    }
  });
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(workers);
      informer.stop();
    },
  };
}

async function deploymentComplete(
  api: ApiClient,
  ns: string,
  name: string,
  image: string,
): Promise<boolean> {
  const d = await api.get(Deployment, name, { namespace: ns });
  const s = d.status ?? {};
  return (
    d.spec?.template?.spec?.containers[0]?.image === image &&
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
    s.updatedReplicas === deployReplicas &&
    s.availableReplicas === deployReplicas &&
    s.replicas === deployReplicas
  );
}

export const deploymentSection: BenchSection = {
  name: 'deployment',
  async run(ctx) {
    const ns = 'bench-deploy';
    const api = apiFor(ctx.url);
    await namespace(api, ns);
    const controllers = await startControllers(ctx.url, [
      replicaSetController,
      deploymentController,
    ]);
    const kubelet = statusWriter(ctx.url, ns);
    try {
      const phase = async (label: string, write: () => Promise<unknown>, image: string) => {
        const before = await requestsOf(controllers.manager);
        const started = Date.now();
        await write();
        await until(
          () => deploymentComplete(api, ns, 'web', image),
          `${label} complete`,
          3_600_000,
        );
        const seconds = (Date.now() - started) / 1000;
        const requests = (await requestsOf(controllers.manager)) - before;
        const upstream = upstreamClientSeconds(requests);
        ctx.print(
          `${label}: ${seconds.toFixed(2)} s to complete (${requests} controller requests; upstream client ≥ ${upstream.toFixed(1)} s, kuberx ${(upstream / seconds).toFixed(1)}× faster)`,
        );
      };
      await phase(
        `Deployment of ${deployReplicas} replicas, apply → complete`,
        () =>
          api.create<Deployment>(
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              metadata: { name: 'web', namespace: ns },
              spec: {
                replicas: deployReplicas,
                selector: { matchLabels: { app: 'web' } },
                template: {
                  metadata: { labels: { app: 'web' } },
                  spec: { containers: [{ name: 'app', image: 'nginx:1' }] },
                },
              },
            },
            { kind: Deployment },
          ),
        'nginx:1',
      );
      await phase(
        `Rolling update of ${deployReplicas} replicas (25% surge / 25% unavailable), set image → complete`,
        () =>
          api.patch(
            Deployment,
            'web',
            { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:2' }] } } } },
            { namespace: ns, type: 'strategic' },
          ),
        'nginx:2',
      );
    } finally {
      await kubelet.stop();
      await controllers.stop();
    }
  },
};
