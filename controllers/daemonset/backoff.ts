/**
 * client-go's `flowcontrol.Backoff` without jitter, as the DaemonSet controller uses it for failed
 * daemon pods (one entry per DaemonSet, generation and node): the first {@link Backoff.next} sets
 * the initial delay, each further one doubles it up to the maximum; an entry untouched for twice
 * the maximum starts over. Times are milliseconds of the injected clock.
 */
interface Entry {
  backoffMs: number;
  lastUpdateMs: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  private expired(entry: Entry, nowMs: number): boolean {
    return nowMs - entry.lastUpdateMs > 2 * this.maxMs;
  }

  /** `Next`: records a failure of `id` at `nowMs`, growing its delay. */
  next(id: string, nowMs: number): void {
    const entry = this.entries.get(id);
    if (!entry || this.expired(entry, nowMs)) {
      this.entries.set(id, { backoffMs: this.initialMs, lastUpdateMs: nowMs });
    } else {
      entry.backoffMs = Math.min(entry.backoffMs * 2, this.maxMs);
      entry.lastUpdateMs = nowMs;
    }
    for (const [key, e] of this.entries) if (this.expired(e, nowMs)) this.entries.delete(key);
  }

  /** `IsInBackOffSinceUpdate`: less than the current delay has passed since the last failure. */
  isInBackOffSinceUpdate(id: string, nowMs: number): boolean {
    const entry = this.entries.get(id);
    if (!entry || this.expired(entry, nowMs)) return false;
    return nowMs - entry.lastUpdateMs < entry.backoffMs;
  }

  /** `Get`: the current delay of `id` (0 when none). */
  get(id: string): number {
    return this.entries.get(id)?.backoffMs ?? 0;
  }
}
