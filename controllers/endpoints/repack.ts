/**
 * Upstream `RepackSubsets` (`pkg/api/v1/endpoints/util.go`): expands subsets to (port, address)
 * pairs and packs them again in canonical form, so two Endpoints that say the same thing compare
 * equal.
 *
 * - Addresses are de-duplicated by IP and target uid; an address not ready on a port in any
 *   subset is not ready there ("not ready trumps ready").
 * - Ports served by exactly the same addresses (and readiness) share a subset.
 * - Addresses sort by IP then target uid, ports and subsets by their content. (Upstream orders
 *   ports and subsets by an md5 of Go's spew output; kuberx uses the JSON of their content: the
 *   order is canonical, just not byte-identical to upstream's.)
 * - Subsets without ports keep their addresses (a headless service without ports).
 */
import type { Endpoints } from '../../framework/index.js';

export type EndpointSubset = NonNullable<Endpoints['subsets']>[number];
export type EndpointAddress = NonNullable<EndpointSubset['addresses']>[number];
export type EndpointPort = NonNullable<EndpointSubset['ports']>[number];

const noPorts = '\u0000no-ports';

function portKey(p: Readonly<EndpointPort>): string {
  return JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? '']);
}

function addressKey(a: Readonly<EndpointAddress>): string {
  return JSON.stringify([a.ip, a.targetRef?.uid ?? '']);
}

/** Upstream `LessEndpointAddress`: by IP, then target uid (no target first). */
export function compareAddresses(
  a: Readonly<EndpointAddress>,
  b: Readonly<EndpointAddress>,
): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid;
  const ub = b.targetRef?.uid;
  if (ua === ub) return 0;
  if (ub === undefined) return 1;
  if (ua === undefined) return -1;
  return ua < ub ? -1 : 1;
}

export function repackSubsets(subsets: readonly Readonly<EndpointSubset>[]): EndpointSubset[] {
  const allAddrs = new Map<string, EndpointAddress>();
  const ports = new Map<string, { port: EndpointPort | undefined; addrs: Map<string, boolean> }>();
  const note = (
    addr: Readonly<EndpointAddress>,
    port: EndpointPort | undefined,
    ready: boolean,
  ) => {
    const ak = addressKey(addr);
    if (!allAddrs.has(ak)) allAddrs.set(ak, structuredClone(addr) as EndpointAddress);
    const pk = port ? portKey(port) : noPorts;
    let entry = ports.get(pk);
    if (!entry) ports.set(pk, (entry = { port: port && structuredClone(port), addrs: new Map() }));
    const was = entry.addrs.get(ak);
    if (was === undefined || was) entry.addrs.set(ak, ready);
  };
  for (const s of subsets) {
    const list: (EndpointPort | undefined)[] = s.ports?.length ? [...s.ports] : [undefined];
    for (const p of list) {
      for (const a of s.addresses ?? []) note(a, p, true);
      for (const a of s.notReadyAddresses ?? []) note(a, p, false);
    }
  }
  const byAddressSet = new Map<string, { addrs: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, addrs } of ports.values()) {
    const key = JSON.stringify([...addrs.entries()].sort());
    let group = byAddressSet.get(key);
    if (!group) byAddressSet.set(key, (group = { addrs, ports: [] }));
    if (port) group.ports.push(port);
  }
  const out: EndpointSubset[] = [];
  for (const { addrs, ports: groupPorts } of byAddressSet.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [ak, isReady] of addrs) (isReady ? ready : notReady).push(allAddrs.get(ak)!);
    ready.sort(compareAddresses);
    notReady.sort(compareAddresses);
    groupPorts.sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0));
    const subset: EndpointSubset = {};
    if (ready.length) subset.addresses = ready;
    if (notReady.length) subset.notReadyAddresses = notReady;
    if (groupPorts.length) subset.ports = groupPorts;
    out.push(subset);
  }
  const keyOf = (s: EndpointSubset) => JSON.stringify(s);
  return out.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}
