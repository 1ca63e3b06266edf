/**
 * @kubernetes/client-node against kuberx over both storage backends: the embedded store, and a real
 * etcd 3.4 (Debian `etcd-server`) through the etcd v3 client.
 */
import { jest } from '@jest/globals';
import { openEtcdStorage } from '../../store/index.js';
import { startTestServer, type TestServer } from '../apiserver/harness.js';
import {
  describeWithTools,
  etcdBin,
  etcdctlBin,
  startRealEtcd,
  type Proc,
} from '../store/processes.js';
import { clientNodeSuite } from './client-node.suite.js';

jest.setTimeout(60_000);

describe('embedded store', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  clientNodeSuite(() => server);
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
  clientNodeSuite(() => server);
});
