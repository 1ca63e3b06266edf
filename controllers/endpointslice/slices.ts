/**
 * The pieces EndpointSlices are made of (upstream `k8s.io/endpointslice/utils.go`): the address
 * types of a Service, the ports and endpoint of a pod, a slice's labels and owner, and new slices.
 */
import type { EndpointSlice, Node, Pod, Service } from '../../framework/index.js';
import { labelManagedBy, labelServiceName, labelTopologyZone } from './defaults.js';
import type { Endpoint, EndpointPort } from './endpointset.js';
import {
  findPort,
  isIPv6,
  isPodReady,
  isServiceIPSet,
  podIPs,
  podTargetRef,
  semanticEqualIgnoringRV,
  shouldSetHostname,
} from './util.js';

export type AddressType = 'IPv4' | 'IPv6';

/** Upstream `getAddressTypesForService`. */
export function addressTypesForService(svc: Readonly<Service>): Set<AddressType> {
  const out = new Set<AddressType>();
  for (const family of svc.spec?.ipFamilies ?? []) {
    if (family === 'IPv4' || family === 'IPv6') out.add(family);
  }
  if (out.size > 0) return out;
  const ip = svc.spec?.clusterIP;
  if (ip && ip !== 'None') return new Set([isIPv6(ip) ? 'IPv6' : 'IPv4']);
  return new Set(['IPv4', 'IPv6']);
}

/** Upstream `getEndpointPorts`. */
export function endpointPorts(svc: Readonly<Service>, pod: Readonly<Pod>): EndpointPort[] {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0 && svc.spec?.clusterIP === 'None') return [];
  const out: EndpointPort[] = [];
  for (const sp of ports) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

/** Upstream `podToEndpoint`. */
export function podToEndpoint(
  pod: Readonly<Pod>,
  node: Readonly<Node> | undefined,
  svc: Readonly<Service>,
  addressType: AddressType,
): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata?.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Endpoint = {
    addresses: podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
    targetRef: podTargetRef(pod),
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[labelTopologyZone];
  if (zone) ep.zone = zone;
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec!.hostname;
  return ep;
}

/** Upstream `setEndpointSliceLabels`: the labels a slice should have, and whether they differ. */
export function sliceLabels(
  slice: Readonly<EndpointSlice> | undefined,
  svc: Readonly<Service>,
  controllerName: string,
): { labels: Record<string, string>; changed: boolean } {
  const reserved = new Set([labelServiceName, labelManagedBy, 'service.kubernetes.io/headless']);
  const current: Record<string, string> = {};
  for (const [k, v] of Object.entries(slice?.metadata?.labels ?? {})) {
    if (!reserved.has(k)) current[k] = v;
  }
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata?.labels ?? {})) {
    if (!reserved.has(k)) labels[k] = v;
  }
  const changed = !semanticEqualIgnoringRV(current, labels);
  if (!isServiceIPSet(svc)) labels['service.kubernetes.io/headless'] = '';
  labels[labelServiceName] = svc.metadata?.name ?? '';
  labels[labelManagedBy] = controllerName;
  return { labels, changed };
}

/** Upstream `ownedBy`. */
export function ownedBy(slice: Readonly<EndpointSlice>, svc: Readonly<Service>): boolean {
  return (slice.metadata?.ownerReferences ?? []).some(
    (o) => o.uid === svc.metadata?.uid && o.kind === 'Service' && o.apiVersion === 'v1',
  );
}

/** Upstream `getEndpointSlicePrefix`: `<svc>-` unless that is too long a name. */
function slicePrefix(name: string): string {
  return name.length + 1 <= 253 - 5 ? `${name}-` : name;
}

/** Upstream `newEndpointSlice`. */
export function newEndpointSlice(
  svc: Readonly<Service>,
  ports: EndpointPort[],
  addressType: AddressType,
  controllerName: string,
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(svc.metadata?.name ?? ''),
      namespace: svc.metadata?.namespace,
      labels: sliceLabels(undefined, svc, controllerName).labels,
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: svc.metadata?.name ?? '',
          uid: svc.metadata?.uid ?? '',
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
