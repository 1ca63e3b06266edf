/**
 * The StatefulSet controller (`pkg/controller/statefulset`): ordinal pod identity, PVCs from
 * volumeClaimTemplates with their retention policy, OrderedReady and Parallel pod management,
 * RollingUpdate with partition and maxUnavailable, OnDelete, revisions through
 * ControllerRevisions. Register with {@link registerStatefulSetController}.
 */
import type { Manager, RuntimeController } from '../../framework/index.js';
import type { ControllerDescriptor } from '../registry.js';
import { newStatefulSetController, type StatefulSetControllerOptions } from './controller.js';
import { defaultConcurrentSyncs } from './defaults.js';

export * from './defaults.js';
export {
  StatefulSetController,
  newStatefulSetController,
  type StatefulSetControllerOptions,
} from './controller.js';
export { StatefulSetControl } from './control.js';

/** Registers the StatefulSet controller (`statefulset`) with `mgr`. */
export async function registerStatefulSetController(
  mgr: Manager,
  options: StatefulSetControllerOptions = {},
): Promise<RuntimeController> {
  return (await newStatefulSetController(mgr, options)).controller;
}

/** `--controllers` entry (`--concurrent-statefulset-syncs`, 5). */
export const statefulSetController: ControllerDescriptor = {
  name: 'statefulset',
  aliases: ['statefulset-controller'],
  concurrencyFlag: 'concurrent-statefulset-syncs',
  defaultConcurrency: defaultConcurrentSyncs,
  register: async (ctx) =>
    void (await registerStatefulSetController(ctx.manager, { concurrentSyncs: ctx.concurrency })),
};
