/**
 * What the mirroring controller writes (upstream `endpointslicemirroring/reconciler.go`,
 * `utils.go`): the EndpointSlices that mirror one Endpoints object, planned against the mirrored
 * slices that exist. See `mirroring.ts` for the rules.
 */
import { isIP } from 'node:net';
import type { EndpointSlice, Endpoints } from '../../framework/index.js';
import {
  leaderElectionAnnotation,
  lastChangeTriggerTimeAnnotation,
} from '../endpoints/defaults.js';
import { repackSubsets, type EndpointAddress } from '../endpoints/repack.js';
import {
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
