/**
 * Exponential backoff with jitter and reset after quiet, as client-go's reflector backs off from an
 * unhealthy API server: 800 ms, ×2 per failure, capped at 30 s, each delay stretched by a random
 * factor in [1, 1 + jitter), and back to the start after 2 minutes without failures.
 */
import type { Clock } from '../../common/index.js';
import {
  defaultBackoffFactor,
  defaultBackoffInitialMs,
  defaultBackoffJitter,
  defaultBackoffMaxMs,
  defaultBackoffResetMs,
} from './defaults.js';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  jitter?: number;
  resetMs?: number;
  clock: Clock;
  /** Random source in [0, 1); inject for deterministic tests. Default `Math.random`. */
  random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly resetMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private currentMs: number;
  private lastAt: number | undefined;

  constructor(options: BackoffOptions) {
    this.initialMs = options.initialMs ?? defaultBackoffInitialMs;
    this.maxMs = options.maxMs ?? defaultBackoffMaxMs;
    this.factor = options.factor ?? defaultBackoffFactor;
    this.jitter = options.jitter ?? defaultBackoffJitter;
    this.resetMs = options.resetMs ?? defaultBackoffResetMs;
    this.clock = options.clock;
    this.random = options.random ?? Math.random;
    this.currentMs = this.initialMs;
  }

  /** The delay before the next attempt (ms); each call counts one more failure. */
  next(): number {
    const now = this.clock.now();
    if (this.lastAt !== undefined && now - this.lastAt >= this.resetMs)
      this.currentMs = this.initialMs;
    this.lastAt = now;
    const base = this.currentMs;
    this.currentMs = Math.min(this.maxMs, this.currentMs * this.factor);
    const jittered = this.jitter > 0 ? base * (1 + this.random() * this.jitter) : base;
    return Math.round(jittered);
  }

  /** Starts over at the initial delay. */
  reset(): void {
    this.currentMs = this.initialMs;
    this.lastAt = undefined;
  }
}
