/**
 * The EndpointSlice mirroring controller (upstream `pkg/controller/endpointslicemirroring`):
 * Endpoints written by users for Services without a selector are mirrored into EndpointSlices
 * (managed by `endpointslicemirroring-controller.k8s.io`, owned by the Endpoints), so consumers of
 * slices see them too.
 *
 * - Mirrored: Endpoints whose Service exists and has no selector, without the label
 *   `endpointslice.kubernetes.io/skip-mirror: "true"` and without a leader-election annotation.
 *   Otherwise (and when the Endpoints or Service is deleted, or the Service gains a selector) the
 *   mirrored slices are deleted.
 * - Subsets are repacked first; each distinct (address type, port set) gets one slice, holding at
 *   most `--mirroring-max-endpoints-per-subset` (1000) addresses of the subset; surplus and
 *   invalid IPs are skipped with a Warning event (`TooManyAddressesToMirror`, `InvalidIPAddress`).
 * - Slices copy the Endpoints' labels and annotations (except last-change-trigger-time and
 *   last-applied-configuration); endpoint conditions carry only `ready`.
 * - Only the first existing slice of a key is kept (updated when it differs); extra ones are
 *   deleted.
 */
import {
  controllerManagedBy,
  EndpointSlice,
  Endpoints,
  isNotFound,
  Service,
  type EventHandler,
  type EventRecorder,
  type Manager,
  type Predicate,
  type Request,
  type RuntimeController,
} from '../../framework/index.js';
import type { ControllerContext, ControllerDescriptor } from '../registry.js';
import { isNamespaceTerminating } from '../util/errors.js';
import {
  defaultMirroringWorkers,
  labelManagedBy,
  labelServiceName,
  mirroringControllerName,
} from './defaults.js';
import { planMirroring, shouldMirror } from './mirroringplan.js';
import { EndpointSliceTracker } from './tracker.js';

/** Syncs one Endpoints object's mirrored slices. */
export class MirroringSyncer {
  readonly tracker = new EndpointSliceTracker();

  constructor(
    private readonly manager: Manager,
    private readonly recorder: EventRecorder,
    private readonly maxEndpointsPerSubset: number,
  ) {}

  private async mirrored(namespace: string, name: string): Promise<Readonly<EndpointSlice>[]> {
    return this.manager.client.list(EndpointSlice, {
      namespace,
      labelSelector: `${labelServiceName}=${name},${labelManagedBy}=${mirroringControllerName}`,
    });
  }

  private async deleteMirrored(namespace: string, name: string): Promise<void> {
    this.tracker.deleteService(namespace, name);
    const errors: string[] = [];
    const slices = await this.mirrored(namespace, name);
    for (const slice of slices) {
      try {
        await this.manager.client.delete(EndpointSlice, slice.metadata!.name!, { namespace });
      } catch (err) {
        if (!isNotFound(err)) errors.push(err instanceof Error ? err.message : String(err));
      }
    }
    if (errors.length > 0) {
      throw new Error(
        `error(s) deleting ${errors.length}/${slices.length} EndpointSlices for ${namespace}/${name} Endpoints, including: ${errors[0]}`,
      );
    }
  }

  async sync(namespace: string, name: string): Promise<void> {
    const { client } = this.manager;
    const endpoints = await getOrUndefined(() => client.get(Endpoints, name, { namespace }));
    if (!endpoints || !shouldMirror(endpoints)) return this.deleteMirrored(namespace, name);
    const svc = await getOrUndefined(() => client.get(Service, name, { namespace }));
    if (!svc || (svc.spec?.selector !== undefined && svc.spec?.selector !== null)) {
      return this.deleteMirrored(namespace, name);
    }
    const slices = await this.mirrored(namespace, name);
    if (this.tracker.staleSlices(namespace, name, slices)) {
      throw new Error('EndpointSlice informer cache is out of date');
    }
    const plan = planMirroring(endpoints, slices, this.maxEndpointsPerSubset);
    if (plan.invalidAddresses > 0) {
      void this.recorder.event(
        endpoints,
        'Warning',
        'InvalidIPAddress',
        `Skipped ${plan.invalidAddresses} invalid IP addresses when mirroring to EndpointSlices`,
      );
    }
    if (plan.skippedAddresses > plan.invalidAddresses) {
      void this.recorder.event(
        endpoints,
        'Warning',
        'TooManyAddressesToMirror',
        `A max of ${this.maxEndpointsPerSubset} addresses can be mirrored to EndpointSlices per Endpoints subset. ${plan.skippedAddresses} addresses were skipped`,
      );
    }
    if (!endpoints.metadata?.deletionTimestamp) {
      for (const slice of plan.create) {
        try {
          this.tracker.update(await client.create(slice, { kind: EndpointSlice }));
        } catch (err) {
          if (isNamespaceTerminating(err)) return;
          throw err;
        }
      }
    }
    for (const slice of plan.update) {
      this.tracker.update(await client.update(slice, { kind: EndpointSlice }));
    }
    for (const slice of plan.delete) {
      await client.delete(EndpointSlice, slice.metadata!.name!, { namespace });
      this.tracker.expectDeletion(slice);
    }
  }
}

async function getOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Builds the controller on `context.manager`. */
export function registerEndpointSliceMirroringController(
  context: ControllerContext,
): RuntimeController {
  const { manager } = context;
  const syncer = new MirroringSyncer(
    manager,
    manager.eventRecorderFor('endpointslicemirroring-controller'),
    context.settings.mirroringMaxEndpointsPerSubset,
  );
  const { tracker } = syncer;
  const req = (obj: { metadata?: { namespace?: string; name?: string } }): Request => ({
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
  });
  const hasNoSelector = (s: Readonly<Service>) =>
    s.spec?.selector === undefined || s.spec?.selector === null;
  const serviceHandler: EventHandler<Service> = {
    create: (e, sink) => hasNoSelector(e.object) && sink.add(req(e.object)),
    update: (e, sink) =>
      hasNoSelector(e.objectOld) !== hasNoSelector(e.objectNew) && sink.add(req(e.objectNew)),
    delete: (e, sink) => hasNoSelector(e.object) && sink.add(req(e.object)),
  };
  const mirrored = (s: Readonly<EndpointSlice>) =>
    s.metadata?.labels?.[labelManagedBy] === mirroringControllerName;
  const ownerKey = (s: Readonly<EndpointSlice>): Request[] => {
    const svc = s.metadata?.labels?.[labelServiceName];
    return svc ? [{ namespace: s.metadata?.namespace ?? '', name: svc }] : [];
  };
  const sliceHandler: EventHandler<EndpointSlice> = {
    create: (e) => {
      if (mirrored(e.object) && tracker.shouldSync(e.object))
        for (const r of ownerKey(e.object)) controller.enqueue(r);
    },
    update: (e) => {
      const { objectOld: prev, objectNew: cur } = e;
      if (prev.metadata?.labels?.[labelServiceName] !== cur.metadata?.labels?.[labelServiceName]) {
        for (const r of [...ownerKey(cur), ...ownerKey(prev)]) controller.enqueue(r);
      } else if (mirrored(prev) !== mirrored(cur) || (mirrored(cur) && tracker.shouldSync(cur))) {
        for (const r of ownerKey(cur)) controller.enqueue(r);
      }
    },
    delete: (e) => {
      if (mirrored(e.object) && tracker.has(e.object) && !tracker.handleDeletion(e.object)) {
        for (const r of ownerKey(e.object)) controller.enqueue(r);
      }
    },
  };
  const mirrorable: Predicate = {
    create: (e) => shouldMirror(e.object as Endpoints),
    update: (e) => shouldMirror(e.objectOld as Endpoints) || shouldMirror(e.objectNew as Endpoints),
    delete: (e) => shouldMirror(e.object as Endpoints),
  };
  // Handlers run only once the controller started, after this assignment.
  const controller: RuntimeController = controllerManagedBy(manager)
    .named('endpointslice_mirroring')
    .for(Endpoints, { predicates: [mirrorable] })
    .watches(Service, serviceHandler as EventHandler)
    .watches(EndpointSlice, sliceHandler as EventHandler)
    .withOptions({ maxConcurrentReconciles: context.concurrency })
    .complete({ reconcile: (r: Request) => syncer.sync(r.namespace, r.name) });
  return controller;
}

export const endpointSliceMirroringController: ControllerDescriptor = {
  name: 'endpointslicemirroring',
  aliases: ['endpointslice-mirroring-controller'],
  concurrencyFlag: 'mirroring-concurrent-service-endpoint-syncs',
  defaultConcurrency: defaultMirroringWorkers,
  register: (context) => void registerEndpointSliceMirroringController(context),
};
