/**
 * The ResourceQuota admission plugin (upstream `admission/plugin/resourcequota`): a write that
 * would take a namespace's usage over a ResourceQuota's `status.hard` is refused, and an admitted
 * one is charged to the quota's `status.used` before the object is stored.
 *
 * Contract with the quota controller (controllers/, another component): the controller keeps
 * `status.hard = spec.hard` and recomputes `status.used` from the stored objects (measured with
 * `quotausage.ts`); this plugin only adds to `status.used`. A quota the controller has not synced
 * yet (no `status.hard`) constrains nothing, as upstream; one whose `status.used` lacks a tracked
 * resource refuses with `status unknown for quota: q, resources: pods`. Usage freed by deletes is
 * given back only by the controller's recomputation.
 *
 * Errors (403, upstream's words): `exceeded quota: q, requested: pods=1, used: pods=2, limited:
 * pods=2`; `failed quota: q: must specify limits.cpu for: nginx` (a quota on cpu or memory needs
 * every container to state it). Dry-run requests are checked but not charged. Only writes of the
 * main resource count (not `/status` or other subresources).
 */
import { Quantity } from '../registry/quantity/index.js';
import type { KubeObject } from '../registry/types.js';
import { admissionForbidden } from './errors.js';
import type { AdmissionLookup } from './lookup.js';
import {
  evaluatorFor,
  parseQuotaList,
  quotaScopeSelectors,
  type QuotaEvaluator,
  type Usage,
} from './quotausage.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

type Obj = Record<string, unknown>;

const quotas = { group: '', resource: 'resourcequotas' };

/** `a=1,b=2` in key order (upstream `prettyPrint`). */
function pretty(u: Usage): string {
  return [...u.keys()]
    .sort()
    .map((k) => `${k}=${u.get(k)!.toString()}`)
    .join(',');
}

const mask = (u: Usage, names: Iterable<string>): Usage => {
  const keep = new Set(names);
  return new Map([...u].filter(([k]) => keep.has(k)));
};

const format = (u: Usage): Record<string, string> =>
  Object.fromEntries([...u.keys()].sort().map((k) => [k, u.get(k)!.toString()]));

/** The usage `obj` adds: its usage, minus the old object's on update (never negative). */
function deltaUsage(ev: QuotaEvaluator, attrs: AdmissionAttributes): Usage {
  const delta = ev.usage(attrs.object!);
  if (attrs.operation === 'UPDATE' && attrs.oldObject) {
    const prev = ev.usage(attrs.oldObject);
    for (const [k, v] of delta) {
      const p = prev.get(k);
      if (p) delta.set(k, v.cmp(p) > 0 ? v.sub(p) : Quantity.fromInt(0));
    }
  }
  for (const [k, v] of delta) if (v.isZero()) delta.delete(k);
  return delta;
}

interface Charge {
  name: string;
  /** The delta restricted to the quota's hard resources. */
  requested: Usage;
}

/**
 * Checks `delta` against one quota's current state; returns the new `status.used` or throws the
 * upstream 403.
 */
function charge(attrs: AdmissionAttributes, quota: KubeObject, requested: Usage): Usage {
  const status = (quota.status ?? {}) as Obj;
  const hard = parseQuotaList(status.hard);
  const used = parseQuotaList(status.used);
  const next = new Map(used);
  for (const [k, v] of requested) next.set(k, next.has(k) ? next.get(k)!.add(v) : v);
  const exceeded = [...requested.keys()].filter((k) => {
    const limit = hard.get(k);
    return limit !== undefined && next.get(k)!.cmp(limit) > 0;
  });
  if (exceeded.length > 0) {
    throw admissionForbidden(
      attrs,
      `exceeded quota: ${quota.metadata?.name ?? ''}, requested: ${pretty(mask(requested, exceeded))}, used: ${pretty(mask(used, exceeded))}, limited: ${pretty(mask(hard, exceeded))}`,
    );
  }
  return next;
}

export function resourceQuotaAdmission(opts: { lookup: AdmissionLookup }): AdmissionPlugin {
  return {
    name: 'ResourceQuota',
    async validate(attrs) {
      if (attrs.subresource !== '' || !attrs.object || attrs.namespace === '') return;
      const ev = evaluatorFor(attrs.resource);
      if (!ev.handles(attrs.operation)) return;
      const all = await opts.lookup.list(quotas, attrs.namespace);
      if (all.length === 0) return;
      const charges: Charge[] = [];
      let delta: Usage | undefined;
      for (const quota of all.sort((a, b) =>
        (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1,
      )) {
        if (!ev.matchesScopes(quotaScopeSelectors(quota), attrs.object)) continue;
        const status = (quota.status ?? {}) as Obj;
        const hardNames = Object.keys((status.hard as Obj | undefined) ?? {});
        const restricted = hardNames.filter((n) => ev.matches(n));
        if (restricted.length === 0) continue;
        const name = quota.metadata?.name ?? '';
        const why = ev.constraints?.(restricted, attrs.object);
        if (why) throw admissionForbidden(attrs, `failed quota: ${name}: ${why}`);
        const used = (status.used as Obj | undefined) ?? {};
        if (restricted.some((r) => used[r] === undefined)) {
          throw admissionForbidden(
            attrs,
            `status unknown for quota: ${name}, resources: ${[...restricted].sort().join(',')}`,
          );
        }
        delta ??= deltaUsage(ev, attrs);
        const requested = mask(delta, hardNames);
        if (requested.size === 0) continue;
        charge(attrs, quota, requested);
        charges.push({ name, requested });
      }
      if (attrs.dryRun) return;
      for (const c of charges) {
        await opts.lookup.updateStatus(quotas, attrs.namespace, c.name, (current) => {
          const next = charge(attrs, current, c.requested);
          const status = (current.status ??= {}) as Obj;
          status.used = { ...((status.used as Obj | undefined) ?? {}), ...format(next) };
          return current;
        });
      }
    },
  };
}
