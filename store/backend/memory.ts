/**
 * The memory backend (`--memory`): nothing is persisted, every commit is immediate, everything is
 * lost when the process ends. For tests and throw-away clusters.
 */
import type { Backend, CommitBatch, PersistedState } from './backend.js';
import { randomId } from './backend.js';

export class MemoryBackend implements Backend {
  readonly commitMode = 'inline' as const;
  private bytes = 0;

  load(): PersistedState {
    return {
      compactRevision: 0,
      records: [],
      leases: [],
      clusterId: randomId(),
      memberId: randomId(),
    };
  }

  commit(batch: CommitBatch): void {
    for (const r of batch.revisions) {
      for (const e of r.events) this.bytes += e.kv.key.length + e.kv.value.length + 48;
    }
    for (const kv of batch.compacted) this.bytes -= kv.key.length + kv.value.length + 48;
  }

  sizeBytes(): number {
    return this.bytes;
  }

  async close(): Promise<void> {}
}
