/**
 * `kuberx up --etcd-servers`: the same cluster over a real etcd 3.4 instead of the embedded store,
 * driven with kubectl 1.33.
 */
import { jest } from '@jest/globals';
import {
  etcdBin,
  etcdctl,
  etcdctlBin,
  describeWithTools,
  startRealEtcd,
  type Proc,
} from '../store/processes.js';
import { kubectlBin, pods, TestCluster } from './harness.js';

jest.setTimeout(120_000);

describeWithTools([etcdBin, etcdctlBin, kubectlBin], 'kuberx up over a real etcd', () => {
  let etcd: Proc | undefined;
  let c: TestCluster | undefined;
  beforeAll(async () => {
    etcd = await startRealEtcd();
    c = await TestCluster.start({ etcdServers: [etcd.url], nodes: 2 });
  }, 60_000);
  afterAll(async () => {
    await c?.stop();
    await etcd?.stop();
  });

  test('nodes register and a Deployment rolls out with every object in etcd', async () => {
    expect(await c!.ok(['get', 'nodes'])).toMatch(/kuberx-node-2\s+Ready/);
    await c!.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
    await c!.ok(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const list = await pods(c!, 'app=web');
    expect(list.map((p) => p.status.phase)).toEqual(['Running', 'Running']);
    const keys = await etcdctl(etcd!.url, ['get', '--prefix', '--keys-only', '/registry/']);
    expect(keys.stdout).toContain('/registry/deployments/default/web');
    expect(keys.stdout).toContain(`/registry/pods/default/${list[0]!.metadata.name}`);
    expect(keys.stdout).toContain('/registry/leases/kube-node-lease/kuberx-node-1');
    expect(keys.stdout).toContain('/registry/minions/kuberx-node-2');
  });
});
