/**
 * `v1.ResourceList` helpers (k8s.io/apimachinery resource + pkg/api/v1/resource style) for the
 * consumers of quantities: LimitRanger, ResourceQuota, the scheduler and the simulated kubelet.
 *
 * A resource list is JSON `{ cpu: "500m", memory: "1Gi" }`; these helpers parse it once into
 * {@link Quantity} values, add and subtract per resource, and compare against limits. Parse
 * errors never throw past {@link parseResourceList}, which reports them per resource.
 */
import { Quantity, tryParseQuantity } from './quantity.js';

/** A parsed resource list. */
export type Resources = Map<string, Quantity>;

/** Result of {@link parseResourceList}: the parsed quantities and the per-key parse errors. */
export interface ParsedResourceList {
  resources: Resources;
  /** `{ key: upstream parse message }` for values that are not quantities. */
  errors: Record<string, string>;
}

/** Parses a JSON resource list; invalid values are left out and reported in `errors`. */
export function parseResourceList(
  list: Record<string, unknown> | undefined | null,
): ParsedResourceList {
  const resources: Resources = new Map();
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(list ?? {})) {
    const q = tryParseQuantity(v);
    if (typeof q === 'string') errors[k] = q;
    else resources.set(k, q);
  }
  return { resources, errors };
}

/** `a + b` per resource (resources missing on one side count as zero). */
export function addResources(a: Resources, b: Resources): Resources {
  const out: Resources = new Map(a);
  for (const [k, q] of b) out.set(k, out.has(k) ? out.get(k)!.add(q) : q);
  return out;
}

/** `a - b` per resource, over the resources of `a`. */
export function subtractResources(a: Resources, b: Resources): Resources {
  const out: Resources = new Map();
  for (const [k, q] of a) out.set(k, b.has(k) ? q.sub(b.get(k)!) : q);
  return out;
}

/** The resources of `usage` that exceed `limit` (only resources present in `limit` count). */
export function exceededResources(usage: Resources, limit: Resources): string[] {
  const out: string[] = [];
  for (const [k, max] of limit) {
    const used = usage.get(k);
    if (used && used.cmp(max) > 0) out.push(k);
  }
  return out.sort();
}

/** Back to JSON, in canonical form and key order. */
export function formatResources(r: Resources): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...r.keys()].sort()) out[k] = r.get(k)!.toString();
  return out;
}

/** A zero quantity, e.g. for initialising usage. */
export function zeroQuantity(): Quantity {
  return Quantity.fromInt(0);
}
