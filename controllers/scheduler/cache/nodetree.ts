/**
 * The order nodes are examined in (upstream `internal/cache/node_tree.go`): nodes are grouped by
 * zone (region + zone labels) and listed round-robin across zones — the first node of each zone,
 * then the second of each, … — so a search that stops early (percentageOfNodesToScore) still sees
 * every zone. Zones keep the order they first appeared in; nodes within a zone keep insertion
 * order.
 */
import type { Node } from '../../../framework/index.js';
import { labelTopologyRegion, labelTopologyZone } from '../defaults.js';

/** `utilnode.GetZoneKey`: `region:\0:zone`, or '' for a node with neither label. */
export function zoneKey(node: Readonly<Node>): string {
  const labels = node.metadata?.labels ?? {};
  const zone = labels[labelTopologyZone] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  const region =
    labels[labelTopologyRegion] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  if (zone === '' && region === '') return '';
  return `${region}:\u0000:${zone}`;
}

export class NodeTree {
  private readonly zones = new Map<string, string[]>();
  private readonly zoneOf = new Map<string, string>();

  get size(): number {
    return this.zoneOf.size;
  }

  /** Adds or moves a node (to a new zone when its zone changed). */
  set(name: string, zone: string): boolean {
    const current = this.zoneOf.get(name);
    if (current === zone) return false;
    if (current !== undefined) this.remove(name);
    this.zoneOf.set(name, zone);
    const list = this.zones.get(zone);
    if (list) list.push(name);
    else this.zones.set(zone, [name]);
    return true;
  }

  remove(name: string): boolean {
    const zone = this.zoneOf.get(name);
    if (zone === undefined) return false;
    this.zoneOf.delete(name);
    const list = this.zones.get(zone)!.filter((n) => n !== name);
    if (list.length > 0) this.zones.set(zone, list);
    else this.zones.delete(zone);
    return true;
  }

  /** Node names, round-robin across zones. */
  list(): string[] {
    const lists = [...this.zones.values()];
    const out: string[] = [];
    for (let i = 0; out.length < this.zoneOf.size; i++) {
      for (const l of lists) if (i < l.length) out.push(l[i]!);
    }
    return out;
  }
}
