/**
 * Time, injected. Everything in kuberx that waits, expires or backs off takes a {@link Clock}, so
 * tests drive time with a {@link FakeClock} instead of sleeping.
 */

/** A cancellable timer handle. */
export interface Timer {
  /** Cancels the timer; a no-op when it already fired or was cancelled. */
  cancel(): void;
}

/** The source of time. All durations are milliseconds; `now()` is milliseconds since the epoch. */
export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms` milliseconds (≥ 0). */
  setTimeout(fn: () => void, ms: number): Timer;
  /** Resolves after `ms` milliseconds; rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock. Timers are unref'd so a pending timer never keeps the process alive. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }
}

/** The process-wide real clock; the default wherever a `clock` option is omitted. */
export const realClock: Clock = new RealClock();

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to. `step(ms)` fires every timer due within the step, in due
 * order (ties in creation order), each seeing `now()` equal to its due time. Timers scheduled by a
 * firing timer within the same step also fire. `flush()` lets promise callbacks run between timers.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly pending: PendingTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const timer: PendingTimer = {
      at: this.current + Math.max(0, ms),
      seq: this.seq++,
      fn,
      cancelled: false,
    };
    this.pending.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Number of timers not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.pending.filter((t) => !t.cancelled).length;
  }

  /** Advances time by `ms`, firing due timers synchronously. */
  step(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.current = next.at;
      next.fn();
    }
    this.current = target;
  }

  /**
   * Advances time by `ms` like {@link step}, but yields to the microtask/macrotask queue before
   * each timer and at the end, so code awaiting promises between timers makes progress.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flushPromises();
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.current = next.at;
      next.fn();
      await flushPromises();
    }
    this.current = target;
    await flushPromises();
  }

  private nextDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    let bestIndex = -1;
    this.pending.forEach((t, i) => {
      if (t.cancelled || t.at > limit) return;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) {
        best = t;
        bestIndex = i;
      }
    });
    if (bestIndex >= 0) this.pending.splice(bestIndex, 1);
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i]!.cancelled) this.pending.splice(i, 1);
    }
    return best;
  }
}

/** Lets pending promise callbacks (and one macrotask turn) run. */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
