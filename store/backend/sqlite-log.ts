/**
 * The on-disk format: a SQLite database (better-sqlite3) in WAL mode with `synchronous=FULL`, so a
 * committed transaction has been fsynced and survives kill -9 and power loss. Tables:
 *
 * - `kv(rev, sub, key, value, create_rev, version, lease)`: every stored version, keyed by revision
 *   and position within the revision (a tombstone has version 0);
 * - `lease(id, ttl)`: live leases;
 * - `meta(name, value)`: `compact_rev`, `cluster_id`, `member_id`.
 *
 * Compaction deletes the discarded versions. The current revision after a restart is the highest
 * stored one, or the compaction revision when that is higher.
 *
 * This class is synchronous and holds no engine state, so it runs on the main thread or inside the
 * commit worker alike.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { databaseFileName } from '../defaults.js';
import type { KeyValueRecord } from '../mvcc/types.js';
import type { CommitBatch, PersistedState } from './backend.js';
import { randomId } from './backend.js';

/** A commit batch flattened to plain rows (cheap to copy to a worker). */
export interface RowBatch {
  /** [rev, sub, key (byte string), value, create_rev, version, lease (decimal)] */
  puts: [number, number, string, Uint8Array, number, number, string][];
  /** [1 = grant | 0 = revoke, id (decimal), ttl] */
  leaseOps: [number, string, number][];
  /** [rev, key (byte string)] */
  compacted: [number, string][];
  compactRevision?: number;
}

export function toRows(batch: CommitBatch): RowBatch {
  const puts: RowBatch['puts'] = [];
  for (const r of batch.revisions) {
    r.events.forEach((e, sub) => {
      const kv = e.kv;
      puts.push([
        kv.modRevision,
        sub,
        kv.key,
        kv.value,
        kv.createRevision,
        kv.version,
        String(kv.lease),
      ]);
    });
  }
  return {
    puts,
    leaseOps: batch.leaseOps.map((o) =>
      o.op === 'grant' ? [1, String(o.id), o.ttl] : [0, String(o.id), 0],
    ),
    compacted: batch.compacted.map((kv) => [kv.modRevision, kv.key]),
    ...(batch.compactRevision !== undefined ? { compactRevision: batch.compactRevision } : {}),
  };
}

/**
 * Packs a row batch into one buffer (cheap to transfer to the commit thread without a structured
 * clone of every row): per put `rev sub create_rev version` as float64, then key, value and lease
 * as length-prefixed bytes; then the lease ops and compactions, likewise.
 */
export function packRows(rows: RowBatch): Uint8Array {
  let size = 32;
  for (const p of rows.puts) size += 32 + 12 + p[2].length + p[3].length + p[6].length;
  for (const l of rows.leaseOps) size += 16 + 4 + l[1].length;
  for (const c of rows.compacted) size += 8 + 4 + c[1].length;
  // Not from the shared pool: the buffer is transferred (detached) to the commit thread.
  const buf = Buffer.allocUnsafeSlow(size);
  let o = 0;
  const f64 = (n: number): void => void (o = buf.writeDoubleLE(n, o));
  const bytes = (b: Uint8Array): void => {
    o = buf.writeUInt32LE(b.length, o);
    buf.set(b, o);
    o += b.length;
  };
  const latin1 = (s: string): void => {
    o = buf.writeUInt32LE(s.length, o);
    o += buf.write(s, o, 'latin1');
  };
  f64(rows.puts.length);
  f64(rows.leaseOps.length);
  f64(rows.compacted.length);
  f64(rows.compactRevision ?? -1);
  for (const [rev, sub, key, value, createRev, version, lease] of rows.puts) {
    f64(rev);
    f64(sub);
    f64(createRev);
    f64(version);
    latin1(key);
    bytes(value);
    latin1(lease);
  }
  for (const [grant, id, ttl] of rows.leaseOps) {
    f64(grant);
    f64(ttl);
    latin1(id);
  }
  for (const [rev, key] of rows.compacted) {
    f64(rev);
    latin1(key);
  }
  return buf.subarray(0, o);
}

/** The inverse of {@link packRows}; values are views into `packed`. */
export function unpackRows(packed: Uint8Array): RowBatch {
  const buf = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  let o = 0;
  const f64 = (): number => {
    const n = buf.readDoubleLE(o);
    o += 8;
    return n;
  };
  const bytes = (): Buffer => {
    const len = buf.readUInt32LE(o);
    o += 4;
    const b = buf.subarray(o, o + len);
    o += len;
    return b;
  };
  const latin1 = (): string => bytes().toString('latin1');
  const nPuts = f64();
  const nLeases = f64();
  const nCompacted = f64();
  const compactRevision = f64();
  const rows: RowBatch = { puts: [], leaseOps: [], compacted: [] };
  for (let i = 0; i < nPuts; i++) {
    const rev = f64();
    const sub = f64();
    const createRev = f64();
    const version = f64();
    rows.puts.push([rev, sub, latin1(), bytes(), createRev, version, latin1()]);
  }
  for (let i = 0; i < nLeases; i++) {
    const grant = f64();
    const ttl = f64();
    rows.leaseOps.push([grant, latin1(), ttl]);
  }
  for (let i = 0; i < nCompacted; i++) {
    const rev = f64();
    rows.compacted.push([rev, latin1()]);
  }
  if (compactRevision >= 0) rows.compactRevision = compactRevision;
  return rows;
}

const asBuffer = (v: Uint8Array): Buffer =>
  Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);

export class SqliteLog {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly writeRows: (rows: RowBatch) => void;

  constructor(dataDir: string) {
    if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, databaseFileName);
    this.db = new Database(this.path, { timeout: 200 });
    try {
      // One process owns the store: the first write takes SQLite's lock and keeps it until close,
      // so a second process on the same directory fails here instead of diverging.
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.exec('BEGIN IMMEDIATE; COMMIT');
    } catch (err) {
      this.db.close();
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`store data directory ${dataDir} is in use by another process (${reason})`);
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS kv (
        rev INTEGER NOT NULL, sub INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,
        create_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL,
        PRIMARY KEY (rev, sub)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS lease (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `);
    const insertKv = this.db.prepare(
      'INSERT INTO kv (rev, sub, key, value, create_rev, version, lease) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const insertLease = this.db.prepare('INSERT OR REPLACE INTO lease (id, ttl) VALUES (?, ?)');
    const deleteLease = this.db.prepare('DELETE FROM lease WHERE id = ?');
    const deleteKv = this.db.prepare('DELETE FROM kv WHERE rev = ? AND key = ?');
    const setMeta = this.db.prepare('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)');
    this.writeRows = this.db.transaction((rows: RowBatch) => {
      for (const [rev, sub, key, value, createRev, version, lease] of rows.puts) {
        insertKv.run(
          rev,
          sub,
          Buffer.from(key, 'latin1'),
          asBuffer(value),
          createRev,
          version,
          BigInt(lease),
        );
      }
      for (const [grant, id, ttl] of rows.leaseOps) {
        if (grant) insertLease.run(BigInt(id), ttl);
        else deleteLease.run(BigInt(id));
      }
      for (const [rev, key] of rows.compacted) deleteKv.run(rev, Buffer.from(key, 'latin1'));
      if (rows.compactRevision !== undefined) setMeta.run('compact_rev', rows.compactRevision);
    });
  }

  /** Reads everything back (and creates the store identity on first use). */
  load(): PersistedState {
    const meta = new Map<string, bigint>();
    const metaRows = this.db.prepare('SELECT name, value FROM meta').safeIntegers(true).all() as {
      name: string;
      value: bigint;
    }[];
    for (const row of metaRows) meta.set(row.name, row.value);
    const setMeta = this.db.prepare('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)');
    for (const name of ['cluster_id', 'member_id']) {
      if (!meta.has(name)) {
        const id = randomId();
        setMeta.run(name, id);
        meta.set(name, id);
      }
    }
    const leases = (
      this.db.prepare('SELECT CAST(id AS TEXT) AS id, ttl FROM lease').all() as {
        id: string;
        ttl: number;
      }[]
    ).map((l) => ({ id: BigInt(l.id), ttl: l.ttl }));
    const select = this.db.prepare(
      'SELECT rev, key, value, create_rev, version, CAST(lease AS TEXT) AS lease FROM kv ORDER BY rev, sub',
    );
    function* records(): Iterable<KeyValueRecord> {
      for (const row of select.iterate() as Iterable<{
        rev: number;
        key: Buffer;
        value: Buffer;
        create_rev: number;
        version: number;
        lease: string;
      }>) {
        yield {
          key: row.key.toString('latin1'),
          value: row.value,
          createRevision: row.create_rev,
          modRevision: row.rev,
          version: row.version,
          lease: row.lease === '0' ? 0n : BigInt(row.lease),
        };
      }
    }
    return {
      compactRevision: Number(meta.get('compact_rev') ?? 0n),
      records: records(),
      leases,
      clusterId: meta.get('cluster_id')!,
      memberId: meta.get('member_id')!,
    };
  }

  /** Writes one batch in one transaction; returns when it is fsynced. */
  write(rows: RowBatch): void {
    this.writeRows(rows);
  }

  /** Database file plus write-ahead log, in bytes. */
  sizeBytes(): number {
    return SqliteLog.sizeOf(this.path);
  }

  static sizeOf(path: string): number {
    let size = 0;
    for (const p of [path, `${path}-wal`]) {
      try {
        size += statSync(p).size;
      } catch {
        // absent WAL
      }
    }
    return size;
  }

  close(): void {
    this.db.close();
  }
}
