/**
 * Test harness of the controllers: kuberx's API server in this process (`startTestEnv`) and a
 * controller-manager running the chosen controllers against it. Everything is stopped by
 * `stop()`. Used by the controllers' unit tests and by `test/controllers/`.
 */
import { startTestEnv, type TestEnv, type TestEnvOptions } from '../framework/testing/index.js';
import type { Manager } from '../framework/index.js';
import {
  createControllerManager,
  type ControllerManager,
  type ControllerManagerOptions,
} from './controllermanager.js';

export interface ClusterHarness {
  readonly env: TestEnv;
  readonly manager: Manager;
  readonly controllerManager: ControllerManager;
  /** Resolves when the manager stopped (rejects with its failure). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export type HarnessOptions = Partial<Omit<ControllerManagerOptions, 'kubeConfig' | 'transport'>> &
  Pick<ControllerManagerOptions, 'descriptors'> & { env?: TestEnvOptions };

/** Starts the API server and a controller-manager running `options.descriptors`. */
export async function startClusterHarness(options: HarnessOptions): Promise<ClusterHarness> {
  const env = await startTestEnv(options.env);
  try {
    const controllerManager = await createControllerManager({
      metricsBindAddress: '0',
      ...options,
      kubeConfig: env.kubeConfig,
    });
    const { manager } = controllerManager;
    const done = manager.start();
    done.catch(() => {});
    await manager.elected();
    return {
      env,
      manager,
      controllerManager,
      done,
      stop: async () => {
        manager.stop();
        await done.catch(() => {});
        await env.stop();
      },
    };
  } catch (err) {
    await env.stop();
    throw err;
  }
}
