/**
 * Batched heartbeats for many nodes on one timer.
 *
 * Every registered node has two due times: its Lease renewal (every `renewIntervalMs` ± jitter,
 * 10 s) and its status report (every `reportIntervalMs`, 5 min, or at once after
 * {@link Heartbeats.statusChanged}). One timer wakes at the earliest due time — but never sooner
 * than `batchWindowMs` after the previous wake-up — and sends everything due by then, at most
 * `concurrency` writes at a time. New nodes get renewal times spread over the interval, so N nodes
 * make a steady N/10 writes per second instead of bursts.
 *
 * A failed Lease renewal is retried at the next renewal; a failed status post at the next Lease
 * beat instead of 5 min later. Nodes that are paused (`kuberx.io/simulate: fail`) are skipped but keep their slot.
 * Nothing runs after {@link Heartbeats.stop}.
 */
import { createLogger, type Clock, type Timer } from '../../framework/index.js';
import {
  heartbeatBatchWindowMs,
  heartbeatConcurrency,
  nodeLeaseRenewIntervalMs,
  nodeLeaseRenewJitter,
  nodeStatusReportFrequencyMs,
} from './defaults.js';

const log = createLogger({ component: 'kubelet-heartbeats' });

/** What a heartbeat does for one node; the simulator implements it. */
export interface HeartbeatTarget {
  renewLease(name: string): Promise<void>;
  postStatus(name: string): Promise<void>;
  /** True while the node's kubelet is stopped (no heartbeats). */
  paused(name: string): boolean;
}

export interface HeartbeatOptions {
  clock: Clock;
  renewIntervalMs?: number;
  reportIntervalMs?: number;
  batchWindowMs?: number;
  concurrency?: number;
  /** Source of jitter in [0, 1); default Math.random. */
  random?: () => number;
}

interface Due {
  lease: number;
  status: number;
}

export class Heartbeats {
  private readonly due = new Map<string, Due>();
  private readonly renewMs: number;
  private readonly reportMs: number;
  private readonly windowMs: number;
  private readonly concurrency: number;
  private readonly random: () => number;
  private timer: Timer | undefined;
  private timerAt = Infinity;
  private lastWake = -Infinity;
  private running = false;
  private stopped = false;
  private spread = 0;

  constructor(
    private readonly target: HeartbeatTarget,
    private readonly options: HeartbeatOptions,
  ) {
    this.renewMs = options.renewIntervalMs ?? nodeLeaseRenewIntervalMs;
    this.reportMs = options.reportIntervalMs ?? nodeStatusReportFrequencyMs;
    this.windowMs = options.batchWindowMs ?? heartbeatBatchWindowMs;
    this.concurrency = options.concurrency ?? heartbeatConcurrency;
    this.random = options.random ?? Math.random;
  }

  /**
   * Starts heartbeating `name`, whose Lease was just renewed and status just posted: its first
   * renewal comes at a slot spread over the next interval.
   */
  add(name: string): void {
    const now = this.options.clock.now();
    // Golden-ratio spreading: consecutive nodes land far apart within the interval.
    this.spread = (this.spread + 0.618033988749895) % 1;
    this.due.set(name, {
      lease: now + this.renewMs * (0.5 + this.spread / 2),
      status: now + this.reportMs,
    });
    this.schedule();
  }

  remove(name: string): void {
    this.due.delete(name);
  }

  /** Posts `name`'s status at the next wake-up (its conditions changed). */
  statusChanged(name: string): void {
    const d = this.due.get(name);
    if (!d) return;
    d.status = this.options.clock.now();
    this.schedule();
  }

  /** Renews `name`'s Lease and posts its status at the next wake-up (its kubelet resumed). */
  resume(name: string): void {
    const d = this.due.get(name);
    if (!d) return;
    const now = this.options.clock.now();
    d.lease = now;
    d.status = now;
    this.schedule();
  }

  get size(): number {
    return this.due.size;
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private nextDue(): number {
    let next = Infinity;
    for (const d of this.due.values()) next = Math.min(next, d.lease, d.status);
    return next;
  }

  private schedule(): void {
    if (this.stopped || this.running) return;
    const now = this.options.clock.now();
    const at = Math.max(this.nextDue(), this.lastWake + this.windowMs);
    if (!Number.isFinite(at) || at >= this.timerAt) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.options.clock.setTimeout(() => void this.wake(), at - now);
  }

  private async wake(): Promise<void> {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.stopped) return;
    this.running = true;
    const now = this.options.clock.now();
    this.lastWake = now;
    const horizon = now + this.windowMs;
    const work: Array<() => Promise<void>> = [];
    for (const [name, d] of this.due) {
      const lease = d.lease <= horizon;
      const status = d.status <= horizon;
      if (!lease && !status) continue;
      if (lease)
        d.lease = now + this.renewMs * (1 + nodeLeaseRenewJitter * (this.random() * 2 - 1));
      if (status) d.status = now + this.reportMs;
      if (this.target.paused(name)) continue;
      work.push(async () => {
        if (status && !(await this.attempt('status', name, () => this.target.postStatus(name)))) {
          // A status that did not get through is tried again at the next Lease beat.
          const retry = this.due.get(name);
          if (retry) retry.status = Math.min(retry.status, this.options.clock.now() + this.renewMs);
        }
        if (lease) await this.attempt('lease', name, () => this.target.renewLease(name));
      });
    }
    try {
      await runLimited(work, this.concurrency);
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  private async attempt(what: string, name: string, fn: () => Promise<void>): Promise<boolean> {
    if (this.stopped) return true;
    try {
      await fn();
      return true;
    } catch (err) {
      log.warn({ node: name, err: String(err) }, `node ${what} heartbeat failed`);
      return false;
    }
  }
}

/** Runs `tasks` with at most `limit` in flight. */
export async function runLimited(
  tasks: readonly (() => Promise<void>)[],
  limit: number,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
}
