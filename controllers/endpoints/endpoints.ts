/**
 * The Endpoints controller (upstream `pkg/controller/endpoint/endpoints_controller.go`): keeps the
 * Endpoints object of every Service with a selector equal to the Service's ready and not-ready
 * pods.
 *
 * - Triggers: Service add/update/delete; pod changes that can matter (see
 *   `servicesToUpdateOnPodChange`), for the services selecting the pod before and after; deletion
 *   of an Endpoints object; and, once at start, every existing Endpoints object (so leftovers of
 *   deleted Services are removed) except leader-election records.
 * - A deleted Service has its Endpoints deleted. Services of type ExternalName and Services without
 *   a selector are left alone (their Endpoints are user-managed).
 * - Labels are the Service's, plus `service.kubernetes.io/headless` without a cluster IP; the
 *   `endpoints.kubernetes.io/last-change-trigger-time` and, above 1000 addresses,
 *   `endpoints.kubernetes.io/over-capacity: truncated` annotations are kept up to date.
 * - No write happens when subsets (ignoring target resourceVersions), labels and the capacity
 *   annotation are already right. A create refused because the namespace is terminating is
 *   dropped; other failures are retried with backoff and reported as events.
 */
import {
  controllerManagedBy,
  Endpoints,
  isNotFound,
  Pod,
  Service,
  type EventHandler,
  type EventRecorder,
  type Manager,
  type Request,
  type RuntimeController,
} from '../../framework/index.js';
import { TriggerTimeTracker } from '../endpointslice/triggertime.js';
import { hasSelector, podServiceHandler } from '../endpointslice/util.js';
import type { ControllerContext, ControllerDescriptor } from '../registry.js';
import { isNamespaceTerminating } from '../util/errors.js';
import {
  defaultEndpointUpdatesBatchPeriodMs,
  defaultEndpointWorkers,
  leaderElectionAnnotation,
} from './defaults.js';
import { desiredEndpoints, desiredSubsets } from './subsets.js';

export interface EndpointsControllerOptions {
  /** Delay of pod-triggered syncs, to batch pod changes. Default 0. */
  endpointUpdatesBatchPeriodMs?: number;
}

/** The sync of one Service; see the module comment. */
export class EndpointsSyncer {
  private readonly triggerTimes = new TriggerTimeTracker();

  constructor(
    private readonly manager: Manager,
    private readonly recorder: EventRecorder,
  ) {}

  async sync(namespace: string, name: string): Promise<void> {
    const client = this.manager.client;
    let service: Readonly<Service>;
    try {
      service = await client.get(Service, name, { namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await client.delete(Endpoints, name, { namespace });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      this.triggerTimes.deleteService(namespace, name);
      return;
    }
    if (service.spec?.type === 'ExternalName' || !hasSelector(service)) return;

    const pods = (await client.list(Pod, { namespace })).filter((p) =>
      Object.entries(service.spec!.selector!).every(([k, v]) => p.metadata?.labels?.[k] === v),
    );
    const triggerTime = this.triggerTimes.compute(service, pods);
    const subsets = desiredSubsets(service, pods);

    let current: Readonly<Endpoints> | undefined;
    try {
      current = await client.get(Endpoints, name, { namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const desired = desiredEndpoints({ service, subsets, current, triggerTime });
    if (!desired) return;
    const meta = desired.metadata!;
    try {
      if (current) await client.update(desired, { kind: Endpoints });
      else await client.create(desired, { kind: Endpoints });
    } catch (err) {
      if (!current && isNamespaceTerminating(err)) return;
      const message = err instanceof Error ? err.message : String(err);
      void this.recorder.event(
        { apiVersion: 'v1', kind: 'Endpoints', metadata: { ...meta } },
        'Warning',
        current ? 'FailedToUpdateEndpoint' : 'FailedToCreateEndpoint',
        current
          ? `Failed to update endpoint ${namespace}/${name}: ${message}`
          : `Failed to create endpoint for service ${namespace}/${name}: ${message}`,
      );
      throw err;
    }
  }
}

/** Builds the controller on `context.manager`. */
export async function registerEndpointsController(
  context: ControllerContext,
  options: EndpointsControllerOptions = {},
): Promise<RuntimeController> {
  const { manager } = context;
  const batchMs = options.endpointUpdatesBatchPeriodMs ?? defaultEndpointUpdatesBatchPeriodMs;
  const services = await manager.informers.informerFor(Service);
  const servicesIn = (namespace: string | undefined) =>
    services.store.list({ namespace }) as readonly Readonly<Service>[];
  const syncer = new EndpointsSyncer(manager, manager.eventRecorderFor('endpoint-controller'));
  const enqueue = (keys: Iterable<string>) => {
    for (const key of keys) {
      const [namespace, name] = key.split('/') as [string, string];
      controller.enqueue({ namespace, name }, { afterMs: batchMs });
    }
  };
  const podHandler = podServiceHandler(servicesIn, enqueue);

  const endpointsHandler: EventHandler = {
    // checkLeftoverEndpoints: every Endpoints object of the first list, once.
    create: (e, sink) => {
      if (!e.isInInitialList) return;
      if (e.object.metadata?.annotations?.[leaderElectionAnnotation] !== undefined) return;
      sink.add(requestOf(e.object));
    },
    delete: (e, sink) => sink.add(requestOf(e.object)),
  };
  // Handlers run only once the controller started, after this assignment.
  const controller: RuntimeController = controllerManagedBy(manager)
    .named('endpoint')
    .for(Service)
    .watches(Pod, podHandler as EventHandler)
    .watches(Endpoints, endpointsHandler)
    .withOptions({ maxConcurrentReconciles: context.concurrency })
    .complete({ reconcile: (r: Request) => syncer.sync(r.namespace, r.name) });
  return controller;
}

function requestOf(obj: { metadata?: { namespace?: string; name?: string } }): Request {
  return { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

export const endpointsController: ControllerDescriptor = {
  name: 'endpoint',
  aliases: ['endpoints-controller'],
  concurrencyFlag: 'concurrent-endpoint-syncs',
  defaultConcurrency: defaultEndpointWorkers,
  register: async (context) => void (await registerEndpointsController(context)),
};
