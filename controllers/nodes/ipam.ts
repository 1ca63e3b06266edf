/**
 * Addresses of simulated nodes and their pods.
 *
 * - Node number `i` (1-based) has InternalIP `172.18.<⌊i/250⌋>.<i mod 250 + 2>` and pod CIDR
 *   `10.<64 + ⌊(i-1)/256⌋>.<(i-1) mod 256>.0/24` — deterministic, so a restarted simulator gives
 *   every node the addresses it had.
 * - Pods get host addresses `.2`–`.254` of their node's /24 (`.1` is the node's bridge, as with
 *   kubenet). {@link PodIPAllocator} never hands out an address a live pod of the node holds,
 *   and walks the range round-robin so a freed address is not reused at once.
 */
import { maxNodeNumber, nodeIPPrefix, podCIDRBaseSecondOctet } from './defaults.js';

function checkNumber(i: number): void {
  if (!Number.isInteger(i) || i < 1 || i > maxNodeNumber) {
    throw new RangeError(`node number ${i} is outside 1-${maxNodeNumber}`);
  }
}

/** The pod CIDR of node number `i`. */
export function podCIDRFor(i: number): string {
  checkNumber(i);
  const n = i - 1;
  return `10.${podCIDRBaseSecondOctet + Math.floor(n / 256)}.${n % 256}.0/24`;
}

/** The InternalIP of node number `i`. */
export function nodeIPFor(i: number): string {
  checkNumber(i);
  return `${nodeIPPrefix}.${Math.floor(i / 250)}.${(i % 250) + 2}`;
}

/** First usable pod address offset and last one within a /24. */
const firstHost = 2;
const lastHost = 254;

/** Hands out pod IPs from one node's /24. */
export class PodIPAllocator {
  private readonly prefix: string;
  private readonly reserved = new Set<string>();
  private cursor = firstHost;

  /** `cidr` must be an IPv4 /24 such as `10.64.0.0/24`. */
  constructor(cidr: string) {
    const m = /^(\d+\.\d+\.\d+)\.0\/24$/.exec(cidr);
    if (!m) throw new Error(`pod CIDR ${cidr} is not an IPv4 /24`);
    this.prefix = m[1]!;
  }

  /**
   * A free address, not in `inUse` and not reserved by this allocator; undefined when the range
   * is exhausted. The address stays reserved until {@link release}.
   */
  allocate(inUse: ReadonlySet<string> = new Set()): string | undefined {
    const size = lastHost - firstHost + 1;
    for (let tried = 0; tried < size; tried++) {
      const host = this.cursor;
      this.cursor = host >= lastHost ? firstHost : host + 1;
      const ip = `${this.prefix}.${host}`;
      if (!this.reserved.has(ip) && !inUse.has(ip)) {
        this.reserved.add(ip);
        return ip;
      }
    }
    return undefined;
  }

  /** Marks an address as taken (a pod that already had it before a restart). */
  claim(ip: string): void {
    if (this.contains(ip)) this.reserved.add(ip);
  }

  release(ip: string): void {
    this.reserved.delete(ip);
  }

  contains(ip: string): boolean {
    return ip.startsWith(`${this.prefix}.`);
  }
}
