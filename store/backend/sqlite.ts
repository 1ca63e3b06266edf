/**
 * The durable backend: each commit is one SQLite transaction, fsynced before `commit` resolves
 * (see sqlite-log.ts). The engine batches the writes that arrive meanwhile into the next commit.
 *
 * Commits run on a worker thread (sqlite-worker.ts) when its compiled module is present (the
 * built `dist/`), so fsync never blocks the event loop; otherwise — e.g. under the TypeScript test
 * runner, which cannot start a `.ts` worker — on the main thread, with the same format and
 * guarantees.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Backend, CommitBatch, PersistedState } from './backend.js';
import { SqliteLog, packRows, toRows } from './sqlite-log.js';

export type CommitThread = 'worker' | 'main';

const workerUrl = new URL('./sqlite-worker.js', import.meta.url);

/** Where commits run by default: the worker when its compiled module exists. */
export function defaultCommitThread(): CommitThread {
  return existsSync(fileURLToPath(workerUrl)) ? 'worker' : 'main';
}

export class SqliteBackend implements Backend {
  readonly commitMode = 'tick' as const;
  private log: SqliteLog | undefined;
  private readonly path: string;
  private worker: Worker | undefined;
  private readonly waiting: { resolve: () => void; reject: (err: Error) => void }[] = [];
  private workerError: Error | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly thread: CommitThread = defaultCommitThread(),
  ) {
    this.log = new SqliteLog(dataDir);
    this.path = this.log.path;
  }

  load(): PersistedState {
    const state = this.log!.load();
    if (this.thread === 'main') return state;
    // Materialise the records before the main thread's connection closes.
    const records = [...state.records];
    this.log!.close();
    this.log = undefined;
    this.startWorker();
    return { ...state, records };
  }

  commit(batch: CommitBatch): Promise<void> | void {
    const rows = toRows(batch);
    if (this.log) {
      this.log.write(rows);
      return;
    }
    if (this.workerError) return Promise.reject(this.workerError);
    const packed = packRows(rows);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker!.postMessage({ commit: packed }, [packed.buffer as ArrayBuffer]);
    });
  }

  sizeBytes(): number {
    return SqliteLog.sizeOf(this.path);
  }

  async close(): Promise<void> {
    if (this.log) {
      this.log.close();
      this.log = undefined;
    }
    const worker = this.worker;
    if (worker) {
      this.worker = undefined;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ close: true });
      await exited;
    }
  }

  private startWorker(): void {
    const worker = new Worker(workerUrl, { workerData: { dataDir: this.dataDir } });
    worker.on('message', (msg: { ok?: boolean; error?: string }) => {
      const next = this.waiting.shift();
      if (!next) return;
      if (msg.ok) next.resolve();
      else next.reject(new Error(msg.error));
    });
    const fail = (err: Error): void => {
      this.workerError = err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.worker === worker) fail(new Error(`SQLite commit thread exited with code ${code}`));
    });
    this.worker = worker;
  }
}
