/**
 * The API server's clients in `kuberx up`: the controller-manager, the scheduler and the simulated
 * nodes, each with its own identity, started side by side. {@link startComponents} runs them on
 * the calling thread — over in-process connections to the server when given one (no TCP, no TLS),
 * else over HTTPS with their kubeconfigs; `worker.ts` runs the same function on a worker thread
 * (HTTPS) so they do not share the API server's event loop. {@link ComponentsConfig} is plain data
 * for that reason.
 */
import {
  controllerDescriptors,
  createControllerManager,
  type ControllerDescriptor,
} from '../../controllers/index.js';
import {
  nodeLifecycleControllerName,
  nodeLifecycleDescriptor,
  type NodeLifecycleOptions,
} from '../../controllers/nodelifecycle/index.js';
import { NodeSimulator, nodeClients, type NodeSpec } from '../../controllers/nodes/index.js';
import { KubeConfig, KubeConfigTransport, loadKubeConfig } from '../../framework/index.js';
import type { InProcessServer } from './inprocess.js';
import { startScheduler } from './scheduler.js';

/** Everything the components need, as plain (structured-cloneable) data. */
export interface ComponentsConfig {
  /** The API server's URL and CA. */
  url: string;
  caPem: string;
  controllerManagerKubeconfig: string;
  schedulerKubeconfig: string;
  /** Bearer token of each node, of the node simulator's reader and of the two components. */
  nodeTokens: [string, string][];
  readerToken: string;
  controllerManagerToken: string;
  schedulerToken: string;
  nodes: NodeSpec[];
  nodeLifecycle?: NodeLifecycleOptions;
  controllers?: string;
  restartBackOffMs?: number;
  nodeLeaseRenewIntervalMs?: number;
}

export interface RunningComponents {
  /** Names of the controllers the controller-manager runs. */
  readonly enabled: readonly string[];
  readonly nodes: NodeSimulator;
  /** Stops the components (in reverse order of start). */
  stop(): Promise<void>;
}

/**
 * Starts the components. `descriptors` replaces the registry's controllers (in-thread only: they
 * are code); `onProgress` hears node registration. On failure, what started is stopped again.
 */
export async function startComponents(
  config: ComponentsConfig,
  extra: {
    descriptors?: readonly ControllerDescriptor[];
    onProgress?(done: number, total: number): void;
    /** Reach the API server in-process (same thread only). */
    inProcess?: InProcessServer;
  } = {},
): Promise<RunningComponents> {
  const inProcess = extra.inProcess;
  const stack: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stack.splice(0).reverse()) await s().catch(() => undefined);
  };
  const descriptors = (extra.descriptors ?? controllerDescriptors).map((d) =>
    d.name === nodeLifecycleControllerName ? nodeLifecycleDescriptor(config.nodeLifecycle) : d,
  );
  const controllerManager = async () => {
    const cm = await createControllerManager({
      ...(inProcess
        ? { transport: inProcess.transport(config.controllerManagerToken), rootCA: config.caPem }
        : { kubeConfig: loadKubeConfig({ file: config.controllerManagerKubeconfig }) }),
      descriptors,
      controllers: config.controllers,
      metricsBindAddress: '0',
      leaderElect: false,
    });
    const done = cm.manager.start();
    done.catch(() => undefined);
    stack.push(async () => {
      cm.manager.stop();
      await done.catch(() => undefined);
    });
    await cm.manager.elected();
    return cm.enabled;
  };
  const scheduler = async () => {
    const running = await startScheduler(
      inProcess
        ? { transport: inProcess.transport(config.schedulerToken) }
        : { kubeconfig: config.schedulerKubeconfig },
    );
    stack.push(() => running.stop());
  };
  const nodes = async () => {
    const transport = inProcess
      ? inProcess.transport(config.readerToken)
      : new KubeConfigTransport(caOnlyKubeConfig(config.url, config.caPem));
    stack.push(async () => transport.close());
    const sim = new NodeSimulator({
      clients: nodeClients({
        transport,
        tokens: new Map(config.nodeTokens),
        readerToken: config.readerToken,
      }),
      nodes: config.nodes,
      backOffInitialMs: config.restartBackOffMs,
      heartbeat: { renewIntervalMs: config.nodeLeaseRenewIntervalMs },
      onProgress: extra.onProgress,
    });
    stack.push(() => sim.stop());
    await sim.start();
    return sim;
  };
  const [cm, sched, sim] = await Promise.allSettled([controllerManager(), scheduler(), nodes()]);
  for (const r of [cm, sched, sim]) {
    if (r.status === 'rejected') {
      await stop();
      throw r.reason;
    }
  }
  return {
    enabled: (cm as PromiseFulfilledResult<readonly string[]>).value,
    nodes: (sim as PromiseFulfilledResult<NodeSimulator>).value,
    stop,
  };
}

/** A kubeconfig that trusts the cluster CA and carries no credentials (tokens are added per node). */
function caOnlyKubeConfig(server: string, caPem: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'kuberx', server, caData: Buffer.from(caPem).toString('base64') }],
    users: [{ name: 'nodes' }],
    contexts: [{ name: 'nodes', cluster: 'kuberx', user: 'nodes' }],
    currentContext: 'nodes',
  });
  return kc;
}
