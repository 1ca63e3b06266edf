/**
 * A whole cluster in one process — what `kuberx up` runs:
 *
 * 1. the store: embedded SQLite in `DIR/etcd` (or the etcd cluster of `etcdServers`);
 * 2. the API server over HTTPS with the cluster PKI in `DIR/pki`, authentication, RBAC and the
 *    recommended admission chain (NodeRestriction, DefaultTolerationSeconds, …); it writes
 *    `DIR/kubeconfig` (admin), `DIR/controller-manager.kubeconfig`, `DIR/scheduler.kubeconfig`;
 * 3. the controller-manager (every controller of `controllers/index.ts`, as
 *    `system:kube-controller-manager`);
 * 4. the scheduler (as `system:kube-scheduler`);
 * 5. `nodes` simulated nodes, each writing as `system:node:<name>`.
 *
 * 3–5 authenticate with their own bearer tokens (`DIR/pki/component-tokens.csv`) and reach the
 * API server in-process (`inprocess.ts`: in-memory HTTP connections, every request through
 * authentication, authorization and admission), or — with `thread: 'worker'` — from a worker
 * thread over HTTPS (`threads.ts`). Everything lives in the data dir, so starting again over the
 * same dir resumes the same cluster (same CA, same objects, same nodes). The cluster is ready
 * once the nodes are registered and the `default` ServiceAccount exists. {@link startCluster}
 * stops what it started when a later step fails; {@link Cluster.stop} stops everything in
 * reverse order.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createSecureApiServer,
  recommendedServerOptions,
  type SecureApiServer,
} from '../../apiserver/index.js';
import type { ControllerDescriptor } from '../../controllers/index.js';
import type { NodeLifecycleOptions } from '../../controllers/nodelifecycle/index.js';
import {
  nodeSpecs,
  type NodeSimulator,
  type NodeSpecsOptions,
} from '../../controllers/nodes/index.js';
import {
  ApiClient,
  KubeConfigTransport,
  isNotFound,
  loadKubeConfig,
  RestClient,
  ServiceAccount,
} from '../../framework/index.js';
import { openEmbeddedStorage, openEtcdStorage, type Storage } from '../../store/index.js';
import { defaultBindAddress, serviceAccountWaitMs, tokensFile } from './defaults.js';
import { progressReporter, type ProgressSink } from './progress.js';
import type { ComponentsConfig } from './components.js';
import { componentsInThread, spawnComponentsWorker } from './threads.js';
import { InProcessServer } from './inprocess.js';
import { ensureClusterTokens } from './tokens.js';

export interface ClusterOptions {
  dataDir: string;
  /** API server port; 0 picks a free one. */
  port: number;
  nodes: number;
  bindAddress?: string;
  etcdServers?: string[];
  /** Node shape and naming (count comes from `nodes`). */
  node?: Omit<NodeSpecsOptions, 'count'>;
  /** Node lifecycle flags (short grace periods in tests). */
  nodeLifecycle?: NodeLifecycleOptions;
  /** The controllers the controller-manager knows; default every one of `controllers/index.ts`. */
  descriptors?: readonly ControllerDescriptor[];
  /** `--controllers` of the controller-manager; default `*`. */
  controllers?: string;
  /**
   * Lease renewal interval of the simulated kubelets (default 10 s). Keep it well under the node
   * monitor grace period (upstream: 10 s against 50 s).
   */
  nodeLeaseRenewIntervalMs?: number;
  /** First container restart back-off of the simulated kubelets (default 10 s). */
  restartBackOffMs?: number;
  /**
   * Where the controller-manager, the scheduler and the nodes run: `main` (default) on this
   * thread, `worker` on a worker thread of their own (needs the compiled build; what `kuberx up`
   * uses).
   */
  thread?: 'main' | 'worker';
  /** Where start-up progress goes (stderr). */
  progress?: ProgressSink;
}

export interface Cluster {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** Absolute path of the admin kubeconfig (`DIR/kubeconfig`). */
  readonly kubeconfig: string;
  readonly dataDir: string;
  /** An uncached admin client. */
  readonly client: ApiClient;
  /** The node simulator, when the components run on this thread (`thread: 'main'`). */
  readonly nodes?: NodeSimulator;
  /** Pods the simulated kubelets run. */
  runningPods(): Promise<number>;
  readonly apiserver: SecureApiServer;
  /** Stops everything in reverse order of start; the data dir stays. */
  stop(): Promise<void>;
}

/** Starts the cluster; see the module comment. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const specs = nodeSpecs({ ...options.node, count: options.nodes });
  if (options.thread === 'worker' && options.descriptors) {
    throw new Error('custom controller descriptors run only on the main thread');
  }
  const stack: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stack.splice(0).reverse()) {
      await stop().catch(() => undefined);
    }
  };
  const worker = options.thread === 'worker' ? spawnComponentsWorker() : undefined;
  if (worker) stack.push(() => worker.terminate());
  try {
    const storage: Storage = options.etcdServers?.length
      ? await openEtcdStorage({ endpoints: options.etcdServers })
      : await openEmbeddedStorage({ dataDir: join(dataDir, 'etcd') });
    stack.push(() => storage.close());

    const tokensPath = join(dataDir, tokensFile);
    const tokens = await ensureClusterTokens(
      tokensPath,
      specs.map((s) => s.name),
    );
    const rec = await recommendedServerOptions(storage);
    stack.push(() => rec.close());
    const apiserver = await createSecureApiServer({
      storage: rec.storage,
      dataDir,
      port: options.port,
      bindAddress: options.bindAddress ?? defaultBindAddress,
      tokenAuthFile: tokensPath,
      admission: rec.admission,
      preAuthenticationFilters: rec.preAuthenticationFilters,
      authenticatedFilters: rec.authenticatedFilters,
    });
    rec.bind(apiserver.server);
    const started = await apiserver.start();
    stack.push(() => apiserver.stop());
    const adminKubeconfig = started.kubeconfig!;
    const adminTransport = new KubeConfigTransport(loadKubeConfig({ file: adminKubeconfig }));
    stack.push(async () => adminTransport.close());

    const config: ComponentsConfig = {
      url: started.url,
      caPem: apiserver.pki.ca.certPem,
      controllerManagerKubeconfig: started.controllerManagerKubeconfig!,
      schedulerKubeconfig: started.schedulerKubeconfig!,
      nodeTokens: [...tokens.nodes],
      readerToken: tokens.reader,
      controllerManagerToken: tokens.controllerManager,
      schedulerToken: tokens.scheduler,
      nodes: specs,
      nodeLifecycle: options.nodeLifecycle,
      controllers: options.controllers,
      restartBackOffMs: options.restartBackOffMs,
      nodeLeaseRenewIntervalMs: options.nodeLeaseRenewIntervalMs,
    };
    const report = options.progress
      ? progressReporter(options.progress, 'registering nodes', specs.length)
      : undefined;
    const onProgress = (done: number) => report?.(done);
    let inProcess: InProcessServer | undefined;
    if (!worker) {
      const server = new InProcessServer(apiserver.server.handler);
      stack.push(async () => server.close());
      inProcess = server;
    }
    const components = worker
      ? await worker.start(config, onProgress)
      : await componentsInThread(config, {
          descriptors: options.descriptors,
          onProgress,
          inProcess,
        });
    stack.push(() => components.stop());
    const client = new ApiClient(new RestClient(adminTransport));
    if (components.enabled.includes('serviceaccount')) await defaultServiceAccount(client);

    return {
      url: started.url,
      kubeconfig: adminKubeconfig,
      dataDir,
      client,
      nodes: components.nodes,
      runningPods: () => components.runningPods(),
      apiserver,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Waits for the ServiceAccount `default/default` (made by the serviceaccount controller): until it
 * exists, the ServiceAccount admission plugin refuses pods in `default`, so the cluster is not
 * ready for `kubectl run` yet. Gives up quietly after {@link serviceAccountWaitMs}.
 */
async function defaultServiceAccount(client: ApiClient): Promise<void> {
  const deadline = Date.now() + serviceAccountWaitMs;
  while (Date.now() < deadline) {
    try {
      await client.get(ServiceAccount, 'default', { namespace: 'default' });
      return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
