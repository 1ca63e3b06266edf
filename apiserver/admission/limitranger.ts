/**
 * The LimitRanger admission plugin (upstream `plugin/pkg/admission/limitranger`): enforces the
 * LimitRanges of a namespace on pods (create only: containers are immutable afterwards) and
 * PersistentVolumeClaims (create and update).
 *
 * Mutating: each container (and init container) gets the `default` limits and `defaultRequest`
 * requests of every `type: Container` item for the resources it does not set, and the pod is
 * annotated `kubernetes.io/limit-ranger: "LimitRanger plugin set: cpu request for container x; …"`.
 * Validating, per item type:
 * - Container: every container's request ≥ `min`, limit ≤ `max` (and request ≤ max), limit /
 *   request ≤ `maxLimitRequestRatio`;
 * - Pod: the same on the pod's totals (sum of containers, at least each init container);
 * - PersistentVolumeClaim: `spec.resources.requests` within `min` and `max`.
 * Violations → 403 `<kind> "x" is forbidden: maximum cpu usage per Container is 1, but limit is
 * 2` (several: `[a, b]`), upstream's words. Objects being deleted are never checked.
 */
import type { Quantity } from '../registry/quantity/index.js';
import { tryParseQuantity } from '../registry/quantity/index.js';
import type { KubeObject } from '../registry/types.js';
import * as defaults from './defaults.js';
import { admissionForbidden, aggregate } from './errors.js';
import type { AdmissionLookup } from './lookup.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

type Obj = Record<string, unknown>;
type List = Map<string, Quantity>;

function parse(list: unknown): List {
  const out: List = new Map();
  if (!list || typeof list !== 'object') return out;
  for (const [k, v] of Object.entries(list as Obj)) {
    const q = tryParseQuantity(v);
    if (typeof q !== 'string') out.set(k, q);
  }
  return out;
}

const sorted = (l: List) => [...l.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function minConstraint(type: string, res: string, enforced: Quantity, req: List, lim: List) {
  const r = req.get(res);
  const l = lim.get(res);
  if (!r) return `minimum ${res} usage per ${type} is ${enforced}.  No request is specified`;
  if (r.cmp(enforced) < 0) {
    return `minimum ${res} usage per ${type} is ${enforced}, but request is ${r}`;
  }
  if (l && l.cmp(enforced) < 0) {
    return `minimum ${res} usage per ${type} is ${enforced}, but limit is ${l}`;
  }
  return undefined;
}

function maxConstraint(type: string, res: string, enforced: Quantity, req: List, lim: List) {
  const r = req.get(res);
  const l = lim.get(res);
  if (!l) return `maximum ${res} usage per ${type} is ${enforced}.  No limit is specified`;
  if (l.cmp(enforced) > 0) {
    return `maximum ${res} usage per ${type} is ${enforced}, but limit is ${l}`;
  }
  if (r && r.cmp(enforced) > 0) {
    return `maximum ${res} usage per ${type} is ${enforced}, but request is ${r}`;
  }
  return undefined;
}

function maxRequestConstraint(type: string, res: string, enforced: Quantity, req: List) {
  const r = req.get(res);
  if (!r) return `maximum ${res} usage per ${type} is ${enforced}.  No request is specified`;
  if (r.cmp(enforced) > 0) {
    return `maximum ${res} usage per ${type} is ${enforced}, but request is ${r}`;
  }
  return undefined;
}

function ratioConstraint(type: string, res: string, enforced: Quantity, req: List, lim: List) {
  const r = req.get(res);
  const l = lim.get(res);
  if (!r || r.isZero()) {
    return `${res} max limit to request ratio per ${type} is ${enforced}, but no request is specified or request is 0`;
  }
  if (!l || l.isZero()) {
    return `${res} max limit to request ratio per ${type} is ${enforced}, but no limit is specified or limit is 0`;
  }
  const ratio = Number(l.milliValue()) / Number(r.milliValue());
  if (ratio * 1000 > Number(enforced.milliValue())) {
    return `${res} max limit to request ratio per ${type} is ${enforced}, but provided ratio is ${ratio.toFixed(6)}`;
  }
  return undefined;
}

/** min, max and ratio checks of one LimitRange item against one request/limit pair. */
function checkItem(item: Obj, type: string, req: List, lim: List, out: string[]): void {
  for (const [k, v] of sorted(parse(item.min))) {
    const e = minConstraint(type, k, v, req, lim);
    if (e) out.push(e);
  }
  for (const [k, v] of sorted(parse(item.max))) {
    const e = maxConstraint(type, k, v, req, lim);
    if (e) out.push(e);
  }
  for (const [k, v] of sorted(parse(item.maxLimitRequestRatio))) {
    const e = ratioConstraint(type, k, v, req, lim);
    if (e) out.push(e);
  }
}

const containers = (spec: Obj, key: string): Obj[] =>
  ((spec[key] as Obj[] | undefined) ?? []).filter((c) => c && typeof c === 'object');
const resourcesOf = (c: Obj) => (c.resources ?? {}) as Obj;

/** Pod totals: the containers' sum, raised to any single init container's value. */
export function podTotals(spec: Obj, field: 'requests' | 'limits'): List {
  const total: List = new Map();
  for (const c of containers(spec, 'containers')) {
    for (const [k, v] of parse(resourcesOf(c)[field])) {
      total.set(k, total.has(k) ? total.get(k)!.add(v) : v);
    }
  }
  for (const c of containers(spec, 'initContainers')) {
    for (const [k, v] of parse(resourcesOf(c)[field])) {
      if (!total.has(k) || v.cmp(total.get(k)!) > 0) total.set(k, v);
    }
  }
  return total;
}

function mutatePod(limitRange: KubeObject, pod: KubeObject): void {
  const items = (((limitRange.spec as Obj | undefined)?.limits as Obj[]) ?? []).filter(
    (i) => i && i.type === 'Container',
  );
  const defLimits: Obj = {};
  const defRequests: Obj = {};
  for (const item of items) {
    Object.assign(defRequests, (item.defaultRequest as Obj | undefined) ?? {});
    Object.assign(defLimits, (item.default as Obj | undefined) ?? {});
  }
  const spec = (pod.spec ?? {}) as Obj;
  const notes: string[] = [];
  const merge = (c: Obj, prefix: string) => {
    const setLimits: string[] = [];
    const setRequests: string[] = [];
    const fill = (field: 'limits' | 'requests', from: Obj, record: string[]) => {
      for (const [k, v] of Object.entries(from)) {
        const res = (c.resources ??= {}) as Obj;
        const list = (res[field] ??= {}) as Obj;
        if (list[k] !== undefined) continue;
        list[k] = v;
        record.push(k);
      }
    };
    fill('limits', defLimits, setLimits);
    fill('requests', defRequests, setRequests);
    if (setRequests.length)
      notes.push(`${setRequests.sort().join(', ')} request for ${prefix} ${String(c.name)}`);
    if (setLimits.length)
      notes.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${String(c.name)}`);
  };
  for (const c of containers(spec, 'containers')) merge(c, 'container');
  for (const c of containers(spec, 'initContainers')) merge(c, 'init container');
  if (notes.length) {
    const meta = (pod.metadata ??= {});
    meta.annotations = {
      ...meta.annotations,
      [defaults.limitRangerAnnotation]: `LimitRanger plugin set: ${notes.join('; ')}`,
    };
  }
}

function validatePod(limitRange: KubeObject, pod: KubeObject): string[] {
  const out: string[] = [];
  const spec = (pod.spec ?? {}) as Obj;
  for (const item of ((limitRange.spec as Obj | undefined)?.limits as Obj[]) ?? []) {
    if (!item) continue;
    if (item.type === 'Container') {
      for (const c of [...containers(spec, 'containers'), ...containers(spec, 'initContainers')]) {
        const r = resourcesOf(c);
        checkItem(item, 'Container', parse(r.requests), parse(r.limits), out);
      }
    } else if (item.type === 'Pod') {
      checkItem(item, 'Pod', podTotals(spec, 'requests'), podTotals(spec, 'limits'), out);
    }
  }
  return out;
}

function validateClaim(limitRange: KubeObject, pvc: KubeObject): string[] {
  const out: string[] = [];
  const requests = parse(((pvc.spec as Obj | undefined)?.resources as Obj | undefined)?.requests);
  for (const item of ((limitRange.spec as Obj | undefined)?.limits as Obj[]) ?? []) {
    if (!item || item.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of sorted(parse(item.min))) {
      const e = minConstraint('PersistentVolumeClaim', k, v, requests, new Map());
      if (e) out.push(e);
    }
    for (const [k, v] of sorted(parse(item.max))) {
      const e = maxRequestConstraint('PersistentVolumeClaim', k, v, requests);
      if (e) out.push(e);
    }
  }
  return out;
}

function kindOf(a: AdmissionAttributes): 'pod' | 'pvc' | undefined {
  if (a.resource.group !== '' || a.subresource !== '' || !a.object) return undefined;
  if (a.oldObject?.metadata?.deletionTimestamp) return undefined;
  if (a.resource.resource === 'pods' && a.operation === 'CREATE') return 'pod';
  if (
    a.resource.resource === 'persistentvolumeclaims' &&
    (a.operation === 'CREATE' || a.operation === 'UPDATE')
  ) {
    return 'pvc';
  }
  return undefined;
}

export function limitRanger(opts: { lookup: AdmissionLookup }): AdmissionPlugin {
  const rangesOf = (a: AdmissionAttributes) =>
    opts.lookup.list({ group: '', resource: 'limitranges' }, a.namespace);
  return {
    name: 'LimitRanger',
    async admit(attrs) {
      if (kindOf(attrs) !== 'pod') return;
      for (const lr of await rangesOf(attrs)) mutatePod(lr, attrs.object!);
    },
    async validate(attrs) {
      const kind = kindOf(attrs);
      if (!kind) return;
      for (const lr of await rangesOf(attrs)) {
        const errs =
          kind === 'pod' ? validatePod(lr, attrs.object!) : validateClaim(lr, attrs.object!);
        if (errs.length) throw admissionForbidden(attrs, aggregate(errs));
      }
    },
  };
}
