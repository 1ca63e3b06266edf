/**
 * The Storage contract through the etcd v3 gRPC API with the etcd3 client: against `kuberx etcd`
 * (served in-process on a free port, with a fake clock) and against a real etcd 3.4 started on free
 * loopback ports with a temp data dir.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeClock } from '../../common/index.js';
import { openEtcdStorage, startEtcd } from '../../store/index.js';
import { describeStorageContract } from './storage-contract.js';
import { describeWithTools, etcdBin, etcdctlBin, startRealEtcd } from './processes.js';

describeStorageContract('etcd3 client → kuberx etcd', async () => {
  const clock = new FakeClock();
  const etcd = await startEtcd({ memory: true, listenClientUrls: ['http://127.0.0.1:0'], clock });
  const storage = await openEtcdStorage({ endpoints: etcd.urls });
  return {
    storage,
    advance: (ms) => clock.advance(ms),
    close: async () => {
      await storage.close();
      await etcd.close();
    },
  };
});

describeWithTools([etcdBin, etcdctlBin], 'real etcd', () => {
  describeStorageContract('etcd3 client → real etcd 3.4', async () => {
    const etcd = await startRealEtcd();
    const storage = await openEtcdStorage({ endpoints: [etcd.url] });
    return {
      storage,
      advance: (ms) => sleep(ms),
      close: async () => {
        await storage.close();
        await etcd.stop();
      },
    };
  });
});
