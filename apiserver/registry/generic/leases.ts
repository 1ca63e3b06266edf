/**
 * Storage leases for objects with a TTL (upstream `etcd3.leaseManager`): instead of one lease per
 * write, a lease is reused for writes within a short window, so an object lives between `ttl` and
 * `ttl + window` seconds after its last write. The window is 5% of the TTL, at most 60 s.
 */
import type { Clock } from '../../../common/index.js';
import type { Storage } from '../../../store/index.js';

const reuseFraction = 0.05;
const maxReuseSeconds = 60;

export class LeaseManager {
  private readonly current = new Map<number, { id: number; grantedAt: number }>();
  private readonly pending = new Map<number, Promise<number>>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /** A lease ID for an object that must expire `ttlSeconds` after now; 0 when none is needed. */
  async leaseFor(ttlSeconds: number | undefined): Promise<number> {
    if (!ttlSeconds || ttlSeconds <= 0) return 0;
    const windowSeconds = Math.min(maxReuseSeconds, Math.floor(ttlSeconds * reuseFraction));
    const now = this.clock.now();
    const lease = this.current.get(ttlSeconds);
    if (lease && now - lease.grantedAt <= windowSeconds * 1000) return lease.id;
    const inflight = this.pending.get(ttlSeconds);
    if (inflight) return inflight;
    const grant = this.storage
      .grantLease(ttlSeconds + windowSeconds)
      .then((id) => {
        this.current.set(ttlSeconds, { id, grantedAt: now });
        return id;
      })
      .finally(() => this.pending.delete(ttlSeconds));
    this.pending.set(ttlSeconds, grant);
    return grant;
  }
}
