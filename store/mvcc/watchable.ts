/**
 * The watch hub (etcd `watchableStore`). A watcher asks for the changes of a key or range from a
 * start revision on. Until it has caught up it is *unsynced* and is fed from the event history in
 * batches of at most 1000 revisions; once caught up it is *synced* and receives each newly
 * committed batch as it is published.
 *
 * Guarantees per watcher: events in revision order, each revision at most once and never split
 * across responses, no revision skipped; a start revision below the compacted one ends the watcher
 * with a `compactRevision` response. Only committed (durable) revisions are ever delivered.
 * A consumer that reports congestion (`send` returns false) is paused and later caught up from the
 * history, so a slow consumer costs memory only for what it already accepted.
 */
import { watchBatchMaxRevisions } from '../defaults.js';
import { inRange } from './keys.js';
import type { KvStore } from './kv-store.js';
import type { ChangeEvent, RevisionChanges } from './types.js';

export interface WatcherSpec {
  key: string;
  /** Normalised range end: undefined = the single key, '' = no upper bound. */
  end: string | undefined;
  /** First revision wanted; 0 = after the current one. */
  startRevision: number;
  noPut?: boolean;
  noDelete?: boolean;
}

export type WatchResponse =
  | { kind: 'events'; events: ChangeEvent[]; revision: number }
  | { kind: 'progress'; revision: number }
  /** The start revision was compacted; the watcher is removed. */
  | { kind: 'compacted'; compactRevision: number; revision: number };

export interface WatchSink {
  /** Delivers a response. Returns false when the consumer is congested (the watcher pauses). */
  send(w: Watcher, resp: WatchResponse): boolean;
  /** The watcher has caught up with the committed revision (optional). */
  synced?(w: Watcher): void;
  /** The hub shut down; nothing more will be sent (optional). */
  closed?(w: Watcher, err: Error): void;
}

export class Watcher {
  /** Next revision to deliver. */
  minRev: number;
  synced = false;
  paused = false;
  closed = false;
  progressRequested = false;

  constructor(
    readonly spec: WatcherSpec,
    readonly sink: WatchSink,
    minRev: number,
  ) {
    this.minRev = minRev;
  }

  matches(e: ChangeEvent): boolean {
    if (!inRange(e.kv.key, this.spec.key, this.spec.end)) return false;
    const isPut = e.kv.version > 0;
    return isPut ? !this.spec.noPut : !this.spec.noDelete;
  }
}

export interface WatchableStoreOptions {
  kv: KvStore;
  /** The newest durable revision: nothing above it is delivered. */
  committedRevision: () => number;
  /** Runs the catch-up loop later; default `setImmediate`. */
  schedule?: (fn: () => void) => void;
}

export class WatchableStore {
  private readonly kv: KvStore;
  private readonly committed: () => number;
  private readonly schedule: (fn: () => void) => void;
  private readonly keyWatchers = new Map<string, Set<Watcher>>();
  private readonly rangeWatchers = new Set<Watcher>();
  private readonly unsynced = new Set<Watcher>();
  private syncScheduled = false;

  constructor(options: WatchableStoreOptions) {
    this.kv = options.kv;
    this.committed = options.committedRevision;
    this.schedule = options.schedule ?? ((fn) => setImmediate(fn));
  }

  /** Number of live watchers. */
  get size(): number {
    let n = this.rangeWatchers.size + this.unsynced.size;
    for (const set of this.keyWatchers.values()) n += set.size;
    return n;
  }

  watch(spec: WatcherSpec, sink: WatchSink): Watcher {
    const committed = this.committed();
    const start = spec.startRevision > 0 ? spec.startRevision : committed + 1;
    const w = new Watcher(spec, sink, start);
    if (start > committed) this.addSynced(w);
    else this.addUnsynced(w);
    return w;
  }

  cancel(w: Watcher): void {
    if (w.closed) return;
    w.closed = true;
    this.removeSynced(w);
    this.unsynced.delete(w);
  }

  /** The consumer drained: catch the paused watcher up from the history. */
  resume(w: Watcher): void {
    if (w.closed || !w.paused) return;
    w.paused = false;
    this.addUnsynced(w);
  }

  isSynced(w: Watcher): boolean {
    return w.synced && !w.paused && !w.closed;
  }

  /**
   * Sends a progress response (the committed revision) when `w` is synced. Otherwise: with
   * `deferred`, sends it as soon as it catches up; without, does nothing (etcd's periodic notify).
   */
  requestProgress(w: Watcher, deferred: boolean): void {
    if (w.closed) return;
    if (this.isSynced(w)) {
      this.deliver(w, { kind: 'progress', revision: this.committed() });
    } else if (deferred) {
      w.progressRequested = true;
    }
  }

  /** Publishes newly committed revisions to the synced watchers. */
  notify(batch: RevisionChanges[]): void {
    if (batch.length === 0) return;
    const revision = batch[batch.length - 1]!.revision;
    const pending = new Map<Watcher, ChangeEvent[]>();
    const add = (w: Watcher, e: ChangeEvent): void => {
      if (e.kv.modRevision < w.minRev || !w.matches(e)) return;
      const list = pending.get(w);
      if (list) list.push(e);
      else pending.set(w, [e]);
    };
    for (const changes of batch) {
      for (const e of changes.events) {
        const set = this.keyWatchers.get(e.kv.key);
        if (set) for (const w of set) add(w, e);
        for (const w of this.rangeWatchers) add(w, e);
      }
    }
    for (const [w, events] of pending) {
      if (w.closed || w.paused) continue;
      w.minRev = revision + 1;
      this.deliver(w, { kind: 'events', events, revision });
    }
  }

  /** Ends every watcher (the store is closing). */
  closeAll(err: Error): void {
    const all = [...this.unsynced, ...this.rangeWatchers];
    for (const set of this.keyWatchers.values()) all.push(...set);
    for (const w of all) {
      this.cancel(w);
      w.sink.closed?.(w, err);
    }
  }

  private deliver(w: Watcher, resp: WatchResponse): void {
    if (!w.sink.send(w, resp) && !w.closed) {
      // A synced watcher has been given everything up to the committed revision (revisions
      // without a matching event included): resume after it, so a compaction meanwhile of
      // revisions it never needed does not end it.
      if (w.synced) w.minRev = Math.max(w.minRev, this.committed() + 1);
      w.paused = true;
      this.removeSynced(w);
      this.unsynced.delete(w);
    }
  }

  private addSynced(w: Watcher): void {
    w.synced = true;
    if (w.spec.end === undefined) {
      let set = this.keyWatchers.get(w.spec.key);
      if (!set) this.keyWatchers.set(w.spec.key, (set = new Set()));
      set.add(w);
    } else {
      this.rangeWatchers.add(w);
    }
  }

  private removeSynced(w: Watcher): void {
    if (!w.synced) return;
    w.synced = false;
    if (w.spec.end === undefined) {
      const set = this.keyWatchers.get(w.spec.key);
      set?.delete(w);
      if (set?.size === 0) this.keyWatchers.delete(w.spec.key);
    } else {
      this.rangeWatchers.delete(w);
    }
  }

  private addUnsynced(w: Watcher): void {
    this.unsynced.add(w);
    if (!this.syncScheduled) {
      this.syncScheduled = true;
      this.schedule(() => this.syncWatchers());
    }
  }

  /** One catch-up round: each unsynced watcher gets up to 1000 revisions. */
  private syncWatchers(): void {
    this.syncScheduled = false;
    const committed = this.committed();
    for (const w of [...this.unsynced]) {
      if (w.closed || w.paused) {
        this.unsynced.delete(w);
        continue;
      }
      const compactRev = this.kv.compactRevision;
      if (w.minRev < compactRev) {
        this.cancel(w);
        w.sink.send(w, { kind: 'compacted', compactRevision: compactRev, revision: committed });
        continue;
      }
      const last = Math.min(committed, w.minRev + watchBatchMaxRevisions - 1);
      const events: ChangeEvent[] = [];
      for (const changes of this.kv.changes(w.minRev, last, watchBatchMaxRevisions)) {
        for (const e of changes.events) if (w.matches(e)) events.push(e);
      }
      w.minRev = Math.max(w.minRev, last + 1);
      const caughtUp = w.minRev > committed;
      if (caughtUp) {
        this.unsynced.delete(w);
        this.addSynced(w);
      }
      if (events.length > 0) this.deliver(w, { kind: 'events', events, revision: committed });
      if (caughtUp && this.isSynced(w)) {
        w.sink.synced?.(w);
        if (w.progressRequested) {
          w.progressRequested = false;
          this.deliver(w, { kind: 'progress', revision: committed });
        }
      }
    }
    if (this.unsynced.size > 0 && !this.syncScheduled) {
      this.syncScheduled = true;
      this.schedule(() => this.syncWatchers());
    }
  }
}
