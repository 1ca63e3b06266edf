/**
 * The root CA publisher (upstream `pkg/controller/certificates/rootcacertpublisher`): every
 * namespace has a ConfigMap `kube-root-ca.crt` whose `ca.crt` is the cluster CA bundle, so pods
 * (through their projected service-account volume) can verify the API server.
 *
 * - Namespaces are synced when added or changed; a change to or deletion of the ConfigMap
 *   re-queues its namespace, so edits are reverted and a deleted map comes back.
 * - A missing map is created; one whose data or description annotation differ is updated (other
 *   annotations and labels are kept). A create refused with 403 (namespace terminating, or no
 *   permission) is dropped, as upstream.
 * - Only ConfigMaps named `kube-root-ca.crt` are watched (a field-selected informer).
 * - It runs only when a CA is known (see `ControllerManagerSettings.rootCA`).
 */
import {
  ConfigMap,
  controllerManagedBy,
  isAlreadyExists,
  isForbidden,
  isNotFound,
  Namespace,
  type RuntimeController,
  type EventHandler,
  type Manager,
  type Request,
} from '../../framework/index.js';
import type { ControllerContext, ControllerDescriptor } from '../registry.js';
import {
  descriptionAnnotation,
  rootCAConfigMapKey,
  rootCAConfigMapName,
  rootCADescription,
  rootCAPublisherWorkers,
} from './defaults.js';

const configMapScope = { fieldSelector: `metadata.name=${rootCAConfigMapName}` };

/** Makes `namespaceName`'s `kube-root-ca.crt` carry `rootCA`; see the module comment. */
export async function syncRootCA(
  manager: Manager,
  namespaceName: string,
  rootCA: string,
): Promise<void> {
  try {
    await manager.client.get(Namespace, namespaceName);
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  const informer = await manager.informers.informerFor(ConfigMap, configMapScope);
  await informer.synced();
  const current = informer.store.getByName(namespaceName, rootCAConfigMapName);
  if (!current) {
    try {
      await manager.apiClient.create<ConfigMap>(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: rootCAConfigMapName,
            namespace: namespaceName,
            annotations: { [descriptionAnnotation]: rootCADescription },
          },
          data: { [rootCAConfigMapKey]: rootCA },
        },
        { kind: ConfigMap },
      );
    } catch (err) {
      // 403: the namespace is terminating (or no permission); 409: our informer has not seen it yet.
      if (isForbidden(err) || isAlreadyExists(err)) return;
      throw err;
    }
    return;
  }
  const data = current.data ?? {};
  const sameData = Object.keys(data).length === 1 && data[rootCAConfigMapKey] === rootCA;
  const sameAnnotation =
    current.metadata?.annotations?.[descriptionAnnotation] === rootCADescription;
  if (sameData && sameAnnotation) return;
  const updated = structuredClone(current) as ConfigMap;
  updated.data = { [rootCAConfigMapKey]: rootCA };
  updated.metadata = {
    ...updated.metadata,
    annotations: { ...updated.metadata?.annotations, [descriptionAnnotation]: rootCADescription },
  };
  await manager.apiClient.update(updated, { kind: ConfigMap });
}

/** Builds the publisher on `context.manager`; undefined (nothing registered) without a CA. */
export function registerRootCACertPublisher(
  context: ControllerContext,
): RuntimeController | undefined {
  const { manager } = context;
  const rootCA = context.settings.rootCA;
  if (!rootCA) return undefined;
  const requeueNamespace: EventHandler = {
    update: (e, sink) => sink.add({ namespace: '', name: e.objectNew.metadata?.namespace ?? '' }),
    delete: (e, sink) => sink.add({ namespace: '', name: e.object.metadata?.namespace ?? '' }),
  };
  return controllerManagedBy(manager)
    .named('root_ca_cert_publisher')
    .for(Namespace)
    .watches(ConfigMap, requeueNamespace, { scope: configMapScope })
    .withOptions({ maxConcurrentReconciles: context.concurrency })
    .complete({
      reconcile: (request: Request) => syncRootCA(manager, request.name, rootCA),
    });
}

export const rootCACertPublisher: ControllerDescriptor = {
  name: 'root-ca-cert-publisher',
  aliases: ['root-ca-certificate-publisher-controller'],
  defaultConcurrency: rootCAPublisherWorkers,
  register: (context) => void registerRootCACertPublisher(context),
};
