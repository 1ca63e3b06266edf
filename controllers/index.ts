/**
 * The reference controllers, built only on `framework/index.ts`, and the controller-manager that
 * runs them. {@link controllerDescriptors} lists every controller by its upstream name
 * (`--controllers`), with its default number of workers.
 */
import { cronJobController } from './cronjob/index.js';
import { daemonSetController } from './daemonset/index.js';
import { deploymentController } from './deployment/index.js';
import { disruptionController } from './disruption/index.js';
import { endpointsController } from './endpoints/endpoints.js';
import { endpointSliceController } from './endpointslice/endpointslice.js';
import { endpointSliceMirroringController } from './endpointslice/mirroring.js';
import { garbageCollectorController } from './gc/garbagecollector.js';
import { jobController } from './job/index.js';
import { namespaceController } from './namespace/namespace.js';
import { nodeLifecycleController, taintEvictionController } from './nodelifecycle/index.js';
import { horizontalPodAutoscalerController } from './podautoscaler/index.js';
import { podGCController } from './podgc/podgc.js';
import type { ControllerDescriptor } from './registry.js';
import { replicaSetController, replicationControllerController } from './replicaset/index.js';
import { resourceQuotaController } from './resourcequota/resourcequota.js';
import { rootCACertPublisher } from './serviceaccount/rootcacertpublisher.js';
import { serviceAccountController } from './serviceaccount/serviceaccounts.js';
import { statefulSetController } from './statefulset/index.js';
import { ttlAfterFinishedController } from './ttlafterfinished/index.js';

export type {
  ControllerContext,
  ControllerDescriptor,
  ControllerManagerSettings,
} from './registry.js';
export {
  createControllerManager,
  rootCAOf,
  type ControllerManager,
  type ControllerManagerOptions,
} from './controllermanager.js';
export {
  enabledControllers,
  findController,
  genericConcurrencyFlag,
  isControllerEnabled,
  parseControllerList,
} from './selection.js';
export { RateLimitedTransport, effectiveClientLimits, isLoopbackServer } from './clientlimits.js';
export * from './defaults.js';

/**
 * Every controller the controller-manager knows, in upstream's order of registration
 * (`NewControllerDescriptors`). The workloads controllers live in their own folders and are added
 * here as they land.
 */
export const controllerDescriptors: readonly ControllerDescriptor[] = [
  endpointsController,
  endpointSliceController,
  endpointSliceMirroringController,
  replicationControllerController,
  podGCController,
  resourceQuotaController,
  namespaceController,
  serviceAccountController,
  garbageCollectorController,
  daemonSetController,
  jobController,
  deploymentController,
  replicaSetController,
  horizontalPodAutoscalerController,
  disruptionController,
  statefulSetController,
  cronJobController,
  ttlAfterFinishedController,
  nodeLifecycleController,
  taintEvictionController,
  rootCACertPublisher,
];
