/**
 * Service REST behaviour: ClusterIP allocation from the service CIDR and NodePort allocation from
 * the node-port range, on create and on updates that change the type or the ports; release on
 * delete. A requested IP or port that is taken or out of range is 422 Invalid on
 * `spec.clusterIPs[0]` / `spec.ports[i].nodePort`. Dry runs allocate and release at once, so they
 * report the same errors without keeping anything.
 */
import { CauseType, newInvalid, type FieldError } from '../../common/index.js';
import type { StoreHooks } from '../registry/generic/hooks.js';
import type { KubeObject } from '../registry/types.js';
import { AllocationError, type IPAllocator, type PortAllocator } from './allocators.js';

interface ServicePort {
  name?: string;
  port?: number;
  protocol?: string;
  nodePort?: number;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ports?: ServicePort[];
}

interface Allocation {
  ip?: string;
  ports: number[];
}

const specOf = (obj: KubeObject): ServiceSpec => (obj.spec ??= {}) as ServiceSpec;

function wantsClusterIP(spec: ServiceSpec): boolean {
  return (spec.type ?? 'ClusterIP') !== 'ExternalName' && spec.clusterIP !== 'None';
}

function wantsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

/** What a stored Service holds (to rebuild allocators and compute releases). */
export function allocationOf(obj: KubeObject): Allocation {
  const spec = (obj.spec ?? {}) as ServiceSpec;
  const ip = spec.clusterIP && spec.clusterIP !== 'None' ? spec.clusterIP : undefined;
  const ports = (spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p);
  return { ip, ports };
}

export class ServiceAllocations {
  /** Allocations made for a write in flight, released when it aborts. */
  private readonly pending = new WeakMap<KubeObject, Allocation>();

  constructor(
    readonly ips: IPAllocator,
    readonly nodePorts: PortAllocator,
  ) {}

  /** Records what an existing Service holds (server start). Conflicts are ignored. */
  restore(obj: KubeObject): void {
    const { ip, ports } = allocationOf(obj);
    try {
      if (ip) this.ips.allocate(ip);
    } catch {
      // Out of range (the CIDR changed) or duplicated: leave it.
    }
    for (const p of ports) {
      try {
        this.nodePorts.allocate(p);
      } catch {
        // As above.
      }
    }
  }

  hooks(): StoreHooks {
    return {
      returnDeletedObject: true,
      beforeCreate: (obj, dryRun) => this.allocate(obj, { ports: [] }, dryRun),
      abortCreate: (obj) => this.releasePending(obj),
      beforeUpdate: (obj, old, dryRun) => this.allocate(obj, allocationOf(old), dryRun),
      abortUpdate: (obj) => this.releasePending(obj),
      afterUpdate: (obj, old) => {
        this.pending.delete(obj);
        const now = allocationOf(obj);
        const before = allocationOf(old);
        if (before.ip && before.ip !== now.ip) this.ips.release(before.ip);
        for (const p of before.ports) if (!now.ports.includes(p)) this.nodePorts.release(p);
      },
      afterCreate: (obj) => this.pending.delete(obj),
      afterDelete: (obj) => {
        const { ip, ports } = allocationOf(obj);
        if (ip) this.ips.release(ip);
        for (const p of ports) this.nodePorts.release(p);
      },
    };
  }

  /** Allocates what `obj` needs beyond `held` (what the stored object already has). */
  private allocate(obj: KubeObject, held: Allocation, dryRun: boolean): void {
    const spec = specOf(obj);
    const made: Allocation = { ports: [] };
    const errs: FieldError[] = [];
    try {
      if (wantsClusterIP(spec)) {
        if (!spec.clusterIP) {
          spec.clusterIP = held.ip ?? this.ips.allocateNext();
          if (spec.clusterIP !== held.ip) made.ip = spec.clusterIP;
        } else if (spec.clusterIP !== held.ip) {
          this.ips.allocate(spec.clusterIP);
          made.ip = spec.clusterIP;
        }
        spec.clusterIPs = [spec.clusterIP];
        spec.ipFamilies ??= ['IPv4'];
      }
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      errs.push({
        type: CauseType.FieldValueInvalid,
        field: 'spec.clusterIPs[0]',
        value: spec.clusterIP,
        detail: err.message,
      });
    }
    if (wantsNodePorts(spec)) {
      (spec.ports ?? []).forEach((p, i) => {
        try {
          if (!p.nodePort) {
            p.nodePort = this.nodePorts.allocateNext();
            made.ports.push(p.nodePort);
          } else if (!held.ports.includes(p.nodePort) && !made.ports.includes(p.nodePort)) {
            this.nodePorts.allocate(p.nodePort);
            made.ports.push(p.nodePort);
          }
        } catch (err) {
          if (!(err instanceof AllocationError)) throw err;
          errs.push({
            type: CauseType.FieldValueInvalid,
            field: `spec.ports[${i}].nodePort`,
            value: p.nodePort,
            detail: err.message,
          });
        }
      });
    }
    if (errs.length > 0 || dryRun) this.release(made);
    else this.pending.set(obj, made);
    if (errs.length > 0) {
      throw newInvalid({ group: '', kind: 'Service' }, obj.metadata?.name ?? '', errs);
    }
  }

  private releasePending(obj: KubeObject): void {
    const made = this.pending.get(obj);
    if (!made) return;
    this.pending.delete(obj);
    this.release(made);
  }

  private release(a: Allocation): void {
    if (a.ip) this.ips.release(a.ip);
    for (const p of a.ports) this.nodePorts.release(p);
  }
}
