/**
 * What the Endpoints, EndpointSlice and mirroring controllers share (upstream
 * `k8s.io/endpointslice/util` and `pkg/api/v1/pod`): which pods belong in endpoints, port
 * resolution, service membership of pods, and semantic comparison of endpoint objects.
 */
import type { EventHandler, Pod, Service } from '../../framework/index.js';
import { isPodReady, isPodTerminal } from '../util/pods.js';

export { isPodReady };

/** The pod's IPs (`status.podIPs`, else `status.podIP`). */
export function podIPs(pod: Readonly<Pod>): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length > 0) return ips;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

export function isIPv6(ip: string): boolean {
  return ip.includes(':');
}

/**
 * Upstream `ShouldPodBeInEndpoints`: not terminal, has an IP, and — unless `includeTerminating` —
 * not being deleted.
 */
export function shouldPodBeInEndpoints(pod: Readonly<Pod>, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (podIPs(pod).length === 0) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** Upstream `ShouldSetHostname`: the pod has a hostname and its subdomain is the service. */
export function shouldSetHostname(pod: Readonly<Pod>, svc: Readonly<Service>): boolean {
  return (
    !!pod.spec?.hostname &&
    pod.spec?.subdomain === svc.metadata?.name &&
    svc.metadata?.namespace === pod.metadata?.namespace
  );
}

type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];

/**
 * Upstream `FindPort`: a numeric `targetPort` as is; a named one looked up among the containers'
 * ports (and restartable init containers') with the service port's protocol. Undefined when it
 * cannot be resolved. A missing `targetPort` means the service port itself.
 */
export function findPort(
  pod: Readonly<Pod>,
  servicePort: Readonly<ServicePort>,
): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  const protocol = servicePort.protocol ?? 'TCP';
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const containers = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
  ];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** Upstream `IsServiceIPSet`: a cluster IP other than `None`. */
export function isServiceIPSet(svc: Readonly<Service>): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/** True when the service selects pods (a nil selector selects nothing, not everything). */
export function hasSelector(svc: Readonly<Service>): boolean {
  return svc.spec?.selector !== undefined && svc.spec?.selector !== null;
}

/** Whether the service's selector (a label map) matches `labels`. */
export function serviceSelects(
  svc: Readonly<Service>,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const selector = svc.spec?.selector;
  if (selector === undefined || selector === null) return false;
  const l = labels ?? {};
  return Object.entries(selector).every(([k, v]) => l[k] === v);
}

/** Upstream `GetPodServiceMemberships`: keys of the pod's namespace's services selecting it. */
export function podServiceMemberships(
  services: readonly Readonly<Service>[],
  pod: Readonly<Pod>,
): Set<string> {
  const out = new Set<string>();
  for (const svc of services) {
    if (serviceSelects(svc, pod.metadata?.labels)) {
      out.add(`${svc.metadata?.namespace}/${svc.metadata?.name}`);
    }
  }
  return out;
}

function sameLabels(a?: Record<string, string>, b?: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a![k] === b?.[k]);
}

/**
 * Upstream `podEndpointsChanged`: whether the change may alter existing endpoints (deletion,
 * readiness, IPs), and whether it may alter which services select the pod (labels, hostname,
 * subdomain).
 */
export function podEndpointsChanged(
  oldPod: Readonly<Pod>,
  newPod: Readonly<Pod>,
): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !sameLabels(oldPod.metadata?.labels, newPod.metadata?.labels) ||
    oldPod.spec?.hostname !== newPod.spec?.hostname ||
    oldPod.spec?.subdomain !== newPod.spec?.subdomain;
  const podChanged =
    oldPod.metadata?.deletionTimestamp !== newPod.metadata?.deletionTimestamp ||
    isPodReady(oldPod) !== isPodReady(newPod) ||
    podIPs(oldPod).join(',') !== podIPs(newPod).join(',');
  return { podChanged, labelsChanged };
}

/**
 * Upstream `GetServicesToUpdateOnPodChange`: nothing for a resync (same resourceVersion) or an
 * irrelevant change; the new memberships for a pod change; with label changes, the symmetric
 * difference of old and new memberships (their union when the pod changed too).
 */
export function servicesToUpdateOnPodChange(
  services: readonly Readonly<Service>[],
  oldPod: Readonly<Pod>,
  newPod: Readonly<Pod>,
): Set<string> {
  if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return new Set();
  const { podChanged, labelsChanged } = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return new Set();
  const current = podServiceMemberships(services, newPod);
  if (!labelsChanged) return current;
  const old = podServiceMemberships(services, oldPod);
  if (podChanged) return new Set([...current, ...old]);
  const out = new Set<string>();
  for (const k of current) if (!old.has(k)) out.add(k);
  for (const k of old) if (!current.has(k)) out.add(k);
  return out;
}

/**
 * The pod event handler of the Endpoints and EndpointSlice controllers (upstream `addPod`,
 * `updatePod`, `deletePod`): the keys of the services to sync go to `enqueue`.
 */
export function podServiceHandler(
  servicesIn: (namespace: string | undefined) => readonly Readonly<Service>[],
  enqueue: (serviceKeys: Iterable<string>) => void,
): EventHandler<Pod> {
  const memberships = (pod: Readonly<Pod>) =>
    enqueue(podServiceMemberships(servicesIn(pod.metadata?.namespace), pod));
  return {
    create: (e) => memberships(e.object),
    update: (e) =>
      enqueue(
        servicesToUpdateOnPodChange(
          servicesIn(e.objectNew.metadata?.namespace),
          e.objectOld,
          e.objectNew,
        ),
      ),
    delete: (e) => memberships(e.object),
  };
}

/** The `targetRef` of an endpoint for a pod. */
export function podTargetRef(pod: Readonly<Pod>) {
  return {
    kind: 'Pod',
    namespace: pod.metadata?.namespace,
    name: pod.metadata?.name,
    uid: pod.metadata?.uid,
  };
}

/**
 * Semantic equality as apimachinery's `Semantic.DeepEqual` treats API objects: a missing field
 * equals its zero value (`''`, `[]`, `{}`, `false` is NOT dropped: it is a set pointer), and
 * `targetRef.resourceVersion` is ignored (upstream `semanticIgnoreResourceVersion`).
 */
export function semanticEqualIgnoringRV(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(v: unknown, key?: string): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => normalize(x));
    return items.length ? items : undefined;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      if (key === 'targetRef' && k === 'resourceVersion') continue;
      const n = normalize((v as Record<string, unknown>)[k], k);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (v === '' || v === null) return undefined;
  return v;
}
