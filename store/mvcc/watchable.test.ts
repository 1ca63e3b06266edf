import { KvStore } from './kv-store.js';
import type { WatchResponse, WatchSink, Watcher } from './watchable.js';
import { WatchableStore } from './watchable.js';

const noLeases = { attach: () => {}, detach: () => {} };

/** A store with a manual commit point and a manual catch-up loop. */
function setup() {
  const kv = new KvStore(noLeases);
  let committed = kv.currentRevision;
  const queue: (() => void)[] = [];
  const hub = new WatchableStore({
    kv,
    committedRevision: () => committed,
    schedule: (fn) => queue.push(fn),
  });
  const write = (key: string, value = 'v') => {
    const txn = kv.beginWrite();
    txn.put(key, new TextEncoder().encode(value), 0n);
    const changes = txn.end()!;
    committed = changes.revision;
    hub.notify([changes]);
    return changes.revision;
  };
  const runSync = () => {
    while (queue.length) queue.shift()!();
  };
  return { kv, hub, write, runSync };
}

class Sink implements WatchSink {
  responses: WatchResponse[] = [];
  accept = true;
  syncedCount = 0;
  send(_w: Watcher, resp: WatchResponse): boolean {
    this.responses.push(resp);
    return this.accept;
  }
  synced(): void {
    this.syncedCount++;
  }
  revisions(): number[] {
    return this.responses.flatMap((r) =>
      r.kind === 'events' ? r.events.map((e) => e.kv.modRevision) : [],
    );
  }
}

describe('WatchableStore', () => {
  test('a watcher from the past catches up from history, then follows live commits', () => {
    const { hub, write, runSync } = setup();
    for (let i = 0; i < 5; i++) write(`k${i}`);
    const sink = new Sink();
    hub.watch({ key: 'k', end: 'l', startRevision: 3 }, sink);
    write('k9');
    expect(sink.revisions()).toEqual([]); // not synced yet: live events wait for the catch-up
    runSync();
    write('k10');
    expect(sink.revisions()).toEqual([3, 4, 5, 6, 7, 8]);
    expect(sink.syncedCount).toBe(1);
  });

  test('a catching-up watcher gets at most 1000 revisions per response', () => {
    const { hub, write, runSync } = setup();
    for (let i = 0; i < 2500; i++) write('k');
    const sink = new Sink();
    hub.watch({ key: 'k', end: undefined, startRevision: 2 }, sink);
    runSync();
    const sizes = sink.responses.map((r) => (r.kind === 'events' ? r.events.length : 0));
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(sink.revisions()).toEqual(Array.from({ length: 2500 }, (_, i) => i + 2));
  });

  test('a congested consumer is paused and caught up later, without gaps or repeats', () => {
    const { hub, write, runSync } = setup();
    const sink = new Sink();
    const w = hub.watch({ key: 'k', end: undefined, startRevision: 0 }, sink);
    write('k');
    sink.accept = false;
    write('k'); // accepted by the sink, which then reports congestion
    write('k'); // not delivered: paused
    write('k');
    expect(sink.revisions()).toEqual([2, 3]);
    sink.accept = true;
    hub.resume(w);
    runSync();
    write('k');
    expect(sink.revisions()).toEqual([2, 3, 4, 5, 6]);
  });

  test('a paused watcher is not ended by compacting revisions it had no events in', () => {
    const { kv, hub, write, runSync } = setup();
    const sink = new Sink();
    const w = hub.watch({ key: 'mine', end: undefined, startRevision: 0 }, sink);
    write('mine');
    for (let i = 0; i < 5; i++) write('other');
    sink.accept = false;
    hub.requestProgress(w, false);
    write('mine'); // not delivered: paused
    kv.compact(7);
    sink.accept = true;
    hub.resume(w);
    runSync();
    expect(sink.responses.map((r) => r.kind)).toEqual(['events', 'progress', 'events']);
    expect(sink.revisions()).toEqual([2, 8]);
  });

  test('a start revision below the compacted one ends the watcher with compactRevision', () => {
    const { kv, hub, write, runSync } = setup();
    for (let i = 0; i < 5; i++) write('k');
    kv.compact(4);
    const sink = new Sink();
    hub.watch({ key: 'k', end: undefined, startRevision: 2 }, sink);
    runSync();
    expect(sink.responses).toEqual([{ kind: 'compacted', compactRevision: 4, revision: 6 }]);
    expect(hub.size).toBe(0);
  });

  test('a requested progress notification waits until the watcher is synced', () => {
    const { hub, write, runSync } = setup();
    write('k');
    write('k');
    const sink = new Sink();
    const w = hub.watch({ key: 'k', end: undefined, startRevision: 2 }, sink);
    hub.requestProgress(w, true);
    expect(sink.responses).toEqual([]);
    runSync();
    expect(sink.responses.map((r) => r.kind)).toEqual(['events', 'progress']);
    expect(sink.responses[1]).toEqual({ kind: 'progress', revision: 3 });
    // The periodic kind (not deferred) is dropped for an unsynced watcher.
    const late = new Sink();
    const w2 = hub.watch({ key: 'k', end: undefined, startRevision: 2 }, late);
    hub.requestProgress(w2, false);
    runSync();
    expect(late.responses.map((r) => r.kind)).toEqual(['events']);
  });

  test('filters drop puts or deletes', () => {
    const { kv, hub, write } = setup();
    const noPut = new Sink();
    const noDelete = new Sink();
    hub.watch({ key: 'k', end: undefined, startRevision: 0, noPut: true }, noPut);
    hub.watch({ key: 'k', end: undefined, startRevision: 0, noDelete: true }, noDelete);
    write('k');
    const txn = kv.beginWrite();
    txn.deleteRange('k', undefined);
    hub.notify([txn.end()!]);
    const kinds = (s: Sink) =>
      s.responses.flatMap((r) =>
        r.kind === 'events' ? r.events.map((e) => (e.kv.version ? 'put' : 'delete')) : [],
      );
    expect(kinds(noPut)).toEqual(['delete']);
    expect(kinds(noDelete)).toEqual(['put']);
  });
});
