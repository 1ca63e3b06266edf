/**
 * The Deployment controller (see `controller.ts`) and its arithmetic, exported for tests and
 * tools: fenceposts, proportional scaling plans, rolling steps, conditions, revisions.
 */
import type { Manager, RuntimeController } from '../../framework/index.js';
import type { ControllerDescriptor } from '../registry.js';
import { newDeploymentController, type DeploymentControllerOptions } from './controller.js';
import { defaultConcurrentSyncs } from './defaults.js';

export * from './defaults.js';
export * from './annotations.js';
export * from './conditions.js';
export * from './fenceposts.js';
export * from './replicasets.js';
export * from './rollingplan.js';
export * from './scale.js';
export * from './status.js';
export {
  DeploymentController,
  newDeploymentController,
  type DeploymentControllerOptions,
} from './controller.js';
export { replicaSetsToCleanup } from './sync.js';
export { oldPodsRunning } from './recreate.js';

/** Registers the Deployment controller (`deployment`) with `mgr`. */
export async function registerDeploymentController(
  mgr: Manager,
  options: DeploymentControllerOptions = {},
): Promise<RuntimeController> {
  return (await newDeploymentController(mgr, options)).controller;
}

/** `--controllers` entry of the Deployment controller (`--concurrent-deployment-syncs`, 5). */
export const deploymentController: ControllerDescriptor = {
  name: 'deployment',
  aliases: ['deployment-controller'],
  concurrencyFlag: 'concurrent-deployment-syncs',
  defaultConcurrency: defaultConcurrentSyncs,
  register: async (ctx) =>
    void (await registerDeploymentController(ctx.manager, { concurrentSyncs: ctx.concurrency })),
};
