/**
 * The in-process API server (framework/testing) with `kuberx scheduler`'s manager running against
 * it, and helpers to create Nodes and Pods and wait for what the scheduler writes. No kubelet
 * runs: the scheduler only binds. Backoff is shortened (10 ms → 50 ms) so a requeue never waits
 * on the 1 s default; everything else is upstream's default.
 */
import {
  kinds,
  type CoreEvent,
  type Node,
  type Pod,
  type KubernetesObject,
} from '../../framework/index.js';
import { eventually, startTestEnv, type TestEnv } from '../../framework/testing/index.js';
import {
  createSchedulerManager,
  makeNode,
  makePod,
  type NodeOptions,
  type PodOptions,
  type SchedulerProcessOptions,
} from '../../controllers/scheduler/index.js';

export interface Cluster {
  env: TestEnv;
  /** URL of the scheduler's metrics/health server. */
  metricsUrl: () => string | undefined;
  node(name: string, o?: NodeOptions): Promise<Node>;
  pod(name: string, o?: PodOptions): Promise<Pod>;
  get(name: string, namespace?: string): Promise<Pod>;
  /** Waits until the pod is bound; returns its node. */
  bound(name: string, namespace?: string): Promise<string>;
  /** Waits until the pod has PodScheduled=False with `reason`; returns its message. */
  unschedulable(name: string, reason?: string, namespace?: string): Promise<string>;
  events(name: string, namespace?: string): Promise<CoreEvent[]>;
  stop(): Promise<void>;
}

function forCreate<T extends KubernetesObject>(o: T): T {
  const meta = o.metadata as Record<string, unknown>;
  delete meta.uid;
  delete meta.resourceVersion;
  delete meta.creationTimestamp;
  return o;
}

export async function startCluster(
  options: Partial<SchedulerProcessOptions> = {},
): Promise<Cluster> {
  const env = await startTestEnv();
  const { manager } = createSchedulerManager({
    kubeConfig: env.kubeConfig,
    metricsBindAddress: '127.0.0.1:0',
    ...options,
    scheduler: { podInitialBackoffMs: 10, podMaxBackoffMs: 50, ...options.scheduler },
  });
  const ctl = new AbortController();
  let failure: unknown;
  const running = manager.start(ctl.signal).catch((err: unknown) => (failure = err));
  const get = (name: string, namespace = 'default') =>
    env.client.get(kinds.Pod, name, { namespace });
  const cluster: Cluster = {
    env,
    metricsUrl: () => manager.url,
    node: (name, o) => env.client.create(forCreate(makeNode(name, o))),
    pod: (name, o) => env.client.create(forCreate(makePod(name, o))),
    get,
    async bound(name, namespace = 'default') {
      let node = '';
      await eventually(async () => {
        if (failure) throw failure;
        node = (await get(name, namespace)).spec?.nodeName ?? '';
        return node !== '';
      }, `${namespace}/${name} to be bound`);
      return node;
    },
    async unschedulable(name, reason = 'Unschedulable', namespace = 'default') {
      let message = '';
      await eventually(async () => {
        if (failure) throw failure;
        const c = (await get(name, namespace)).status?.conditions?.find(
          (x) => x.type === 'PodScheduled',
        );
        message = c?.message ?? '';
        return c?.status === 'False' && c.reason === reason;
      }, `${namespace}/${name} to be ${reason}`);
      return message;
    },
    async events(name, namespace = 'default') {
      const list = await env.client.list(kinds.CoreEvent, {
        namespace,
        fieldSelector: `involvedObject.name=${name}`,
      });
      return list.items;
    },
    async stop() {
      ctl.abort();
      await running;
      await env.stop();
    },
  };
  return cluster;
}
