import { FakeClock } from '../../common/index.js';
import type { Backend, CommitBatch, PersistedState } from '../backend/backend.js';
import { MemoryBackend } from '../backend/memory.js';
import { StorageError } from '../storage.js';
import type { WatchResponse } from '../mvcc/watchable.js';
import { Engine } from './engine.js';

const v = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A backend whose commits wait until released, and can fail. */
class GatedBackend implements Backend {
  readonly commitMode = 'tick' as const;
  readonly batches: CommitBatch[] = [];
  private gates: { resolve: () => void; reject: (e: Error) => void }[] = [];
  load(): PersistedState {
    return new MemoryBackend().load();
  }
  commit(batch: CommitBatch): Promise<void> {
    this.batches.push(batch);
    return new Promise((resolve, reject) => this.gates.push({ resolve, reject }));
  }
  release(): void {
    this.gates.shift()?.resolve();
  }
  fail(): void {
    this.gates.shift()?.reject(new Error('disk on fire'));
  }
  get waiting(): number {
    return this.gates.length;
  }
  sizeBytes(): number {
    return 0;
  }
  async close(): Promise<void> {}
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Engine group commit', () => {
  test('writes arriving during a commit form the next batch; acks and reads follow durability', async () => {
    const backend = new GatedBackend();
    const engine = Engine.open({ backend, clock: new FakeClock() });
    const first = engine.put({ key: 'a', value: v('1') });
    await tick();
    expect(backend.batches).toHaveLength(1);
    const more = [engine.put({ key: 'b', value: v('2') }), engine.put({ key: 'c', value: v('3') })];
    let acked = false;
    void first.then(() => (acked = true));
    await tick();
    // Not durable yet: no ack, reads do not see it.
    expect(acked).toBe(false);
    expect(engine.range({ key: 'a' }).kvs).toEqual([]);
    backend.release();
    await first;
    expect(engine.range({ key: 'a' }).kvs).toHaveLength(1);
    // The two writes that queued up are committed together.
    await tick();
    expect(backend.batches).toHaveLength(2);
    expect(backend.batches[1]!.revisions.map((r) => r.revision)).toEqual([3, 4]);
    backend.release();
    expect((await Promise.all(more)).map((r) => r.revision)).toEqual([3, 4]);
    await engine.close();
  });

  test('watchers hear of a write only once it is durable', async () => {
    const backend = new GatedBackend();
    const engine = Engine.open({ backend, clock: new FakeClock() });
    const seen: WatchResponse[] = [];
    engine.watchable.watch(
      { key: 'a', end: undefined, startRevision: 0 },
      { send: (_w, r) => !!seen.push(r) },
    );
    const p = engine.put({ key: 'a', value: v('1') });
    await tick();
    expect(seen).toEqual([]);
    backend.release();
    await p;
    expect(seen.map((r) => r.kind)).toEqual(['events']);
    await engine.close();
  });

  test('a failed commit stops the engine: pending and later calls fail UNAVAILABLE, watches end', async () => {
    const backend = new GatedBackend();
    const engine = Engine.open({ backend, clock: new FakeClock() });
    const ended: Error[] = [];
    engine.watchable.watch(
      { key: 'a', end: undefined, startRevision: 0 },
      { send: () => true, closed: (_w, err) => ended.push(err) },
    );
    const p = engine.put({ key: 'a', value: v('1') });
    await tick();
    backend.fail();
    await expect(p).rejects.toMatchObject({ grpcCode: 14 });
    expect(() => engine.range({ key: 'a' })).toThrow(StorageError);
    await expect(engine.put({ key: 'b', value: v('2') })).rejects.toMatchObject({ grpcCode: 14 });
    expect(ended).toHaveLength(1);
  });

  test('an expired lease deletes all its keys in one revision', async () => {
    const clock = new FakeClock();
    const engine = Engine.open({ backend: new MemoryBackend(), clock });
    const { id } = await engine.leaseGrant(0n, 5);
    for (const k of ['x', 'y', 'z']) await engine.put({ key: k, value: v(k), lease: id });
    const before = engine.revision;
    await clock.advance(5000);
    expect(engine.revision).toBe(before + 1);
    expect(engine.range({ key: '\0', rangeEnd: '\0' }).count).toBe(0);
    expect(engine.leases()).toEqual([]);
    await engine.close();
  });
});
