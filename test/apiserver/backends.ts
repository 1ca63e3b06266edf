/**
 * Runs a suite against an in-process API server over each storage backend: the embedded store,
 * and a real etcd 3.4 (Debian `etcd-server`) through the etcd v3 client. The etcd half fails
 * under CI and is skipped elsewhere when etcd is not installed.
 */
import { openEtcdStorage } from '../../store/index.js';
import {
  describeWithTools,
  etcdBin,
  etcdctlBin,
  startRealEtcd,
  type Proc,
} from '../store/processes.js';
import { startTestServer, type TestServer } from './harness.js';

export function describeBackends(suite: (server: () => TestServer) => void): void {
  describe('embedded store', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(async () => {
      await server?.stop();
    });
    suite(() => server);
  });

  describeWithTools([etcdBin, etcdctlBin], 'real etcd 3.4', () => {
    let etcd: Proc;
    let server: TestServer;
    beforeAll(async () => {
      etcd = await startRealEtcd();
      server = await startTestServer({ storage: await openEtcdStorage({ endpoints: [etcd.url] }) });
    });
    afterAll(async () => {
      await server?.stop();
      await etcd?.stop();
    });
    suite(() => server);
  });
}
