/** The Storage contract against the embedded engine, in memory and on SQLite. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../common/index.js';
import { openEmbeddedStorage } from '../../store/index.js';
import { describeStorageContract } from './storage-contract.js';

describeStorageContract('embedded, memory', async () => {
  const clock = new FakeClock();
  const storage = await openEmbeddedStorage({ memory: true, clock });
  return { storage, advance: (ms) => clock.advance(ms), close: () => storage.close() };
});

describeStorageContract('embedded, SQLite', async () => {
  const clock = new FakeClock();
  const dir = mkdtempSync(join(tmpdir(), 'kuberx-store-'));
  const storage = await openEmbeddedStorage({ dataDir: dir, clock });
  return {
    storage,
    advance: (ms) => clock.advance(ms),
    close: async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
