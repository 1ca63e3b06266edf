/**
 * The EndpointSlice controller (upstream `pkg/controller/endpointslice/endpointslice_controller.go`):
 * every Service with a selector has EndpointSlices listing its pods — up to 100 endpoints per
 * slice, one set per address type, with ready/serving/terminating conditions — and an empty
 * placeholder slice when it has none. Planning is in `reconciler.ts`.
 *
 * - Triggers: Service changes; pod changes that can matter (as for Endpoints); slice changes not
 *   caused by this controller (tracked by generation, delayed by at least 1 s); slices deleted by
 *   someone else.
 * - Services of type ExternalName and without selector are left alone. A deleted Service's slices
 *   go with it through the garbage collector (they are owned by the Service).
 * - When the slice cache is older than the controller's own writes the sync fails and is retried
 *   (upstream's stale-informer-cache error). Pods on unknown nodes are left out and the sync is
 *   retried, unless the Service publishes not-ready addresses.
 */
import {
  controllerManagedBy,
  EndpointSlice,
  isNotFound,
  Node,
  Pod,
  Service,
  type EventHandler,
  type Manager,
  type Request,
  type RuntimeController,
} from '../../framework/index.js';
import type { ControllerContext, ControllerDescriptor } from '../registry.js';
import {
  defaultEndpointSliceWorkers,
  endpointSliceChangeMinSyncDelayMs,
  endpointSliceControllerName,
  labelManagedBy,
  labelServiceName,
} from './defaults.js';
import { applyPlan, planEndpointSlices } from './reconciler.js';
import { EndpointSliceTracker } from './tracker.js';
import { TriggerTimeTracker } from './triggertime.js';
import { hasSelector, podServiceHandler, serviceSelects } from './util.js';

export interface EndpointSliceControllerOptions {
  /** Delay of pod-triggered syncs (`--endpoint-updates-batch-period`). Default 0. */
  endpointUpdatesBatchPeriodMs?: number;
}

/** Thrown when the slice cache is older than our writes (upstream `StaleInformerCache`). */
export class StaleInformerCacheError extends Error {
  constructor() {
    super('EndpointSlice informer cache is out of date');
    this.name = 'StaleInformerCacheError';
  }
}

/** Syncs one Service's slices; see the module comment. */
export class EndpointSliceSyncer {
  readonly tracker = new EndpointSliceTracker();
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly recorder;

  constructor(
    private readonly manager: Manager,
    private readonly maxEndpointsPerSlice: number,
  ) {
    this.recorder = manager.eventRecorderFor('endpointslice-controller');
  }

  async sync(namespace: string, name: string): Promise<void> {
    const { client } = this.manager;
    let service: Readonly<Service>;
    try {
      service = await client.get(Service, name, { namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.triggerTimes.deleteService(namespace, name);
      this.tracker.deleteService(namespace, name);
      return;
    }
    if (service.spec?.type === 'ExternalName' || !hasSelector(service)) return;
    const pods = (await client.list(Pod, { namespace })).filter((p) =>
      serviceSelects(service, p.metadata?.labels),
    );
    const slices = (
      await client.list(EndpointSlice, {
        namespace,
        labelSelector: `${labelServiceName}=${name},${labelManagedBy}=${endpointSliceControllerName}`,
      })
    ).filter((s) => !s.metadata?.deletionTimestamp);
    if (this.tracker.staleSlices(namespace, name, slices)) throw new StaleInformerCacheError();
    const nodes = await client.informer(Node);
    const triggerTime = this.triggerTimes.compute(service, pods);
    const plan = planEndpointSlices({
      service,
      pods,
      existing: slices,
      node: (n) => nodes.store.getByName(undefined, n) as Readonly<Node> | undefined,
      maxEndpointsPerSlice: this.maxEndpointsPerSlice,
      controllerName: endpointSliceControllerName,
    });
    try {
      await applyPlan(plan, {
        api: client,
        service,
        triggerTime,
        onWritten: (s) => this.tracker.update(s),
        onDeleted: (s) => this.tracker.expectDeletion(s),
      });
    } catch (err) {
      void this.recorder.event(
        service,
        'Warning',
        'FailedToUpdateEndpointSlices',
        `Error updating Endpoint Slices for Service ${namespace}/${name}: ${err instanceof Error ? err.message : String(err)}`,
      );
      throw err;
    }
    if (plan.skippedPods.length > 0) {
      throw new Error(
        plan.skippedPods
          .map((p) => `skipping Pod ${p} for Service ${namespace}/${name}: Node Not Found`)
          .join('; '),
      );
    }
  }
}

/** Builds the controller on `context.manager`. */
export async function registerEndpointSliceController(
  context: ControllerContext,
  options: EndpointSliceControllerOptions = {},
): Promise<RuntimeController> {
  const { manager } = context;
  const batchMs = options.endpointUpdatesBatchPeriodMs ?? 0;
  const sliceDelayMs = Math.max(endpointSliceChangeMinSyncDelayMs, batchMs);
  const services = await manager.informers.informerFor(Service);
  const servicesIn = (ns: string | undefined) =>
    services.store.list({ namespace: ns }) as readonly Readonly<Service>[];
  const syncer = new EndpointSliceSyncer(manager, context.settings.maxEndpointsPerSlice);
  const { tracker } = syncer;
  const enqueue = (keys: Iterable<string>, afterMs: number) => {
    for (const key of keys) {
      const slash = key.indexOf('/');
      controller.enqueue(
        { namespace: key.slice(0, slash), name: key.slice(slash + 1) },
        { afterMs },
      );
    }
  };
  const serviceKeyOf = (s: Readonly<EndpointSlice>) => {
    const svc = s.metadata?.labels?.[labelServiceName];
    return svc ? [`${s.metadata?.namespace}/${svc}`] : [];
  };
  const managed = (s: Readonly<EndpointSlice>) =>
    s.metadata?.labels?.[labelManagedBy] === endpointSliceControllerName;
  const podHandler = podServiceHandler(servicesIn, (keys) => enqueue(keys, batchMs));

  const sliceHandler: EventHandler<EndpointSlice> = {
    create: (e) => {
      if (managed(e.object) && tracker.shouldSync(e.object))
        enqueue(serviceKeyOf(e.object), sliceDelayMs);
    },
    update: (e) => {
      const { objectOld: prev, objectNew: cur } = e;
      if (prev.metadata?.labels?.[labelServiceName] !== cur.metadata?.labels?.[labelServiceName]) {
        enqueue([...serviceKeyOf(cur), ...serviceKeyOf(prev)], sliceDelayMs);
        return;
      }
      if (managed(prev) !== managed(cur) || (managed(cur) && tracker.shouldSync(cur))) {
        enqueue(serviceKeyOf(cur), sliceDelayMs);
      }
    },
    delete: (e) => {
      if (managed(e.object) && tracker.has(e.object) && !tracker.handleDeletion(e.object)) {
        enqueue(serviceKeyOf(e.object), sliceDelayMs);
      }
    },
  };
  // Handlers run only once the controller started, after this assignment.
  const controller: RuntimeController = controllerManagedBy(manager)
    .named('endpoint_slice')
    .for(Service)
    .watches(Pod, podHandler as EventHandler)
    .watches(EndpointSlice, sliceHandler as EventHandler)
    .withOptions({ maxConcurrentReconciles: context.concurrency })
    .complete({ reconcile: (r: Request) => syncer.sync(r.namespace, r.name) });
  return controller;
}

export const endpointSliceController: ControllerDescriptor = {
  name: 'endpointslice',
  aliases: ['endpointslice-controller'],
  concurrencyFlag: 'concurrent-service-endpoint-syncs',
  defaultConcurrency: defaultEndpointSliceWorkers,
  register: async (context) => void (await registerEndpointSliceController(context)),
};
