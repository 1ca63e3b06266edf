/**
 * Where `kuberx up`'s components run: on the calling thread ({@link componentsInThread}) or on a
 * worker thread of their own ({@link componentsInWorker}), so the API server keeps the main
 * thread's event loop and the clients use the second core. Both give a {@link ComponentsHandle}.
 *
 * The worker loads the compiled `worker.js` next to this file, so worker mode needs the build
 * (`dist/`); test suites that run the sources use the in-thread mode.
 */
import { Worker } from 'node:worker_threads';
import type { ControllerDescriptor } from '../../controllers/index.js';
import type { NodeSimulator } from '../../controllers/nodes/index.js';
import { startComponents, type ComponentsConfig } from './components.js';
import type { InProcessServer } from './inprocess.js';
import type { FromWorker, ToWorker } from './worker.js';

export interface ComponentsHandle {
  /** Controllers the controller-manager runs. */
  readonly enabled: readonly string[];
  /** The node simulator, when it runs on this thread. */
  readonly nodes?: NodeSimulator;
  /** Pods the simulated kubelets run. */
  runningPods(): Promise<number>;
  stop(): Promise<void>;
}

export async function componentsInThread(
  config: ComponentsConfig,
  extra: {
    descriptors?: readonly ControllerDescriptor[];
    onProgress?(done: number, total: number): void;
    inProcess?: InProcessServer;
  },
): Promise<ComponentsHandle> {
  const running = await startComponents(config, extra);
  return {
    enabled: running.enabled,
    nodes: running.nodes,
    runningPods: async () => running.nodes.runningPods(),
    stop: () => running.stop(),
  };
}

/**
 * Spawns the components' worker at once (its modules load while the API server starts); `start`
 * hands it the config and resolves once the components are ready.
 */
export function spawnComponentsWorker(): {
  start(
    config: ComponentsConfig,
    onProgress?: (done: number, total: number) => void,
  ): Promise<ComponentsHandle>;
  terminate(): Promise<void>;
} {
  const worker = new Worker(new URL('./worker.js', import.meta.url));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const pending = new Map<number, (n: number) => void>();
  let nextId = 0;
  let stopped: (() => void) | undefined;
  let progress: ((done: number, total: number) => void) | undefined;
  const ready = new Promise<string[]>((resolve, reject) => {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') progress?.(m.done, m.total);
      else if (m.type === 'ready') resolve(m.enabled);
      else if (m.type === 'error') reject(new Error(m.message));
      else if (m.type === 'runningPods') pending.get(m.id)?.(m.value);
      else if (m.type === 'stopped') stopped?.();
    });
    worker.once('error', reject);
    void exited.then(() => reject(new Error('the components worker exited')));
  });
  ready.catch(() => undefined);
  const send = (m: ToWorker) => worker.postMessage(m);
  return {
    terminate: async () => {
      await worker.terminate();
    },
    start: async (config, onProgress) => {
      progress = onProgress;
      send({ type: 'start', config });
      const enabled = await ready;
      return {
        enabled,
        runningPods: () =>
          new Promise((resolve) => {
            const id = nextId++;
            pending.set(id, (n) => {
              pending.delete(id);
              resolve(n);
            });
            send({ type: 'runningPods', id });
          }),
        stop: async () => {
          const done = new Promise<void>((resolve) => (stopped = resolve));
          send({ type: 'stop' });
          await Promise.race([done, exited]);
          await worker.terminate();
        },
      };
    },
  };
}
