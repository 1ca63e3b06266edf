/**
 * Zones and their eviction rate limits (upstream `ComputeZoneState`, `handleDisruption`,
 * `RateLimitedTimedQueue` with a token bucket of burst 1).
 *
 * - {@link zoneKey}: region and zone labels (GA or beta) joined as upstream's `GetZoneKey`.
 * - {@link computeZoneState}: FullDisruption when no node is Ready, PartialDisruption when more
 *   than 2 are not Ready and they are at least `unhealthyZoneThreshold` of the zone, else Normal.
 * - {@link TokenBucket}: `qps` tokens per second up to `burst`; starts full; qps 0 never accepts.
 * - {@link RateLimitedTimedQueue}: nodes waiting to be tainted in one zone, in the order they were
 *   added; {@link RateLimitedTimedQueue.try} hands them out while the bucket has tokens.
 */
import type { Clock, Node } from '../../framework/index.js';
import { evictionRateLimiterBurst } from './defaults.js';

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

const zoneLabels = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];
const regionLabels = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];

/** Upstream `GetZoneKey`: `region:\0:zone`, or `''` when the node has neither label. */
export function zoneKey(node: Readonly<Node>): string {
  const labels = node.metadata?.labels ?? {};
  const zone = zoneLabels.map((l) => labels[l]).find(Boolean) ?? '';
  const region = regionLabels.map((l) => labels[l]).find(Boolean) ?? '';
  if (!zone && !region) return '';
  return `${region}:\x00:${zone}`;
}

/** The state of a zone from its nodes' Ready statuses ('True', 'False', 'Unknown' or none). */
export function computeZoneState(
  readyStatuses: readonly (string | undefined)[],
  unhealthyZoneThreshold: number,
): { notReady: number; state: ZoneState } {
  let ready = 0;
  let notReady = 0;
  for (const s of readyStatuses) {
    if (s === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyZoneThreshold) {
    return { notReady, state: 'PartialDisruption' };
  }
  return { notReady, state: 'Normal' };
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    private readonly clock: Clock,
    private readonly burst = evictionRateLimiterBurst,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
  }

  tryAccept(): boolean {
    if (this.qps <= 0) return false;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is available (Infinity when qps is 0). */
  waitMs(): number {
    if (this.qps <= 0) return Infinity;
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.qps) * 1000;
  }
}

interface Entry {
  value: string;
  uid: string;
  processAt: number;
  seq: number;
}

export class RateLimitedTimedQueue {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;
  private limiter: TokenBucket;

  constructor(
    qps: number,
    private readonly clock: Clock,
  ) {
    this.limiter = new TokenBucket(qps, clock);
  }

  get qps(): number {
    return this.limiter.qps;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Adds `value` unless present; true when added. */
  add(value: string, uid: string): boolean {
    if (this.entries.has(value)) return false;
    this.entries.set(value, { value, uid, processAt: this.clock.now(), seq: this.seq++ });
    return true;
  }

  /** Removes `value`; true when it was there. */
  remove(value: string): boolean {
    return this.entries.delete(value);
  }

  has(value: string): boolean {
    return this.entries.has(value);
  }

  /** A new bucket at `qps` (a new bucket starts full), unless the rate is the same. */
  swapLimiter(qps: number): void {
    if (qps === this.limiter.qps) return;
    this.limiter = new TokenBucket(qps, this.clock);
  }

  /**
   * Calls `fn` for due entries in order while the bucket has tokens. `fn` returns true when done
   * with the entry (it is removed), or a delay after which to try it again.
   */
  async try(fn: (value: string, uid: string) => Promise<true | number>): Promise<void> {
    const now = this.clock.now();
    const due = [...this.entries.values()]
      .filter((e) => e.processAt <= now)
      .sort((a, b) => a.processAt - b.processAt || a.seq - b.seq);
    for (const e of due) {
      if (!this.entries.has(e.value)) continue;
      if (!this.limiter.tryAccept()) return;
      const result = await fn(e.value, e.uid);
      if (result === true) this.entries.delete(e.value);
      else if (this.entries.get(e.value) === e) e.processAt = this.clock.now() + result;
    }
  }

  /** Milliseconds until {@link try} could do something (Infinity when empty or stopped). */
  nextTryMs(): number {
    if (this.entries.size === 0) return Infinity;
    const now = this.clock.now();
    let earliest = Infinity;
    for (const e of this.entries.values()) earliest = Math.min(earliest, e.processAt);
    return Math.max(earliest - now, this.limiter.waitMs());
  }
}
