/**
 * The leader elector (client-go `tools/leaderelection`), on an injected clock.
 *
 * - A candidate acquires the lock when nobody holds it or the holder's lease has expired, i.e. the
 *   record has not changed for `leaseDuration` by **this candidate's** clock (it never compares its
 *   clock with the times written in the record, so clock skew between candidates does not matter,
 *   only clock rate). It retries every `retryPeriod`, jittered by up to 1.2×.
 * - The leader renews every `retryPeriod`; when it cannot renew for `renewDeadline` it stops
 *   leading (`onStoppedLeading`), and must stop acting as leader at once.
 * - On shutdown the leader releases the lock (empty holder, 1 s duration) so a successor takes
 *   over immediately instead of waiting for the lease to expire (`releaseOnCancel`, default true).
 * - Defaults 15 s / 10 s / 2 s; `leaseDuration > renewDeadline > 1.2 × retryPeriod` is enforced.
 *
 * Fencing caveat (as upstream): this does not guarantee that only one candidate acts as leader at
 * a time. A leader that stalls (GC pause, lost network) longer than the lease may still be acting
 * while another has taken over, until it notices at its next renewal. Writes that must never
 * happen twice need their own guard (preconditions on resourceVersion, idempotent operations).
 */
import { createLogger, realClock, type Clock } from '../../common/index.js';
import {
  defaultLeaseDurationMs,
  defaultRenewDeadlineMs,
  defaultRetryPeriodMs,
  jitterFactor,
} from './defaults.js';
import type { LeaderElectionRecord, ResourceLock } from './lock.js';

export interface LeaderCallbacks {
  /** Became leader; `signal` aborts when leadership ends. */
  onStartedLeading(signal: AbortSignal): void;
  /** Always called when the elector stops, even if it never led. */
  onStoppedLeading(): void;
  /** The observed leader changed (including to this candidate). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  lock: ResourceLock;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  releaseOnCancel?: boolean;
  callbacks: LeaderCallbacks;
  clock?: Clock;
  random?: () => number;
  /** Reports leadership changes (for `leader_election_master_status`). */
  onLeadingChange?(leading: boolean): void;
}

const log = createLogger({ component: 'leaderelection' });

export class LeaderElector {
  private readonly lock: ResourceLock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private observed: LeaderElectionRecord | undefined;
  private observedRaw = '';
  private observedTime = 0;
  private reportedLeader = '';

  constructor(private readonly config: LeaderElectionConfig) {
    this.leaseDurationMs = config.leaseDurationMs ?? defaultLeaseDurationMs;
    this.renewDeadlineMs = config.renewDeadlineMs ?? defaultRenewDeadlineMs;
    this.retryPeriodMs = config.retryPeriodMs ?? defaultRetryPeriodMs;
    if (this.leaseDurationMs <= this.renewDeadlineMs) {
      throw new Error('leaseDuration must be greater than renewDeadline');
    }
    if (this.renewDeadlineMs <= jitterFactor * this.retryPeriodMs) {
      throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    }
    if (this.leaseDurationMs < 1) throw new Error('leaseDuration must be greater than zero');
    if (this.renewDeadlineMs < 1) throw new Error('renewDeadline must be greater than zero');
    if (this.retryPeriodMs < 1) throw new Error('retryPeriod must be greater than zero');
    if (!config.lock.identity) throw new Error('Lock identity is empty');
    this.lock = config.lock;
    this.clock = config.clock ?? realClock;
    this.random = config.random ?? Math.random;
  }

  isLeader(): boolean {
    return this.observed?.holderIdentity === this.lock.identity;
  }

  /** The identity of the leader last observed ('' when none). */
  getLeader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  /**
   * Campaigns until `signal` aborts, leads while it can, and resolves when it stopped leading (or
   * was aborted before winning). Run it again to campaign again.
   */
  async run(signal: AbortSignal): Promise<void> {
    try {
      if (!(await this.acquire(signal))) return;
      const leading = new AbortController();
      this.config.onLeadingChange?.(true);
      this.config.callbacks.onStartedLeading(leading.signal);
      await this.renew(signal);
      leading.abort(new Error('leadership lost'));
      this.config.onLeadingChange?.(false);
      if (signal.aborted && (this.config.releaseOnCancel ?? true)) await this.release();
    } finally {
      this.config.callbacks.onStoppedLeading();
    }
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    log.info({ lock: this.lock.describe() }, 'attempting to acquire leader lease');
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) {
        log.info({ lock: this.lock.describe() }, 'successfully acquired lease');
        return true;
      }
      const wait = this.retryPeriodMs * (1 + this.random() * jitterFactor);
      if (!(await this.sleep(wait, signal))) return false;
    }
    return false;
  }

  private async renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const deadline = this.clock.now() + this.renewDeadlineMs;
      let renewed = false;
      while (!signal.aborted && this.clock.now() < deadline) {
        renewed = await this.withDeadline(this.tryAcquireOrRenew(), deadline);
        if (renewed) break;
        if (
          !(await this.sleep(Math.min(this.retryPeriodMs, deadline - this.clock.now()), signal))
        ) {
          return;
        }
      }
      if (signal.aborted) return;
      if (!renewed) {
        log.info(
          { lock: this.lock.describe() },
          'failed to renew lease: timed out waiting for the condition',
        );
        return;
      }
      if (!(await this.sleep(this.retryPeriodMs, signal))) return;
    }
  }

  /** client-go `tryAcquireOrRenew`. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const desired: LeaderElectionRecord = {
      holderIdentity: this.lock.identity,
      leaseDurationSeconds: Math.floor(this.leaseDurationMs / 1000),
      renewTime: now,
      acquireTime: now,
      leaderTransitions: 0,
    };
    try {
      // 1. Fast path: the leader updates optimistically from what it observed last.
      if (this.isLeader() && this.isLeaseValid(now)) {
        desired.acquireTime = this.observed!.acquireTime;
        desired.leaderTransitions = this.observed!.leaderTransitions;
        try {
          await this.lock.update(desired);
          this.setObserved(desired, JSON.stringify(desired));
          return true;
        } catch (err) {
          log.debug(
            { err: String(err) },
            'failed to update lock optimistically, falling back to slow path',
          );
        }
      }
      // 2. Read the record, or create it.
      const current = await this.lock.get();
      if (!current) {
        await this.lock.create(desired);
        this.setObserved(desired, JSON.stringify(desired));
        return true;
      }
      // 3. Someone else holds a valid lease?
      if (current.raw !== this.observedRaw) this.setObserved(current.record, current.raw);
      if (current.record.holderIdentity && this.isLeaseValid(now) && !this.isLeader()) return false;
      // 4. Take or keep it.
      if (this.isLeader()) {
        desired.acquireTime = current.record.acquireTime;
        desired.leaderTransitions = current.record.leaderTransitions;
      } else {
        desired.leaderTransitions = current.record.leaderTransitions + 1;
      }
      await this.lock.update(desired);
      this.setObserved(desired, JSON.stringify(desired));
      return true;
    } catch (err) {
      log.warn(
        { err: String(err), lock: this.lock.describe() },
        'error acquiring or renewing the lease',
      );
      return false;
    }
  }

  private async release(): Promise<void> {
    if (!this.isLeader()) return;
    const now = this.clock.now();
    const record: LeaderElectionRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      renewTime: now,
      acquireTime: now,
      leaderTransitions: this.observed!.leaderTransitions,
    };
    try {
      await this.lock.update(record);
      this.setObserved(record, JSON.stringify(record));
    } catch (err) {
      log.warn({ err: String(err) }, 'failed to release lock');
    }
  }

  private isLeaseValid(now: number): boolean {
    return this.observedTime + (this.observed?.leaseDurationSeconds ?? 0) * 1000 > now;
  }

  private setObserved(record: LeaderElectionRecord, raw: string): void {
    this.observed = record;
    this.observedRaw = raw;
    this.observedTime = this.clock.now();
    if (record.holderIdentity !== this.reportedLeader) {
      this.reportedLeader = record.holderIdentity;
      if (record.holderIdentity) this.config.callbacks.onNewLeader?.(record.holderIdentity);
    }
  }

  /** Sleeps on the clock; false when aborted. */
  private async sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await this.clock.sleep(Math.max(0, ms), signal);
      return true;
    } catch {
      return false;
    }
  }

  /** `attempt`, counted as failed when it does not finish by `deadline` on the clock. */
  private withDeadline(attempt: Promise<boolean>, deadline: number): Promise<boolean> {
    let timer: { cancel(): void } | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = this.clock.setTimeout(() => resolve(false), deadline - this.clock.now());
    });
    return Promise.race([attempt, late]).finally(() => timer?.cancel());
  }
}
