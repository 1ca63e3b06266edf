/**
 * A set of EndpointSlice endpoints keyed as upstream `EndpointSet` keys them: by sorted addresses,
 * hostname and target namespace/name — so an endpoint whose conditions changed is "the same"
 * endpoint, to be updated in place. Iteration (and {@link EndpointSet.popAny}) follows insertion
 * order.
 */
import type { EndpointSlice } from '../../framework/index.js';

export type Endpoint = NonNullable<EndpointSlice['endpoints']>[number];
export type EndpointPort = NonNullable<EndpointSlice['ports']>[number];

export function endpointKey(ep: Readonly<Endpoint>): string {
  return JSON.stringify([
    [...ep.addresses].sort(),
    ep.hostname ?? '',
    ep.targetRef?.namespace ?? '',
    ep.targetRef?.name ?? '',
  ]);
}

export class EndpointSet {
  private readonly items = new Map<string, Endpoint>();

  insert(ep: Endpoint): void {
    this.items.set(endpointKey(ep), ep);
  }

  get(ep: Readonly<Endpoint>): Endpoint | undefined {
    return this.items.get(endpointKey(ep));
  }

  delete(ep: Readonly<Endpoint>): void {
    this.items.delete(endpointKey(ep));
  }

  popAny(): Endpoint | undefined {
    const first = this.items.entries().next();
    if (first.done) return undefined;
    this.items.delete(first.value[0]);
    return first.value[1];
  }

  get size(): number {
    return this.items.size;
  }
}

/** Upstream `NewPortMapKey`: identifies a set of ports regardless of their order. */
export function portMapKey(ports: readonly Readonly<EndpointPort>[] | undefined): string {
  return JSON.stringify(
    (ports ?? [])
      .map((p) =>
        JSON.stringify([p.name ?? '', p.port ?? 0, p.protocol ?? '', p.appProtocol ?? '']),
      )
      .sort(),
  );
}

/**
 * Upstream `EndpointsEqualBeyondHash`: node, zone, the three conditions and the target (ignoring
 * its resourceVersion) are equal.
 */
export function endpointsEqualBeyondHash(a: Readonly<Endpoint>, b: Readonly<Endpoint>): boolean {
  const c1 = a.conditions ?? {};
  const c2 = b.conditions ?? {};
  const ref = (e: Readonly<Endpoint>) =>
    JSON.stringify([
      e.targetRef?.kind ?? '',
      e.targetRef?.namespace ?? '',
      e.targetRef?.name ?? '',
      e.targetRef?.uid ?? '',
      e.targetRef?.apiVersion ?? '',
      e.targetRef?.fieldPath ?? '',
    ]);
  return (
    (a.nodeName ?? null) === (b.nodeName ?? null) &&
    (a.zone ?? null) === (b.zone ?? null) &&
    (c1.ready ?? null) === (c2.ready ?? null) &&
    (c1.serving ?? null) === (c2.serving ?? null) &&
    (c1.terminating ?? null) === (c2.terminating ?? null) &&
    ref(a) === ref(b)
  );
}
