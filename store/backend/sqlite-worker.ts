/**
 * The commit thread of the SQLite backend: owns the database connection after start-up and writes
 * each batch in one fsynced transaction, so the event loop keeps serving reads and parsing
 * requests while the disk syncs. Messages: `{ commit: packed rows }` → `{ ok: true }` or
 * `{ error: string }`, in order; `{ close: true }` closes the database and ends the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteLog, unpackRows } from './sqlite-log.js';

const log = new SqliteLog((workerData as { dataDir: string }).dataDir);

parentPort!.on('message', (msg: { commit?: Uint8Array; close?: boolean }) => {
  if (msg.close) {
    log.close();
    parentPort!.close();
    return;
  }
  try {
    log.write(unpackRows(msg.commit!));
    parentPort!.postMessage({ ok: true });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
