/**
 * The DaemonSet controller (`pkg/controller/daemon`): one pod per eligible node (node selector and
 * affinity, taints against tolerations plus the daemon tolerations), pods pinned to their node and
 * bound by the scheduler, RollingUpdate (maxUnavailable, maxSurge) and OnDelete, revisions through
 * ControllerRevisions, failed-pod back-off, status. Register with
 * {@link registerDaemonSetController}.
 */
import type { Manager, RuntimeController } from '../../framework/index.js';
import type { ControllerDescriptor } from '../registry.js';
import { newDaemonSetsController, type DaemonSetControllerOptions } from './controller.js';
import { defaultConcurrentSyncs } from './defaults.js';

export * from './defaults.js';
export {
  DaemonSetsController,
  newDaemonSetsController,
  type DaemonSetControllerOptions,
} from './controller.js';
export {
  addDaemonTolerations,
  daemonPodTemplate,
  nodeShouldRunDaemonPod,
  pinToNode,
  targetNodeName,
} from './placement.js';

/** Registers the DaemonSet controller (`daemonset`) with `mgr`. */
export async function registerDaemonSetController(
  mgr: Manager,
  options: DaemonSetControllerOptions = {},
): Promise<RuntimeController> {
  return (await newDaemonSetsController(mgr, options)).controller;
}

/** `--controllers` entry (`--concurrent-daemonset-syncs`, 2). */
export const daemonSetController: ControllerDescriptor = {
  name: 'daemonset',
  aliases: ['daemonset-controller'],
  concurrencyFlag: 'concurrent-daemonset-syncs',
  defaultConcurrency: defaultConcurrentSyncs,
  register: async (ctx) =>
    void (await registerDaemonSetController(ctx.manager, { concurrentSyncs: ctx.concurrency })),
};
