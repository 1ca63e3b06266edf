/**
 * The controllers the end-to-end suites need, on top of `controllers/index.ts`: workload
 * controllers that exist in the tree but are not (yet) in the registry are added by name, so the
 * suites use the registry as soon as it lists them and never register one twice.
 */
import { controllerDescriptors, type ControllerDescriptor } from '../../controllers/index.js';
import { deploymentController } from '../../controllers/deployment/index.js';
import { replicaSetController } from '../../controllers/replicaset/index.js';

export function workloadControllers(): ControllerDescriptor[] {
  const out = [...controllerDescriptors];
  for (const d of [deploymentController, replicaSetController]) {
    if (!out.some((x) => x.name === d.name)) out.push(d);
  }
  return out;
}
