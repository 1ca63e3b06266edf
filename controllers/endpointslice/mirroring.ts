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
import { isIP } from 'node:net';
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
import { repackSubsets, type EndpointAddress } from '../endpoints/repack.js';
import {
  leaderElectionAnnotation,
  lastChangeTriggerTimeAnnotation,
} from '../endpoints/defaults.js';
import type { ControllerContext, ControllerDescriptor } from '../registry.js';
import { isNamespaceTerminating } from '../util/errors.js';
import {
  defaultMirroringWorkers,
  lastAppliedConfigAnnotation,
  labelManagedBy,
  labelServiceName,
  labelSkipMirror,
  mirroringControllerName,
} from './defaults.js';
import {
  EndpointSet,
  endpointsEqualBeyondHash,
  portMapKey,
  type Endpoint,
  type EndpointPort,
} from './endpointset.js';
import { EndpointSliceTracker } from './tracker.js';
import { semanticEqualIgnoringRV } from './util.js';

type AddressType = 'IPv4' | 'IPv6';

/** Upstream `shouldMirror`. */
export function shouldMirror(ep: Readonly<Endpoints> | undefined): boolean {
  if (!ep) return false;
  if (ep.metadata?.labels?.[labelSkipMirror] === 'true') return false;
  return ep.metadata?.annotations?.[leaderElectionAnnotation] === undefined;
}

/**
 * The canonical text of an IP, accepting IPv4 octets with leading zeros as decimal (upstream
 * `ParseIPSloppy`); undefined when it is not an IP.
 */
function canonicalIP(text: string): string | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const octets = text.split('.').map(Number);
    return octets.every((o) => o <= 255) ? octets.join('.') : undefined;
  }
  return isIP(text) === 6 ? text.toLowerCase() : undefined;
}

/** Upstream `addressToEndpoint`: undefined for an invalid IP. */
export function addressToEndpoint(
  address: Readonly<EndpointAddress>,
  ready: boolean,
): { endpoint: Endpoint; addressType: AddressType } | undefined {
  const ip = canonicalIP(address.ip);
  if (!ip) return undefined;
  const family = isIP(ip);
  const endpoint: Endpoint = { addresses: [ip], conditions: { ready } };
  if (address.targetRef)
    endpoint.targetRef = structuredClone(address.targetRef) as Endpoint['targetRef'];
  if (address.nodeName) endpoint.nodeName = address.nodeName;
  if (address.hostname) endpoint.hostname = address.hostname;
  return { endpoint, addressType: family === 6 ? 'IPv6' : 'IPv4' };
}

interface Desired {
  ports: EndpointPort[];
  addressType: AddressType;
  set: EndpointSet;
}

export interface MirrorPlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  invalidAddresses: number;
  skippedAddresses: number;
}

/** The desired slices of `endpoints` against the mirrored ones that exist. */
export function planMirroring(
  endpoints: Readonly<Endpoints>,
  existing: readonly Readonly<EndpointSlice>[],
  maxEndpointsPerSubset: number,
): MirrorPlan {
  const plan: MirrorPlan = {
    create: [],
    update: [],
    delete: [],
    invalidAddresses: 0,
    skippedAddresses: 0,
  };
  const desired = new Map<string, Desired>();
  for (const subset of repackSubsets(endpoints.subsets ?? [])) {
    const ports: EndpointPort[] = (subset.ports ?? []).map((p) => {
      const out: EndpointPort = { name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' };
      if (p.appProtocol) out.appProtocol = p.appProtocol;
      return out;
    });
    const total = (subset.addresses?.length ?? 0) + (subset.notReadyAddresses?.length ?? 0);
    let added = 0;
    const add = (address: EndpointAddress, ready: boolean) => {
      if (added >= maxEndpointsPerSubset) return;
      const converted = addressToEndpoint(address, ready);
      if (!converted) {
        plan.invalidAddresses++;
        return;
      }
      const key = `${converted.addressType}-${portMapKey(ports)}`;
      let d = desired.get(key);
      if (!d)
        desired.set(
          key,
          (d = { ports, addressType: converted.addressType, set: new EndpointSet() }),
        );
      d.set.insert(converted.endpoint);
      added++;
    };
    for (const a of subset.addresses ?? []) add(a, true);
    for (const a of subset.notReadyAddresses ?? []) add(a, false);
    plan.skippedAddresses += total - added;
  }
  const existingByKey = new Map<string, Readonly<EndpointSlice>[]>();
  for (const slice of existing) {
    const key = `${slice.addressType}-${portMapKey(slice.ports)}`;
    existingByKey.set(key, [...(existingByKey.get(key) ?? []), slice]);
  }
  const compareAnnotations = { ...endpoints.metadata?.annotations };
  delete compareAnnotations[lastChangeTriggerTimeAnnotation];
  delete compareAnnotations[lastAppliedConfigAnnotation];
  for (const [key, d] of desired) {
    const slices = existingByKey.get(key) ?? [];
    if (d.set.size === 0) {
      plan.delete.push(...(slices as EndpointSlice[]));
      continue;
    }
    if (slices.length > 0) {
      plan.delete.push(...(slices.slice(1) as EndpointSlice[]));
      const first = slices[0]!;
      const labels = { ...first.metadata?.labels };
      delete labels[labelManagedBy];
      delete labels[labelServiceName];
      if (
        sameEndpoints(first, d.set) &&
        semanticEqualIgnoringRV(endpoints.metadata?.labels ?? {}, labels) &&
        semanticEqualIgnoringRV(compareAnnotations, first.metadata?.annotations ?? {})
      ) {
        continue;
      }
    }
    const slice = newMirroredSlice(endpoints, d.ports, d.addressType, slices[0]);
    const eps = (slice.endpoints ??= []);
    while (d.set.size > 0 && eps.length < maxEndpointsPerSubset) eps.push(d.set.popAny()!);
    (slices.length > 0 ? plan.update : plan.create).push(slice);
  }
  for (const [key, slices] of existingByKey) {
    if (!desired.has(key)) plan.delete.push(...(slices as EndpointSlice[]));
  }
  // Upstream `recycleSlices`: creates become updates of slices about to be deleted.
  while (plan.create.length > 0) {
    const i = plan.delete.findIndex((s) => s.addressType === plan.create.at(-1)!.addressType);
    if (i < 0) break;
    const [victim] = plan.delete.splice(i, 1);
    const slice = plan.create.pop()!;
    slice.metadata = {
      ...slice.metadata,
      name: victim!.metadata?.name,
      resourceVersion: victim!.metadata?.resourceVersion,
    };
    delete slice.metadata.generateName;
    plan.update.push(slice);
  }
  return plan;
}

/** Upstream `totalChanges(...) == 0`: same endpoints, by key and beyond. */
function sameEndpoints(slice: Readonly<EndpointSlice>, set: EndpointSet): boolean {
  const eps = slice.endpoints ?? [];
  if (eps.length !== set.size) return false;
  return eps.every((ep) => {
    const want = set.get(ep);
    return !!want && endpointsEqualBeyondHash(want, ep);
  });
}

function newMirroredSlice(
  endpoints: Readonly<Endpoints>,
  ports: EndpointPort[],
  addressType: AddressType,
  reuse: Readonly<EndpointSlice> | undefined,
): EndpointSlice {
  const name = endpoints.metadata?.name ?? '';
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(endpoints.metadata?.annotations ?? {})) {
    if (k !== lastChangeTriggerTimeAnnotation && k !== lastAppliedConfigAnnotation)
      annotations[k] = v;
  }
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      ...(reuse
        ? { name: reuse.metadata?.name, resourceVersion: reuse.metadata?.resourceVersion }
        : { generateName: name.length + 1 <= 248 ? `${name}-` : name }),
      namespace: endpoints.metadata?.namespace,
      labels: {
        ...endpoints.metadata?.labels,
        [labelServiceName]: name,
        [labelManagedBy]: mirroringControllerName,
      },
      annotations,
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          name,
          uid: endpoints.metadata?.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType,
    ports,
    endpoints: [],
  };
}

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
