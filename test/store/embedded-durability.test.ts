/** The SQLite-backed embedded store keeps its state across a close and reopen. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../common/index.js';
import { CompactedError, openEmbeddedStorage } from '../../store/index.js';
import type { RowBatch } from '../../store/backend/sqlite-log.js';
import { packRows, unpackRows } from '../../store/backend/sqlite-log.js';
import { bytes, text } from './storage-contract.js';

describe('embedded store on SQLite', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kuberx-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('keys, history, leases and the compaction revision survive a reopen', async () => {
    const clock = new FakeClock();
    const s1 = await openEmbeddedStorage({ dataDir: dir, clock });
    const c = await s1.create('/k/a', bytes('1'));
    if (!c.succeeded) throw new Error('create failed');
    const u = await s1.update('/k/a', bytes('2'), c.kv.modRevision);
    if (!u.succeeded) throw new Error('update failed');
    await s1.create('/k/b', bytes('b'));
    await s1.delete('/k/b');
    const lease = await s1.grantLease(30);
    await s1.create('/k/leased', bytes('l'), { lease });
    await s1.compact(u.revision);
    const rev = await s1.currentRevision();
    await s1.close();

    const s2 = await openEmbeddedStorage({ dataDir: dir, clock });
    expect(await s2.currentRevision()).toBe(rev);
    expect((await s2.list('/k/')).kvs.map((kv) => [kv.key, text(kv.value), kv.version])).toEqual([
      ['/k/a', '2', 2],
      ['/k/leased', 'l', 1],
    ]);
    await expect(s2.get('/k/a', { revision: c.revision })).rejects.toBeInstanceOf(CompactedError);
    expect((await s2.status()).compactRevision).toBe(u.revision);
    // The lease survived with its key attached: revoking it deletes the key.
    await s2.revokeLease(lease);
    expect((await s2.get('/k/leased')).kv).toBeUndefined();
    // Revisions continue densely after the restart.
    const next = await s2.create('/k/c', bytes('c'));
    expect(next.revision).toBe(rev + 2);
    await s2.close();
  });

  test('a restored lease gets its full TTL again and then expires', async () => {
    const clock = new FakeClock();
    const s1 = await openEmbeddedStorage({ dataDir: dir, clock });
    const lease = await s1.grantLease(10);
    await s1.create('/k/x', bytes('x'), { lease });
    await clock.advance(9000);
    await s1.close();
    const s2 = await openEmbeddedStorage({ dataDir: dir, clock });
    await clock.advance(9000);
    expect((await s2.get('/k/x')).kv).toBeDefined();
    await clock.advance(1000);
    await s2.currentRevision();
    expect((await s2.get('/k/x')).kv).toBeUndefined();
    await s2.close();
  });
});

describe('the commit thread row format', () => {
  test('packing and unpacking a batch keeps every field', () => {
    const rows: RowBatch = {
      puts: [
        [7, 0, 'k\u00ff\u0000', new Uint8Array([1, 2, 255]), 3, 2, '0'],
        [7, 1, 'gone', new Uint8Array(0), 0, 0, '9007199254740993'],
      ],
      leaseOps: [
        [1, '12345', 60],
        [0, '9223372036854775807', 0],
      ],
      compacted: [[5, 'old']],
      compactRevision: 6,
    };
    const back = unpackRows(packRows(rows));
    expect(back.puts.map((p) => [...p.slice(0, 3), Array.from(p[3]), ...p.slice(4)])).toEqual(
      rows.puts.map((p) => [...p.slice(0, 3), Array.from(p[3]), ...p.slice(4)]),
    );
    expect(back.leaseOps).toEqual(rows.leaseOps);
    expect(back.compacted).toEqual(rows.compacted);
    expect(back.compactRevision).toBe(6);
    expect(unpackRows(packRows({ puts: [], leaseOps: [], compacted: [] })).compactRevision).toBe(
      undefined,
    );
  });
});

describe('one owner per data directory', () => {
  test('a second store on the same directory fails with a clear error while the first is open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuberx-store-'));
    try {
      const first = await openEmbeddedStorage({ dataDir: dir });
      await first.create('/k', bytes('v'));
      await expect(openEmbeddedStorage({ dataDir: dir })).rejects.toThrow(
        `store data directory ${dir} is in use by another process`,
      );
      await first.close();
      const again = await openEmbeddedStorage({ dataDir: dir });
      expect(text((await again.get('/k')).kv?.value)).toBe('v');
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
