/**
 * The scheduler inside `kuberx up`: `createSchedulerManager` of `controllers/scheduler` with the
 * scheduler's own kubeconfig (`system:kube-scheduler`). No metrics server and no leader election:
 * the process is the only scheduler of its data dir.
 */
import { createSchedulerManager } from '../../controllers/scheduler/index.js';
import { loadKubeConfig, type Manager } from '../../framework/index.js';

export interface RunningScheduler {
  readonly manager: Manager;
  stop(): Promise<void>;
}

export async function startScheduler(kubeconfig: string): Promise<RunningScheduler> {
  const { manager } = createSchedulerManager({
    kubeConfig: loadKubeConfig({ file: kubeconfig }),
    metricsBindAddress: '0',
  });
  const done = manager.start();
  done.catch(() => undefined);
  await manager.elected();
  return {
    manager,
    stop: async () => {
      manager.stop();
      await done.catch(() => undefined);
    },
  };
}
