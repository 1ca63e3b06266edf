/**
 * Quota usage of one object, as upstream's quota evaluators (`pkg/quota/v1/evaluator/core` and
 * the generic object-count evaluator) measure it. The ResourceQuota admission plugin charges this
 * usage against `status.used`; the quota controller (controllers/) must measure existing objects
 * the same way when it recomputes `status.used`, so both live here, exported.
 *
 * - pods: `pods`, `count/pods`, `cpu`/`requests.cpu`, `limits.cpu`, the same for memory and
 *   ephemeral-storage, `requests.<extended>` and hugepages; a terminal pod (Succeeded, Failed)
 *   only counts `count/pods`. Pod totals are the containers' sum raised to each init container's,
 *   plus `spec.overhead`.
 * - services: `services`, `count/services`, `services.nodeports` (ports of NodePort and
 *   LoadBalancer services), `services.loadbalancers`.
 * - persistentvolumeclaims: `persistentvolumeclaims`, `requests.storage`, and the same per
 *   storage class (`<class>.storageclass.storage.k8s.io/requests.storage`, …).
 * - anything else: `count/<resource>[.<group>]`, plus the legacy names `configmaps`, `secrets`,
 *   `replicationcontrollers`, `resourcequotas`.
 */
import { Quantity, tryParseQuantity } from '../registry/quantity/index.js';
import { podQOSClass } from '../registry/core/pods.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import { podTotals } from './limitranger.js';
import type { AdmissionOperation } from './types.js';

type Obj = Record<string, unknown>;
/** A usage or a quota's hard/used list, parsed. */
export type Usage = Map<string, Quantity>;

export interface QuotaEvaluator {
  /** Whether a write of this operation changes usage (object counts: creates only). */
  handles(op: AdmissionOperation): boolean;
  /** Whether a quota resource name is one this evaluator measures. */
  matches(resourceName: string): boolean;
  usage(obj: KubeObject): Usage;
  /** Whether a quota with these scope selectors applies to `obj` (unscoped: always). */
  matchesScopes(selectors: ScopeSelector[], obj: KubeObject): boolean;
  /** Upstream `Constraints`: why `obj` cannot be charged against `required` resources. */
  constraints?(required: string[], obj: KubeObject): string | undefined;
}

export interface ScopeSelector {
  scopeName: string;
  operator: string;
  values?: string[];
}

const one = () => Quantity.fromInt(1);
const legacyCounts = new Set(['configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas']);

/** `count/<resource>` or `count/<resource>.<group>`. */
export const objectCountName = (group: string, resource: string) =>
  group ? `count/${resource}.${group}` : `count/${resource}`;

/** The scope selectors of a quota: `spec.scopes` (as Exists) plus `spec.scopeSelector`. */
export function quotaScopeSelectors(quota: KubeObject): ScopeSelector[] {
  const spec = (quota.spec ?? {}) as Obj;
  const out: ScopeSelector[] = ((spec.scopes as string[] | undefined) ?? []).map((s) => ({
    scopeName: s,
    operator: 'Exists',
  }));
  const expr = ((spec.scopeSelector as Obj | undefined)?.matchExpressions as Obj[]) ?? [];
  for (const e of expr) {
    out.push({
      scopeName: String(e.scopeName),
      operator: String(e.operator),
      values: e.values as string[] | undefined,
    });
  }
  return out;
}

function parseList(list: unknown): Usage {
  const out: Usage = new Map();
  for (const [k, v] of Object.entries((list as Obj | undefined) ?? {})) {
    const q = tryParseQuantity(v);
    if (typeof q !== 'string') out.set(k, q);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pods
// ---------------------------------------------------------------------------------------------

const podNames = new Set(['pods', 'count/pods', 'cpu', 'memory', 'ephemeral-storage']);
const validationSet = [
  'cpu',
  'memory',
  'requests.cpu',
  'requests.memory',
  'limits.cpu',
  'limits.memory',
];

/** Upstream `podComputeUsageHelper`: quota names for a requests/limits pair. */
function computeUsage(requests: Usage, limits: Usage): Usage {
  const out: Usage = new Map([['pods', one()]]);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) out.set(r, req).set(`requests.${r}`, req);
    const lim = limits.get(r);
    if (lim) out.set(`limits.${r}`, lim);
  }
  for (const [r, q] of requests) {
    if (r.startsWith('hugepages-')) out.set(r, q).set(`requests.${r}`, q);
    else if (r.includes('/') && !r.startsWith('kubernetes.io/')) out.set(`requests.${r}`, q);
  }
  return out;
}

const isTerminating = (pod: KubeObject) => {
  const d = (pod.spec as Obj | undefined)?.activeDeadlineSeconds;
  return typeof d === 'number' && d >= 0;
};

const podEvaluator: QuotaEvaluator = {
  handles: (op) => op === 'CREATE',
  matches: (name) =>
    podNames.has(name) ||
    name.startsWith('requests.') ||
    name.startsWith('limits.') ||
    name.startsWith('hugepages-'),
  usage(pod) {
    const out: Usage = new Map([['count/pods', one()]]);
    const phase = (pod.status as Obj | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return out;
    const spec = (pod.spec ?? {}) as Obj;
    const overhead = parseList(spec.overhead);
    const add = (l: Usage) => {
      for (const [k, v] of overhead) l.set(k, l.has(k) ? l.get(k)!.add(v) : v);
      return l;
    };
    const requests = add(podTotals(spec, 'requests'));
    const limits = add(podTotals(spec, 'limits'));
    for (const [k, v] of computeUsage(requests, limits)) out.set(k, v);
    return out;
  },
  matchesScopes(selectors, pod) {
    const spec = (pod.spec ?? {}) as Obj;
    return selectors.every((s) => {
      switch (s.scopeName) {
        case 'Terminating':
          return isTerminating(pod);
        case 'NotTerminating':
          return !isTerminating(pod);
        case 'BestEffort':
          return podQOSClass(spec) === 'BestEffort';
        case 'NotBestEffort':
          return podQOSClass(spec) !== 'BestEffort';
        case 'PriorityClass': {
          const pc = String(spec.priorityClassName ?? '');
          if (s.operator === 'Exists') return pc !== '';
          if (s.operator === 'DoesNotExist') return pc === '';
          const listed = (s.values ?? []).includes(pc);
          return s.operator === 'In' ? listed : !listed;
        }
        case 'CrossNamespacePodAffinity':
          return usesCrossNamespaceAffinity(spec);
        default:
          return false;
      }
    });
  },
  constraints(required, pod) {
    const wanted = required.filter((r) => validationSet.includes(r));
    if (wanted.length === 0) return undefined;
    const spec = (pod.spec ?? {}) as Obj;
    const missing = new Map<string, string[]>();
    for (const key of ['initContainers', 'containers']) {
      for (const c of (spec[key] as Obj[] | undefined) ?? []) {
        const res = (c.resources ?? {}) as Obj;
        const have = computeUsage(parseList(res.requests), parseList(res.limits));
        for (const r of wanted) {
          if (!have.has(r)) missing.set(r, [...(missing.get(r) ?? []), String(c.name)]);
        }
      }
    }
    if (missing.size === 0) return undefined;
    const parts = [...missing.keys()]
      .sort()
      .map((r) => `${r} for: ${[...new Set(missing.get(r))].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  },
};

function usesCrossNamespaceAffinity(spec: Obj): boolean {
  const affinity = (spec.affinity ?? {}) as Obj;
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = (affinity[kind] ?? {}) as Obj;
    const terms = [
      ...((a.requiredDuringSchedulingIgnoredDuringExecution as Obj[] | undefined) ?? []),
      ...((a.preferredDuringSchedulingIgnoredDuringExecution as Obj[] | undefined) ?? []).map(
        (w) => (w.podAffinityTerm ?? {}) as Obj,
      ),
    ];
    if (terms.some((t) => (t.namespaces as unknown[] | undefined)?.length || t.namespaceSelector)) {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Services, claims, object counts
// ---------------------------------------------------------------------------------------------

const unscoped = (selectors: ScopeSelector[]) => selectors.length === 0;

const serviceEvaluator: QuotaEvaluator = {
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  matches: (n) =>
    ['services', 'count/services', 'services.nodeports', 'services.loadbalancers'].includes(n),
  usage(svc) {
    const spec = (svc.spec ?? {}) as Obj;
    const out: Usage = new Map([
      ['count/services', one()],
      ['services', one()],
    ]);
    const ports = ((spec.ports as unknown[] | undefined) ?? []).length;
    if (spec.type === 'NodePort') out.set('services.nodeports', Quantity.fromInt(ports));
    if (spec.type === 'LoadBalancer') {
      const allocate = spec.allocateLoadBalancerNodePorts !== false;
      out.set('services.nodeports', Quantity.fromInt(allocate ? ports : 0));
      out.set('services.loadbalancers', one());
    }
    return out;
  },
  matchesScopes: unscoped,
};

const classSuffix = '.storageclass.storage.k8s.io/';

const claimEvaluator: QuotaEvaluator = {
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  matches: (n) =>
    ['persistentvolumeclaims', 'count/persistentvolumeclaims', 'requests.storage'].includes(n) ||
    n.includes(classSuffix),
  usage(pvc) {
    const spec = (pvc.spec ?? {}) as Obj;
    const out: Usage = new Map([
      ['count/persistentvolumeclaims', one()],
      ['persistentvolumeclaims', one()],
    ]);
    const cls =
      (spec.storageClassName as string | undefined) ??
      pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ??
      '';
    if (cls) out.set(`${cls}${classSuffix}persistentvolumeclaims`, one());
    const requested = parseList((spec.resources as Obj | undefined)?.requests).get('storage');
    const allocated = parseList((pvc.status as Obj | undefined)?.allocatedResources).get('storage');
    const storage =
      requested && allocated ? (allocated.cmp(requested) > 0 ? allocated : requested) : requested;
    if (storage) {
      out.set('requests.storage', storage);
      if (cls) out.set(`${cls}${classSuffix}requests.storage`, storage);
    }
    return out;
  },
  matchesScopes: unscoped,
};

function objectCountEvaluator(type: ResourceType): QuotaEvaluator {
  const names = [objectCountName(type.group, type.resource)];
  if (type.group === '' && legacyCounts.has(type.resource)) names.push(type.resource);
  return {
    handles: (op) => op === 'CREATE',
    matches: (n) => names.includes(n),
    usage: () => new Map(names.map((n) => [n, one()])),
    matchesScopes: unscoped,
  };
}

/** The evaluator measuring objects of `type`. */
export function evaluatorFor(type: ResourceType): QuotaEvaluator {
  if (type.group === '') {
    if (type.resource === 'pods') return podEvaluator;
    if (type.resource === 'services') return serviceEvaluator;
    if (type.resource === 'persistentvolumeclaims') return claimEvaluator;
  }
  return objectCountEvaluator(type);
}

/** Parses a quota's `status.hard` / `status.used`. */
export function parseQuotaList(list: unknown): Usage {
  return parseList(list);
}
