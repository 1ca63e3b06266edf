/**
 * The disruption controller (`pkg/controller/disruption`): PodDisruptionBudget status
 * (currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed, disruptedPods expiry,
 * observedGeneration, the DisruptionAllowed condition), which the eviction API enforces, and the
 * reset of stale DisruptionTarget pod conditions. Register with
 * {@link registerDisruptionController}.
 */
import type { Manager, RuntimeController } from '../../framework/index.js';
import type { ControllerDescriptor } from '../registry.js';
import { newDisruptionController } from './controller.js';

export * from './defaults.js';
export { DisruptionController, newDisruptionController } from './controller.js';
export {
  buildDisruptedPodMap,
  countHealthyPods,
  desiredHealthy,
  disruptionsAllowed,
} from './budget.js';
export { staleDisruptionCondition } from './stalepods.js';

/** Registers the disruption controller (`disruption`) with `mgr`. */
export async function registerDisruptionController(mgr: Manager): Promise<RuntimeController> {
  return (await newDisruptionController(mgr)).controller;
}

/** `--controllers` entry: one worker, no concurrency flag (as upstream). */
export const disruptionController: ControllerDescriptor = {
  name: 'disruption',
  aliases: ['disruption-controller'],
  defaultConcurrency: 1,
  register: async (ctx) => void (await registerDisruptionController(ctx.manager)),
};
