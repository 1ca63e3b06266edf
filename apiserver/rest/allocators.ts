/**
 * Service ClusterIP and NodePort allocation (upstream `ipallocator` and `portallocator`): a set of
 * taken values over a range, random allocation of a free value, and explicit allocation of a
 * requested one. Errors are worded as upstream's (`provided IP is already allocated`, …).
 *
 * The allocators keep their state in memory; the server rebuilds it from the stored Services at
 * start. (Upstream persists a bitmap in etcd so that several API servers agree; one kuberx API
 * server per store is assumed.)
 */
import { randomInt } from 'node:crypto';

export class AllocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AllocationError';
  }
}

function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** IPv4 addresses of a CIDR, without the network and broadcast addresses. */
export class IPAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();

  constructor(readonly cidr: string) {
    const [addr, bitsText] = cidr.split('/');
    const net = ipToNumber(addr ?? '');
    const bits = Number(bitsText);
    if (net === undefined || !Number.isInteger(bits) || bits < 1 || bits > 30) {
      throw new Error(`invalid service CIDR ${cidr}`);
    }
    const block = 2 ** (32 - bits);
    this.base = net - (net % block) + 1;
    this.size = block - 2;
  }

  /** The first usable address (the `kubernetes` Service's). */
  first(): string {
    return numberToIp(this.base);
  }

  has(ip: string): boolean {
    const n = ipToNumber(ip);
    return n !== undefined && this.used.has(n);
  }

  /** Marks `ip` taken; throws {@link AllocationError} when it is outside the range or taken. */
  allocate(ip: string): void {
    const n = ipToNumber(ip);
    if (n === undefined || n < this.base || n >= this.base + this.size) {
      throw new AllocationError(
        `failed to allocate IP ${ip}: provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`,
      );
    }
    if (this.used.has(n)) {
      throw new AllocationError(`failed to allocate IP ${ip}: provided IP is already allocated`);
    }
    this.used.add(n);
  }

  /** Takes a free address at random. */
  allocateNext(): string {
    if (this.used.size >= this.size) {
      throw new AllocationError('failed to allocate a serviceIP: range is full');
    }
    let offset = randomInt(this.size);
    while (this.used.has(this.base + offset)) offset = (offset + 1) % this.size;
    this.used.add(this.base + offset);
    return numberToIp(this.base + offset);
  }

  release(ip: string): void {
    const n = ipToNumber(ip);
    if (n !== undefined) this.used.delete(n);
  }
}

/** A port range `[base, base + size)`. */
export class PortAllocator {
  private readonly used = new Set<number>();

  constructor(
    readonly base: number,
    readonly size: number,
  ) {}

  private get rangeText(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }

  allocate(port: number): void {
    if (!Number.isInteger(port) || port < this.base || port >= this.base + this.size) {
      throw new AllocationError(
        `provided port is not in the valid range. The range of valid ports is ${this.rangeText}`,
      );
    }
    if (this.used.has(port)) throw new AllocationError('provided port is already allocated');
    this.used.add(port);
  }

  allocateNext(): number {
    if (this.used.size >= this.size) throw new AllocationError('range is full');
    let offset = randomInt(this.size);
    while (this.used.has(this.base + offset)) offset = (offset + 1) % this.size;
    this.used.add(this.base + offset);
    return this.base + offset;
  }

  has(port: number): boolean {
    return this.used.has(port);
  }

  release(port: number): void {
    this.used.delete(port);
  }
}
