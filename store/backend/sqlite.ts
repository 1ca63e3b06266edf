/**
 * The durable backend on the main thread: each commit is one SQLite transaction, fsynced before
 * `commit` returns (see sqlite-log.ts). The engine batches the writes of one event-loop turn into
 * one commit.
 */
import type { Backend, CommitBatch, PersistedState } from './backend.js';
import { SqliteLog, toRows } from './sqlite-log.js';

export class SqliteBackend implements Backend {
  readonly commitMode = 'tick' as const;
  private readonly log: SqliteLog;

  constructor(dataDir: string) {
    this.log = new SqliteLog(dataDir);
  }

  load(): PersistedState {
    return this.log.load();
  }

  commit(batch: CommitBatch): void {
    this.log.write(toRows(batch));
  }

  sizeBytes(): number {
    return this.log.sizeBytes();
  }

  async close(): Promise<void> {
    this.log.close();
  }
}
