/**
 * The ServiceAccount controller (upstream `pkg/controller/serviceaccount/serviceaccounts_controller.go`):
 * every namespace whose phase is `Active` has a ServiceAccount named `default`.
 *
 * - Namespaces are synced when added or changed, and every 5 minutes; a deleted `default`
 *   account re-queues its namespace, so it is created again.
 * - A namespace that is not `Active` (Terminating) is left alone; a create refused because the
 *   namespace is terminating, or because the account exists already, is not an error.
 * - Only missing accounts are created; existing ones are never changed.
 */
import {
  controllerManagedBy,
  isAlreadyExists,
  isNotFound,
  Namespace,
  ServiceAccount,
  type Client,
  type RuntimeController,
  type Request,
} from '../../framework/index.js';
import type { ControllerContext, ControllerDescriptor } from '../registry.js';
import { isNamespaceTerminating } from '../util/errors.js';
import { defaultServiceAccounts, namespaceResyncMs, serviceAccountWorkers } from './defaults.js';

export interface ServiceAccountsOptions {
  /** Names of the accounts to ensure. Default `['default']`. */
  serviceAccounts?: readonly string[];
}

/** Ensures the accounts of one namespace; see the module comment. */
export async function syncServiceAccounts(
  client: Client,
  namespaceName: string,
  names: readonly string[] = defaultServiceAccounts,
): Promise<void> {
  let ns: Readonly<Namespace>;
  try {
    ns = await client.get(Namespace, namespaceName);
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  if (ns.status?.phase !== 'Active') return;
  for (const name of names) {
    try {
      await client.get(ServiceAccount, name, { namespace: namespaceName });
      continue;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      await client.create<ServiceAccount>(
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: namespaceName } },
        { kind: ServiceAccount },
      );
    } catch (err) {
      if (isAlreadyExists(err) || isNamespaceTerminating(err)) continue;
      throw err;
    }
  }
}

/** Builds the controller on `context.manager`. */
export function registerServiceAccountController(
  context: ControllerContext,
  options: ServiceAccountsOptions = {},
): RuntimeController {
  const { manager } = context;
  const names = options.serviceAccounts ?? defaultServiceAccounts;
  return controllerManagedBy(manager)
    .named('serviceaccount')
    .for(Namespace)
    .watches(ServiceAccount, {
      delete: (e, sink) => {
        const meta = e.object.metadata;
        if (meta?.namespace && meta.name && names.includes(meta.name)) {
          sink.add({ namespace: '', name: meta.namespace });
        }
      },
    })
    .withOptions({ maxConcurrentReconciles: context.concurrency, syncPeriodMs: namespaceResyncMs })
    .complete({
      reconcile: (request: Request) => syncServiceAccounts(manager.client, request.name, names),
    });
}

export const serviceAccountController: ControllerDescriptor = {
  name: 'serviceaccount',
  aliases: ['serviceaccount-controller'],
  defaultConcurrency: serviceAccountWorkers,
  register: (context) => void registerServiceAccountController(context),
};
