/**
 * The HorizontalPodAutoscaler controller (`pkg/controller/podautoscaler`, autoscaling/v2): the
 * replica calculation (tolerance 0.1, ceil(ratio × pods), missing and unready pods), stabilization
 * windows, behavior policies, min/max clamping, the AbleToScale / ScalingActive / ScalingLimited
 * conditions, `/scale` writes. Metrics come from the metrics APIs through the API server, which
 * kuberx does not serve (see `metrics.ts`), or from a {@link MetricsClient} the embedder passes.
 * Register with {@link registerHorizontalPodAutoscalerController}.
 */
import type { Manager, RuntimeController } from '../../framework/index.js';
import type { ControllerDescriptor } from '../registry.js';
import { newHorizontalController, type HorizontalControllerOptions } from './controller.js';
import { defaultConcurrentSyncs } from './defaults.js';

export * from './defaults.js';
export {
  HorizontalController,
  newHorizontalController,
  type HorizontalControllerOptions,
} from './controller.js';
export {
  RestMetricsClient,
  type MetricsClient,
  type ObjectReference,
  type PodMetric,
  type PodMetricsInfo,
} from './metrics.js';
export { ReplicaCalculator } from './replicas.js';
export { Normalizer } from './normalize.js';

/** Registers the HPA controller (`horizontalpodautoscaling`) with `mgr`. */
export async function registerHorizontalPodAutoscalerController(
  mgr: Manager,
  options: HorizontalControllerOptions = {},
): Promise<RuntimeController> {
  return (await newHorizontalController(mgr, options)).controller;
}

/** `--controllers` entry (`--concurrent-horizontal-pod-autoscaler-syncs`, 5). */
export const horizontalPodAutoscalerController: ControllerDescriptor = {
  name: 'horizontalpodautoscaling',
  aliases: ['horizontal-pod-autoscaler-controller'],
  concurrencyFlag: 'concurrent-horizontal-pod-autoscaler-syncs',
  defaultConcurrency: defaultConcurrentSyncs,
  register: async (ctx) =>
    void (await registerHorizontalPodAutoscalerController(ctx.manager, {
      concurrentSyncs: ctx.concurrency,
    })),
};
