/**
 * The scheduler inside `kuberx up`: the scheduler of `controllers/scheduler` with its own identity
 * (`system:kube-scheduler`) — from its kubeconfig (`createSchedulerManager`), or over a given
 * transport (in-process) with `addScheduler` on a manager of the same settings. No metrics server
 * and no leader election: the process is the only scheduler of its data dir.
 */
import {
  addScheduler,
  createSchedulerManager,
  schedulerFieldManager,
} from '../../controllers/scheduler/index.js';
import { loadKubeConfig, Manager, type Transport } from '../../framework/index.js';

export interface RunningScheduler {
  readonly manager: Manager;
  stop(): Promise<void>;
}

export async function startScheduler(
  source: { kubeconfig: string } | { transport: Transport },
): Promise<RunningScheduler> {
  let manager: Manager;
  if ('transport' in source) {
    manager = new Manager({
      transport: source.transport,
      metricsBindAddress: '0',
      fieldManager: schedulerFieldManager,
    });
    addScheduler(manager);
  } else {
    manager = createSchedulerManager({
      kubeConfig: loadKubeConfig({ file: source.kubeconfig }),
      metricsBindAddress: '0',
    }).manager;
  }
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
