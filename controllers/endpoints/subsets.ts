/**
 * The desired content of a Service's Endpoints (upstream `syncService` minus the writes):
 * which pods count, ready vs not ready, ports resolved per pod, canonical packing, and the
 * 1000-address cap.
 */
import type { Endpoints, Pod, Service } from '../../framework/index.js';
import { formatTriggerTime } from '../endpointslice/triggertime.js';
import {
  findPort,
  isIPv6,
  isPodReady,
  isServiceIPSet,
  podIPs,
  podTargetRef,
  semanticEqualIgnoringRV,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from '../endpointslice/util.js';
import {
  headlessServiceLabel,
  lastChangeTriggerTimeAnnotation,
  maxCapacity,
  overCapacityAnnotation,
  truncated,
} from './defaults.js';
import {
  repackSubsets,
  type EndpointAddress,
  type EndpointPort,
  type EndpointSubset,
} from './repack.js';

/**
 * Upstream `podToEndpointAddressForService`: the pod's first IP of the service's primary IP family
 * (from `ipFamilies`, else its cluster IP, else — headless — the pod's own IP). Undefined when
 * the pod has no IP of that family.
 */
export function podToEndpointAddress(
  svc: Readonly<Service>,
  pod: Readonly<Pod>,
): EndpointAddress | undefined {
  let ipv6: boolean;
  const families = svc.spec?.ipFamilies ?? [];
  if (families.length > 0) ipv6 = families[0] === 'IPv6';
  else if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') ipv6 = isIPv6(svc.spec.clusterIP);
  else ipv6 = isIPv6(pod.status?.podIP ?? '');
  const ip = podIPs(pod).find((candidate) => isIPv6(candidate) === ipv6);
  if (!ip) return undefined;
  const address: EndpointAddress = {
    ip,
    targetRef: podTargetRef(pod),
  };
  if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
  if (shouldSetHostname(pod, svc)) address.hostname = pod.spec!.hostname;
  return address;
}

/** The Endpoints subsets for `svc` selecting `pods`, repacked, before truncation. */
export function desiredSubsets(
  svc: Readonly<Service>,
  pods: readonly Readonly<Pod>[],
): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const subsets: EndpointSubset[] = [];
  const add = (pod: Readonly<Pod>, address: EndpointAddress, port: EndpointPort | undefined) => {
    const ports = port ? [port] : [];
    if (publishNotReady || isPodReady(pod)) subsets.push({ addresses: [address], ports });
    else subsets.push({ notReadyAddresses: [address], ports });
  };
  const servicePorts = svc.spec?.ports ?? [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = podToEndpointAddress(svc, pod);
    if (!address) continue;
    if (servicePorts.length === 0) {
      // A headless service may have no ports: its pods are listed without ports.
      if (svc.spec?.clusterIP === 'None') add(pod, address, undefined);
      continue;
    }
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      add(pod, address, ep);
    }
  }
  return repackSubsets(subsets);
}

/** Total addresses, ready plus not ready. */
export function countAddresses(subsets: readonly EndpointSubset[]): number {
  return subsets.reduce(
    (n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0),
    0,
  );
}

/**
 * Upstream `truncateEndpoints`: above {@link maxCapacity} addresses, keep ready addresses first
 * and give each subset a share proportional to its size (rounded up, the last one gets what is
 * left). Returns the truncated subsets, or undefined when no truncation was needed.
 */
export function truncateSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] | undefined {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= maxCapacity) return undefined;
  const truncateReady = totalReady > maxCapacity;
  const max = truncateReady ? maxCapacity : maxCapacity - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  return subsets.map((s) => {
    const subset = { ...s };
    const inSubset = truncateReady
      ? (s.addresses?.length ?? 0)
      : (s.notReadyAddresses?.length ?? 0);
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      subset.addresses = (s.addresses ?? []).slice(0, toBeAdded);
      delete subset.notReadyAddresses;
      canBeAdded -= subset.addresses.length;
    } else {
      subset.notReadyAddresses = (s.notReadyAddresses ?? []).slice(0, toBeAdded);
      canBeAdded -= subset.notReadyAddresses.length;
    }
    return subset;
  });
}

/** Upstream `capacityAnnotationSetCorrectly`. */
function capacityAnnotationSetCorrectly(ep: Readonly<Endpoints>): boolean {
  if (countAddresses(ep.subsets ?? []) > maxCapacity) return false;
  return ep.metadata?.annotations?.[overCapacityAnnotation] === undefined;
}

export interface DesiredEndpointsInput {
  service: Readonly<Service>;
  /** From {@link desiredSubsets}. */
  subsets: EndpointSubset[];
  /** The stored Endpoints, if any. */
  current: Readonly<Endpoints> | undefined;
  /** Milliseconds since the epoch, or undefined when nothing changed. */
  triggerTime: number | undefined;
}

/**
 * The Endpoints object to write, or undefined when the stored one is already right (upstream's
 * no-op rule: same subsets ignoring target resourceVersions, same labels, capacity annotation set
 * correctly). Labels are the Service's plus the headless label; the trigger-time and
 * over-capacity annotations are set or removed; subsets above 1000 addresses are truncated.
 */
export function desiredEndpoints(input: DesiredEndpointsInput): Endpoints | undefined {
  const { service, subsets, current, triggerTime } = input;
  const serviceLabels = service.metadata?.labels ?? {};
  if (current) {
    const compareLabels = { ...current.metadata?.labels };
    delete compareLabels[headlessServiceLabel];
    if (
      semanticEqualIgnoringRV(current.subsets ?? [], subsets) &&
      semanticEqualIgnoringRV(compareLabels, serviceLabels) &&
      capacityAnnotationSetCorrectly(current)
    ) {
      return undefined;
    }
  }
  const desired: Endpoints = current
    ? (structuredClone(current) as Endpoints)
    : {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: service.metadata?.name, namespace: service.metadata?.namespace },
      };
  const meta = desired.metadata!;
  const labels: Record<string, string> = { ...serviceLabels };
  if (!isServiceIPSet(service)) labels[headlessServiceLabel] = '';
  meta.labels = labels;
  const annotations = { ...meta.annotations };
  if (triggerTime !== undefined) {
    annotations[lastChangeTriggerTimeAnnotation] = formatTriggerTime(triggerTime);
  } else delete annotations[lastChangeTriggerTimeAnnotation];
  const cut = truncateSubsets(subsets);
  if (cut) annotations[overCapacityAnnotation] = truncated;
  else delete annotations[overCapacityAnnotation];
  meta.annotations = annotations;
  desired.subsets = cut ?? subsets;
  return desired;
}
