/**
 * Leases (etcd `lease.lessor`): grant with a TTL (raised to the minimum TTL), keep-alive renewals,
 * time-to-live, listing, and expiry. The lessor only keeps time and the key attachments; deleting
 * the keys of a revoked or expired lease is the engine's job (one write transaction, keys in
 * sorted order, like etcd's `Revoke`).
 *
 * Time comes from the injected {@link Clock}. A lease expires `ttl` seconds after its grant or last
 * renewal; at that moment `onExpired(id)` is called once (the engine then revokes it). A lease
 * whose expiry passed is never renewed, even if `onExpired` has not run yet.
 */
import type { Clock, Timer } from '../../common/index.js';
import { maxLeaseTtlSeconds, minLeaseTtlSeconds } from '../defaults.js';
import { errLeaseExist, errLeaseNotFound, errLeaseTtlTooLarge } from './errors.js';
import type { LeaseAttachments } from './kv-store.js';

export interface Lease {
  readonly id: bigint;
  /** Granted TTL in seconds (after the minimum was applied). */
  readonly ttl: number;
  /** Clock time (ms) at which it expires. */
  expiry: number;
  readonly keys: Set<string>;
}

export interface LessorOptions {
  clock: Clock;
  /** Called when a lease's time is up. */
  onExpired: (id: bigint) => void;
  minTtlSeconds?: number;
}

export class Lessor implements LeaseAttachments {
  private readonly leases = new Map<bigint, Lease>();
  private readonly clock: Clock;
  private readonly minTtl: number;
  private readonly onExpired: (id: bigint) => void;
  /** Min-heap on expiry; entries may be stale (checked against the lease when popped). */
  private heap: { at: number; id: bigint }[] = [];
  private timer: Timer | undefined;
  private timerAt = Infinity;
  private lastId = 0n;

  constructor(options: LessorOptions) {
    this.clock = options.clock;
    this.minTtl = options.minTtlSeconds ?? minLeaseTtlSeconds;
    this.onExpired = options.onExpired;
  }

  /**
   * A fresh ID: positive, below 2^53 (so JavaScript numbers hold it exactly), unused, and
   * increasing (clock milliseconds × 256 + a counter, like etcd's request-ID generator).
   */
  newId(): bigint {
    let id = BigInt(this.clock.now()) << 8n;
    if (id <= this.lastId) id = this.lastId + 1n;
    while (id === 0n || this.leases.has(id)) id++;
    this.lastId = id;
    return id;
  }

  /** Validates a grant without applying it; returns the effective TTL. */
  checkGrant(id: bigint, ttlSeconds: number): number {
    if (ttlSeconds > maxLeaseTtlSeconds) throw errLeaseTtlTooLarge();
    if (this.leases.has(id)) throw errLeaseExist();
    return Math.max(ttlSeconds, this.minTtl);
  }

  grant(id: bigint, ttlSeconds: number): Lease {
    const ttl = this.checkGrant(id, ttlSeconds);
    const lease: Lease = { id, ttl, expiry: 0, keys: new Set() };
    this.leases.set(id, lease);
    this.refresh(lease);
    return lease;
  }

  /** Restores a persisted lease with a full TTL (etcd refreshes leases when a leader starts). */
  restore(id: bigint, ttl: number): void {
    const lease: Lease = { id, ttl, expiry: 0, keys: new Set() };
    this.leases.set(id, lease);
    this.refresh(lease);
  }

  lookup(id: bigint): Lease | undefined {
    return this.leases.get(id);
  }

  exists = (id: bigint): boolean => this.leases.has(id);

  /** Removes the lease; returns its keys in byte order (etcd sorts them before deleting). */
  remove(id: bigint): string[] {
    const lease = this.leases.get(id);
    if (!lease) throw errLeaseNotFound();
    this.leases.delete(id);
    return [...lease.keys].sort();
  }

  /** Keep-alive: restarts the countdown; returns the TTL. Expired or unknown → ErrLeaseNotFound. */
  renew(id: bigint): number {
    const lease = this.leases.get(id);
    if (!lease || this.clock.now() >= lease.expiry) throw errLeaseNotFound();
    this.refresh(lease);
    return lease.ttl;
  }

  /** Seconds left (truncated, like etcd), never negative. */
  remainingSeconds(lease: Lease): number {
    return Math.max(0, Math.trunc((lease.expiry - this.clock.now()) / 1000));
  }

  list(): bigint[] {
    return [...this.leases.keys()];
  }

  get size(): number {
    return this.leases.size;
  }

  attach(id: bigint, key: string): void {
    this.leases.get(id)?.keys.add(key);
  }

  detach(id: bigint, key: string): void {
    this.leases.get(id)?.keys.delete(key);
  }

  /** Stops the expiry timer. */
  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private refresh(lease: Lease): void {
    lease.expiry = this.clock.now() + lease.ttl * 1000;
    this.heapPush({ at: lease.expiry, id: lease.id });
    this.arm();
  }

  private arm(): void {
    const next = this.heap[0];
    if (!next || next.at >= this.timerAt) return;
    this.timer?.cancel();
    this.timerAt = next.at;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, next.at - this.clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    const due: bigint[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const { at, id } = this.heapPop()!;
      const lease = this.leases.get(id);
      // Stale entry: renewed since, or already revoked.
      if (lease && lease.expiry === at) due.push(id);
    }
    for (const id of due) if (this.leases.has(id)) this.onExpired(id);
    this.arm();
  }

  private heapPush(item: { at: number; id: bigint }): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.at <= h[i]!.at) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  private heapPop(): { at: number; id: bigint } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.at < h[m]!.at) m = l;
        if (r < h.length && h[r]!.at < h[m]!.at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}
