/**
 * The node lifecycle controller and the taint eviction controller, as controller-manager
 * descriptors (upstream names `node-lifecycle-controller` — short `nodelifecycle` — and
 * `taint-eviction-controller`).
 *
 * `controllers/index.ts` registers them with upstream's defaults; a caller with other flags
 * (`kuberx up`, tests with short grace periods) swaps in {@link nodeLifecycleDescriptor}`(options)`.
 */
import type { ControllerDescriptor } from '../registry.js';
import { NodeLifecycleController, type NodeLifecycleOptions } from './controller.js';
import { taintEvictionWorkers } from './defaults.js';
import { TaintEvictionController } from './tainteviction.js';

export * from './defaults.js';
export { NodeLifecycleController, type NodeLifecycleOptions } from './controller.js';
export { TaintEvictionController } from './tainteviction.js';
export { NodeHealthTracker } from './health.js';
export {
  conditionTaints,
  matchingTolerations,
  minTolerationTime,
  tolerates,
  type Taint,
  type Toleration,
} from './taints.js';
export { computeZoneState, RateLimitedTimedQueue, TokenBucket, zoneKey } from './zones.js';

export const nodeLifecycleControllerName = 'nodelifecycle';
export const taintEvictionControllerName = 'taint-eviction-controller';

/** The node lifecycle controller's descriptor with these flags. */
export function nodeLifecycleDescriptor(options: NodeLifecycleOptions = {}): ControllerDescriptor {
  return {
    name: nodeLifecycleControllerName,
    aliases: ['node-lifecycle-controller'],
    defaultConcurrency: 1,
    register: ({ manager }) => manager.add(new NodeLifecycleController(manager, options)),
  };
}

export const nodeLifecycleController: ControllerDescriptor = nodeLifecycleDescriptor();

export const taintEvictionController: ControllerDescriptor = {
  name: taintEvictionControllerName,
  defaultConcurrency: taintEvictionWorkers,
  register: ({ manager }) => manager.add(new TaintEvictionController(manager)),
};
