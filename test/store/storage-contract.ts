/**
 * The Storage contract, as one suite run against every implementation: the embedded engine (memory
 * and SQLite), the etcd3 client to `kuberx etcd`, and the etcd3 client to a real etcd 3.4.
 *
 * Each test uses its own key prefix, so one store serves the whole suite; assertions on revisions
 * are relative to revisions the test observed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Storage, Watch, WatchBatch, WatchEvent, WatchOptions } from '../../store/index.js';
import { CompactedError, FutureRevisionError } from '../../store/index.js';

export interface StorageHarness {
  storage: Storage;
  /**
   * Lets `ms` of store time pass: a fake clock steps; a real store is simply waited for (then the
   * tests poll for the effect).
   */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
export const bytes = (s: string): Uint8Array => enc.encode(s);
export const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : dec.decode(b);

/** Polls `check` until it returns true (a real peer needs real time; jest's timeout bounds it). */
export async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await sleep(5);
}

/** A watch that records everything it is given. */
export class Recorder {
  batches: WatchBatch[] = [];
  errors: Error[] = [];
  watch!: Watch;

  static start(storage: Storage, options: WatchOptions): Recorder {
    const r = new Recorder();
    r.watch = storage.watch(options, {
      onBatch: (b) => r.batches.push(b),
      onError: (e) => r.errors.push(e),
    });
    return r;
  }

  get events(): WatchEvent[] {
    return this.batches.flatMap((b) => b.events);
  }

  summary(): string[] {
    return this.events.map(
      (e) =>
        `${e.type} ${e.kv.key} ${text(e.kv.value)} @${e.kv.modRevision}` +
        (e.prevKv ? ` prev=${text(e.prevKv.value)}` : ''),
    );
  }
}

export function describeStorageContract(name: string, open: () => Promise<StorageHarness>): void {
  describe(`Storage contract: ${name}`, () => {
    let h: StorageHarness;
    let s: Storage;
    let n = 0;
    /** A fresh key prefix per test. */
    let p: string;

    beforeAll(async () => {
      h = await open();
      s = h.storage;
    });
    afterAll(async () => {
      await h?.close();
    });
    beforeEach(() => {
      p = `/contract/${process.pid}/${++n}/`;
    });

    test('a store reports a positive current revision', async () => {
      expect(await s.currentRevision()).toBeGreaterThanOrEqual(1);
    });

    test('create writes version 1 with createRevision = modRevision = the new revision', async () => {
      const before = await s.currentRevision();
      const r = await s.create(`${p}a`, bytes('one'));
      expect(r.succeeded).toBe(true);
      if (!r.succeeded) return;
      expect(r.revision).toBeGreaterThan(before);
      expect(r.kv).toMatchObject({
        key: `${p}a`,
        createRevision: r.revision,
        modRevision: r.revision,
        version: 1,
        lease: 0,
      });
      expect(text(r.kv.value)).toBe('one');
      const got = await s.get(`${p}a`);
      expect(text(got.kv?.value)).toBe('one');
      expect(got.revision).toBeGreaterThanOrEqual(r.revision);
    });

    test('create of an existing key fails and returns the current value', async () => {
      await s.create(`${p}a`, bytes('one'));
      const r = await s.create(`${p}a`, bytes('two'));
      expect(r.succeeded).toBe(false);
      if (r.succeeded) return;
      expect(text(r.current?.value)).toBe('one');
      expect(text((await s.get(`${p}a`)).kv?.value)).toBe('one');
    });

    test('update with the current modRevision bumps version and keeps createRevision', async () => {
      const c = await s.create(`${p}a`, bytes('one'));
      if (!c.succeeded) throw new Error('create failed');
      const u = await s.update(`${p}a`, bytes('two'), c.kv.modRevision);
      expect(u.succeeded).toBe(true);
      if (!u.succeeded) return;
      expect(u.kv.version).toBe(2);
      expect(u.kv.createRevision).toBe(c.kv.createRevision);
      expect(u.kv.modRevision).toBe(u.revision);
      expect(u.revision).toBeGreaterThan(c.revision);
    });

    test('update with a stale modRevision fails with 409-style current value and no new revision', async () => {
      const c = await s.create(`${p}a`, bytes('one'));
      if (!c.succeeded) throw new Error('create failed');
      await s.update(`${p}a`, bytes('two'), c.kv.modRevision);
      const before = await s.currentRevision();
      const stale = await s.update(`${p}a`, bytes('three'), c.kv.modRevision);
      expect(stale.succeeded).toBe(false);
      if (stale.succeeded) return;
      expect(text(stale.current?.value)).toBe('two');
      expect(stale.revision).toBe(before);
    });

    test('update of a missing key fails without current', async () => {
      const r = await s.update(`${p}missing`, bytes('x'), 5);
      expect(r).toMatchObject({ succeeded: false });
      if (!r.succeeded) expect(r.current).toBeUndefined();
    });

    test('delete with the current modRevision removes the key and returns prevKv', async () => {
      const c = await s.create(`${p}a`, bytes('one'));
      if (!c.succeeded) throw new Error('create failed');
      const d = await s.delete(`${p}a`, c.kv.modRevision);
      expect(d.succeeded).toBe(true);
      if (!d.succeeded) return;
      expect(text(d.prevKv.value)).toBe('one');
      expect(d.revision).toBeGreaterThan(c.revision);
      expect((await s.get(`${p}a`)).kv).toBeUndefined();
    });

    test('delete with a stale modRevision fails and leaves the key', async () => {
      const c = await s.create(`${p}a`, bytes('one'));
      if (!c.succeeded) throw new Error('create failed');
      await s.update(`${p}a`, bytes('two'), c.kv.modRevision);
      const d = await s.delete(`${p}a`, c.kv.modRevision);
      expect(d.succeeded).toBe(false);
      if (!d.succeeded) expect(text(d.current?.value)).toBe('two');
      expect(text((await s.get(`${p}a`)).kv?.value)).toBe('two');
    });

    test('an unconditional delete removes an existing key and reports a missing one', async () => {
      await s.create(`${p}a`, bytes('one'));
      expect((await s.delete(`${p}a`)).succeeded).toBe(true);
      expect((await s.delete(`${p}a`)).succeeded).toBe(false);
    });

    test('a recreated key starts a new incarnation with version 1', async () => {
      const c1 = await s.create(`${p}a`, bytes('one'));
      await s.delete(`${p}a`);
      const c2 = await s.create(`${p}a`, bytes('again'));
      if (!c1.succeeded || !c2.succeeded) throw new Error('create failed');
      expect(c2.kv.version).toBe(1);
      expect(c2.kv.createRevision).toBeGreaterThan(c1.kv.createRevision);
    });

    test('the revision grows by exactly one per successful write and not on failed ones', async () => {
      const r0 = await s.currentRevision();
      const c = await s.create(`${p}a`, bytes('1'));
      await s.create(`${p}a`, bytes('dup')); // fails
      if (!c.succeeded) throw new Error('create failed');
      const u = await s.update(`${p}a`, bytes('2'), c.kv.modRevision);
      if (!u.succeeded) throw new Error('update failed');
      // The suite owns its store and runs serially: nobody else writes in between.
      expect(c.revision).toBe(r0 + 1);
      expect(u.revision).toBe(c.revision + 1);
      const again = await s.update(`${p}a`, bytes('x'), c.kv.modRevision);
      expect(again.succeeded).toBe(false);
      expect(await s.currentRevision()).toBe(u.revision);
    });

    test('get at an older revision returns the value as of then', async () => {
      const c = await s.create(`${p}a`, bytes('old'));
      if (!c.succeeded) throw new Error('create failed');
      await s.update(`${p}a`, bytes('new'), c.kv.modRevision);
      expect(text((await s.get(`${p}a`, { revision: c.revision })).kv?.value)).toBe('old');
      expect((await s.get(`${p}a`, { revision: c.revision - 1 })).kv).toBeUndefined();
    });

    test('get above the current revision rejects with FutureRevisionError', async () => {
      const rev = await s.currentRevision();
      await expect(s.get(`${p}a`, { revision: rev + 1000 })).rejects.toBeInstanceOf(
        FutureRevisionError,
      );
    });

    test('list returns the keys under the prefix in byte order with count and more', async () => {
      for (const k of ['b', 'a', 'c', 'a/x', 'ä']) await s.create(`${p}${k}`, bytes(k));
      await s.create(`${p.slice(0, -1)}-outside`, bytes('no'));
      const all = await s.list(p);
      expect(all.kvs.map((kv) => kv.key)).toEqual(['a', 'a/x', 'b', 'c', 'ä'].map((k) => p + k));
      expect(all.count).toBe(5);
      expect(all.more).toBe(false);
      const page = await s.list(p, { limit: 2 });
      expect(page.kvs.map((kv) => kv.key)).toEqual([`${p}a`, `${p}a/x`]);
      expect(page).toMatchObject({ more: true, count: 5 });
    });

    test('list pages with startKey at a fixed revision, unaffected by later writes', async () => {
      for (const k of ['1', '2', '3', '4']) await s.create(`${p}${k}`, bytes(k));
      const first = await s.list(p, { limit: 2 });
      await s.create(`${p}5`, bytes('5'));
      const second = await s.list(p, {
        limit: 2,
        startKey: `${p}2\0`,
        revision: first.revision,
      });
      expect(second.kvs.map((kv) => kv.key)).toEqual([`${p}3`, `${p}4`]);
      expect(second.more).toBe(false);
      expect(second.count).toBe(2);
    });

    test('list with countOnly counts and with keysOnly omits values', async () => {
      for (const k of ['x', 'y']) await s.create(`${p}${k}`, bytes('value'));
      const counted = await s.list(p, { countOnly: true });
      expect(counted.count).toBe(2);
      expect(counted.kvs).toEqual([]);
      const keys = await s.list(p, { keysOnly: true });
      expect(keys.kvs.map((kv) => [kv.key, kv.value.length])).toEqual([
        [`${p}x`, 0],
        [`${p}y`, 0],
      ]);
    });

    test('values are stored byte-exact, including non-UTF-8 bytes', async () => {
      const value = new Uint8Array([0, 255, 128, 10, 13, 0]);
      await s.create(`${p}bin`, value);
      expect(Array.from((await s.get(`${p}bin`)).kv!.value)).toEqual(Array.from(value));
    });

    test('of concurrent creates of one key exactly one succeeds', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => s.create(`${p}race`, bytes(String(i)))),
      );
      expect(results.filter((r) => r.succeeded)).toHaveLength(1);
    });

    test('a watch from now delivers puts and deletes in order, deletes with prevKv', async () => {
      const rec = Recorder.start(s, { key: p, prefix: true, prevKv: true });
      await h.advance(0);
      const c = await s.create(`${p}a`, bytes('1'));
      if (!c.succeeded) throw new Error('create failed');
      const u = await s.update(`${p}a`, bytes('2'), c.kv.modRevision);
      if (!u.succeeded) throw new Error('update failed');
      await s.delete(`${p}a`);
      await eventually(() => rec.events.length >= 3);
      rec.watch.cancel();
      expect(rec.summary()).toEqual([
        `put ${p}a 1 @${c.revision}`,
        `put ${p}a 2 @${u.revision} prev=1`,
        `delete ${p}a  @${u.revision + 1} prev=2`,
      ]);
      const del = rec.events[2]!;
      expect(del.kv.value.length).toBe(0);
      for (const b of rec.batches) {
        for (const e of b.events) expect(b.revision).toBeGreaterThanOrEqual(e.kv.modRevision);
      }
    });

    test('a watch from a past revision replays history from that revision inclusive', async () => {
      const c = await s.create(`${p}a`, bytes('1'));
      if (!c.succeeded) throw new Error('create failed');
      const u = await s.update(`${p}a`, bytes('2'), c.kv.modRevision);
      if (!u.succeeded) throw new Error('update failed');
      const rec = Recorder.start(s, { key: `${p}a`, startRevision: c.revision });
      await eventually(() => rec.events.length >= 2);
      await s.update(`${p}a`, bytes('3'), u.kv.modRevision);
      await eventually(() => rec.events.length >= 3);
      rec.watch.cancel();
      expect(rec.events.map((e) => text(e.kv.value))).toEqual(['1', '2', '3']);
    });

    test('a single-key watch ignores other keys and a prefix watch sees every key under it', async () => {
      const one = Recorder.start(s, { key: `${p}a` });
      const all = Recorder.start(s, { key: p, prefix: true });
      await h.advance(0);
      await s.create(`${p}b`, bytes('b'));
      await s.create(`${p}a`, bytes('a'));
      await s.create(`${p}ab`, bytes('ab'));
      await eventually(() => all.events.length >= 3);
      await eventually(() => one.events.length >= 1);
      one.watch.cancel();
      all.watch.cancel();
      expect(one.events.map((e) => e.kv.key)).toEqual([`${p}a`]);
      expect(all.events.map((e) => e.kv.key)).toEqual([`${p}b`, `${p}a`, `${p}ab`]);
    });

    test('no watch callback runs after cancel returns', async () => {
      const rec = Recorder.start(s, { key: p, prefix: true });
      await h.advance(0);
      await s.create(`${p}a`, bytes('1'));
      rec.watch.cancel();
      const seen = rec.batches.length;
      await s.create(`${p}b`, bytes('2'));
      await sleep(20);
      expect(rec.batches.length).toBe(seen);
      expect(rec.errors).toEqual([]);
    });

    test('requestProgress delivers a progress batch at or above the latest write', async () => {
      const rec = Recorder.start(s, { key: p, prefix: true });
      await h.advance(0);
      const c = await s.create(`${p}a`, bytes('1'));
      await eventually(() => rec.events.length === 1);
      rec.watch.requestProgress();
      await eventually(() => rec.batches.some((b) => b.progress));
      rec.watch.cancel();
      const progress = rec.batches.find((b) => b.progress)!;
      expect(progress.events).toEqual([]);
      expect(progress.revision).toBeGreaterThanOrEqual(c.revision);
    });

    test('compaction makes older revisions unreadable and ends watches that start below it', async () => {
      const c = await s.create(`${p}a`, bytes('1'));
      if (!c.succeeded) throw new Error('create failed');
      const u = await s.update(`${p}a`, bytes('2'), c.kv.modRevision);
      if (!u.succeeded) throw new Error('update failed');
      await s.compact(u.revision);
      await expect(s.get(`${p}a`, { revision: c.revision })).rejects.toBeInstanceOf(CompactedError);
      expect(text((await s.get(`${p}a`, { revision: u.revision })).kv?.value)).toBe('2');
      const rec = Recorder.start(s, { key: `${p}a`, startRevision: c.revision });
      await eventually(() => rec.errors.length > 0);
      expect(rec.errors[0]).toBeInstanceOf(CompactedError);
      expect((await s.status()).compactRevision).toBeGreaterThanOrEqual(u.revision);
    });

    test('revoking a lease deletes its keys in one revision with a delete event each', async () => {
      const lease = await s.grantLease(60);
      expect(lease).toBeGreaterThan(0);
      const c1 = await s.create(`${p}l1`, bytes('1'), { lease });
      await s.create(`${p}l2`, bytes('2'), { lease });
      await s.create(`${p}keep`, bytes('3'));
      if (!c1.succeeded) throw new Error('create failed');
      expect(c1.kv.lease).toBe(lease);
      const rec = Recorder.start(s, { key: p, prefix: true });
      await h.advance(0);
      await s.revokeLease(lease);
      await eventually(() => rec.events.length >= 2);
      rec.watch.cancel();
      expect(rec.events.map((e) => `${e.type} ${e.kv.key}`)).toEqual([
        `delete ${p}l1`,
        `delete ${p}l2`,
      ]);
      expect(rec.events[0]!.kv.modRevision).toBe(rec.events[1]!.kv.modRevision);
      expect((await s.list(p)).kvs.map((kv) => kv.key)).toEqual([`${p}keep`]);
    });

    test('revoking an unknown lease resolves', async () => {
      await expect(s.revokeLease(0x7ffffffff)).resolves.toBeUndefined();
    });

    test('a lease that is not kept alive expires and deletes its keys', async () => {
      const lease = await s.grantLease(2);
      await s.create(`${p}ephemeral`, bytes('x'), { lease });
      const rec = Recorder.start(s, { key: p, prefix: true });
      await h.advance(0);
      await h.advance(3000);
      await eventually(() => rec.events.length >= 1);
      rec.watch.cancel();
      expect(rec.events.map((e) => `${e.type} ${e.kv.key}`)).toEqual([`delete ${p}ephemeral`]);
      expect((await s.get(`${p}ephemeral`)).kv).toBeUndefined();
    });

    test('status reports a version, the revision and the compaction revision', async () => {
      await s.create(`${p}a`, bytes('1'));
      const st = await s.status();
      expect(st.version).toMatch(/^3\.\d+\.\d+/);
      expect(st.revision).toBeGreaterThanOrEqual(2);
      expect(st.dbSize).toBeGreaterThan(0);
      expect(st.compactRevision).toBeGreaterThanOrEqual(0);
    });
  });
}
