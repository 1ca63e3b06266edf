/**
 * Expectations (kube-controller-manager `ControllerExpectations`): a controller that creates or
 * deletes many children records how many it expects to see, and skips acting again until the
 * informer has observed them — so it does not create the same children twice while the cache lags.
 *
 * - `satisfied(key)` is true when nothing is expected, when every expected creation and deletion
 *   was observed, or when the record is older than the TTL (5 min by default: a lost event must not
 *   block the controller for ever).
 * - Observations never push counts below zero.
 */
import { realClock, type Clock } from '../../common/index.js';
import { defaultExpectationsTimeoutMs } from './defaults.js';

interface Record {
  adds: number;
  dels: number;
  at: number;
}

export class Expectations {
  private readonly records = new Map<string, Record>();
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(options: { clock?: Clock; ttlMs?: number } = {}) {
    this.clock = options.clock ?? realClock;
    this.ttlMs = options.ttlMs ?? defaultExpectationsTimeoutMs;
  }

  /** Expects `adds` creations and `dels` deletions for `key`, replacing any previous record. */
  setExpectations(key: string, adds: number, dels: number): void {
    this.records.set(key, { adds, dels, at: this.clock.now() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  expectDeletions(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  /** Adds to what is expected (`RaiseExpectations`). */
  raise(key: string, adds: number, dels: number): void {
    const r = this.records.get(key);
    if (!r) return this.setExpectations(key, adds, dels);
    r.adds += adds;
    r.dels += dels;
  }

  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r && r.adds > 0) r.adds--;
  }

  deletionObserved(key: string): void {
    const r = this.records.get(key);
    if (r && r.dels > 0) r.dels--;
  }

  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.adds <= 0 && r.dels <= 0) return true;
    return this.clock.now() - r.at > this.ttlMs;
  }

  /** Forgets `key` (the owner was deleted). */
  delete(key: string): void {
    this.records.delete(key);
  }

  get(key: string): { adds: number; dels: number } | undefined {
    const r = this.records.get(key);
    return r ? { adds: r.adds, dels: r.dels } : undefined;
  }
}
