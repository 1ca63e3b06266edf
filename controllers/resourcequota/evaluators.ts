/**
 * Quota usage of objects, as upstream's evaluators measure it (`pkg/quota/v1/evaluator/core`,
 * `pkg/quota/v1/generic`). The ResourceQuota admission plugin charges new objects the same way,
 * so the controller's totals and the plugin's increments agree.
 *
 * - pods: `pods`, `count/pods`, `cpu`/`requests.cpu`, `limits.cpu`, the same for memory and
 *   ephemeral-storage, `requests.<extended>`, hugepages. Terminal pods — and pods whose deletion
 *   grace period has passed — count only in `count/pods`. A pod's requests are its containers'
 *   (and sidecars') sum raised to each init container's, plus `spec.overhead`.
 * - services: `services`, `count/services`, `services.loadbalancers`, `services.nodeports`.
 * - persistentvolumeclaims: `persistentvolumeclaims`, `requests.storage`, and both per storage
 *   class (`<class>.storageclass.storage.k8s.io/…`).
 * - every other resource: `count/<resource>[.<group>]`, plus the legacy `configmaps`, `secrets`,
 *   `replicationcontrollers`, `resourcequotas`.
 * Scopes (`Terminating`, `NotTerminating`, `BestEffort`, `NotBestEffort`, `PriorityClass`,
 * `CrossNamespacePodAffinity`) apply to pods; a scoped quota counts nothing else.
 */
import { addResources, parseResourceList, Quantity, type Resources } from '../../common/index.js';
import type { Pod, PersistentVolumeClaim, ResourceQuota, Service } from '../../framework/index.js';
import { isPodTerminal, timeMs } from '../util/pods.js';

export interface ScopeSelector {
  scopeName: string;
  operator: string;
  values?: string[];
}

const one = () => Quantity.fromInt(1);

/** The scope selectors of a quota: `spec.scopes` (as Exists) and `spec.scopeSelector`. */
export function quotaScopeSelectors(quota: Readonly<ResourceQuota>): ScopeSelector[] {
  const out: ScopeSelector[] = (quota.spec?.scopes ?? []).map((s) => ({
    scopeName: s,
    operator: 'Exists',
  }));
  for (const e of quota.spec?.scopeSelector?.matchExpressions ?? []) {
    out.push({ scopeName: e.scopeName, operator: e.operator, values: e.values });
  }
  return out;
}

/** Upstream `QuotaV1Pod`: whether a pod's compute resources count. */
export function podCountsForQuota(pod: Readonly<Pod>, nowMs: number): boolean {
  if (isPodTerminal(pod)) return false;
  const deletion = timeMs(pod.metadata?.deletionTimestamp);
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  if (deletion !== undefined && grace !== undefined && grace !== null) {
    if (nowMs > deletion + grace * 1000) return false;
  }
  return true;
}

type Container = NonNullable<NonNullable<Pod['spec']>['containers']>[number];

function containerList(c: Readonly<Container>, which: 'requests' | 'limits'): Resources {
  return parseResourceList(c.resources?.[which] as Record<string, unknown> | undefined).resources;
}

function maxResources(a: Resources, b: Resources): Resources {
  const out: Resources = new Map(a);
  for (const [k, q] of b) if (!out.has(k) || out.get(k)!.cmp(q) < 0) out.set(k, q);
  return out;
}

/**
 * Upstream `PodRequests`/`PodLimits`: containers and restartable init containers (sidecars) add
 * up; each regular init container (plus the sidecars started before it) raises the total to its
 * own; `spec.overhead` is added to requests, and to the limits that are set.
 */
export function podResources(pod: Readonly<Pod>, which: 'requests' | 'limits'): Resources {
  let total: Resources = new Map();
  for (const c of pod.spec?.containers ?? []) total = addResources(total, containerList(c, which));
  let sidecars: Resources = new Map();
  let initMax: Resources = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = containerList(c, which);
    if (c.restartPolicy === 'Always') {
      sidecars = addResources(sidecars, own);
      initMax = maxResources(initMax, sidecars);
    } else {
      initMax = maxResources(initMax, addResources(own, sidecars));
    }
  }
  total = maxResources(addResources(total, sidecars), initMax);
  const overhead = parseResourceList(
    pod.spec?.overhead as Record<string, unknown> | undefined,
  ).resources;
  // Overhead adds to every request, but only to limits that are set.
  for (const [k, q] of overhead) {
    const current = total.get(k);
    if (current) total.set(k, current.add(q));
    else if (which === 'requests') total.set(k, q);
  }
  return total;
}

/** Upstream `PodUsageFunc`. */
export function podUsage(pod: Readonly<Pod>, nowMs: number): Resources {
  const usage: Resources = new Map([['count/pods', one()]]);
  if (!podCountsForQuota(pod, nowMs)) return usage;
  usage.set('pods', one());
  const requests = podResources(pod, 'requests');
  const limits = podResources(pod, 'limits');
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) {
      usage.set(r, req);
      usage.set(`requests.${r}`, req);
    }
    const lim = limits.get(r);
    if (lim) usage.set(`limits.${r}`, lim);
  }
  for (const [r, q] of requests) {
    if (r.startsWith('hugepages-')) {
      usage.set(r, q);
      usage.set(`requests.${r}`, q);
    } else if (!['cpu', 'memory', 'ephemeral-storage', 'pods'].includes(r) && r.includes('/')) {
      usage.set(`requests.${r}`, q);
    }
  }
  return usage;
}

function isBestEffort(pod: Readonly<Pod>): boolean {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return all.every((c) => {
    for (const which of ['requests', 'limits'] as const) {
      const list = c.resources?.[which] ?? {};
      if ('cpu' in list || 'memory' in list) return false;
    }
    return true;
  });
}

function usesCrossNamespaceAffinity(pod: Readonly<Pod>): boolean {
  const affinity = pod.spec?.affinity;
  const terms = [
    ...(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map(
      (w) => w.podAffinityTerm,
    ),
    ...(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map(
      (w) => w.podAffinityTerm,
    ),
  ];
  return terms.some((t) => (t?.namespaces?.length ?? 0) > 0 || t?.namespaceSelector !== undefined);
}

/** Upstream `podMatchesScopeFunc`. */
export function podMatchesScope(selector: ScopeSelector, pod: Readonly<Pod>): boolean {
  switch (selector.scopeName) {
    case 'Terminating':
      return (pod.spec?.activeDeadlineSeconds ?? -1) >= 0;
    case 'NotTerminating':
      return !((pod.spec?.activeDeadlineSeconds ?? -1) >= 0);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass': {
      const name = pod.spec?.priorityClassName;
      switch (selector.operator) {
        case 'Exists':
          return !!name;
        case 'DoesNotExist':
          return !name;
        case 'In':
          return !!name && (selector.values ?? []).includes(name);
        case 'NotIn':
          return !name || !(selector.values ?? []).includes(name);
        default:
          return false;
      }
    }
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespaceAffinity(pod);
    default:
      return false;
  }
}

/** Upstream service evaluator usage. */
export function serviceUsage(svc: Readonly<Service>): Resources {
  const usage: Resources = new Map([
    ['services', one()],
    ['count/services', one()],
  ]);
  const ports = svc.spec?.ports?.length ?? 0;
  if (svc.spec?.type === 'LoadBalancer') {
    usage.set('services.loadbalancers', one());
    const allocate = svc.spec.allocateLoadBalancerNodePorts !== false;
    usage.set('services.nodeports', Quantity.fromInt(allocate ? ports : 0));
  } else if (svc.spec?.type === 'NodePort') {
    usage.set('services.nodeports', Quantity.fromInt(ports));
  }
  return usage;
}

/** Upstream persistentvolumeclaim evaluator usage. */
export function pvcUsage(pvc: Readonly<PersistentVolumeClaim>): Resources {
  const usage: Resources = new Map([
    ['persistentvolumeclaims', one()],
    ['count/persistentvolumeclaims', one()],
  ]);
  const className =
    pvc.spec?.storageClassName ??
    pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'];
  const prefix = className ? `${className}.storageclass.storage.k8s.io/` : undefined;
  if (prefix) usage.set(`${prefix}persistentvolumeclaims`, one());
  const requested = parseResourceList(
    pvc.spec?.resources?.requests as Record<string, unknown> | undefined,
  ).resources.get('storage');
  const allocated = parseResourceList(
    pvc.status?.allocatedResources as Record<string, unknown> | undefined,
  ).resources.get('storage');
  const storage =
    requested && allocated
      ? requested.cmp(allocated) >= 0
        ? requested
        : allocated
      : (requested ?? allocated);
  if (storage) {
    usage.set('requests.storage', storage);
    if (prefix) usage.set(`${prefix}requests.storage`, storage);
  }
  return usage;
}
