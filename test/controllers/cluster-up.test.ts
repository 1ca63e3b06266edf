/**
 * The cluster controllers inside the whole `kuberx up` cluster (secure API server with the
 * recommended admission chain, scheduler, simulated nodes), driven by kubectl 1.33: the default
 * ServiceAccount and `kube-root-ca.crt` of new namespaces, ResourceQuota status with admission
 * enforcing it, Endpoints of pods made Ready by simulated kubelets, and deleting a namespace whose
 * pods run on nodes.
 */
import { jest } from '@jest/globals';
import { describeCluster, TestCluster, until } from '../cluster/harness.js';

jest.setTimeout(120_000);

describeCluster('cluster controllers in kuberx up', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ nodes: 1 });
  }, 120_000);
  afterAll(() => c.stop());

  const exists = async (args: string[]) => (await c.kubectl(['get', ...args])).code === 0;

  test('a new namespace gets its default ServiceAccount (again after deletion) and kube-root-ca.crt', async () => {
    await c.ok(['create', 'namespace', 'fresh']);
    await until(() => exists(['serviceaccount', 'default', '-n', 'fresh']), 'default SA');
    await until(
      () => exists(['configmap', 'kube-root-ca.crt', '-n', 'fresh']),
      'root CA ConfigMap',
    );
    const cm = await c.json<{ data: Record<string, string> }>([
      'configmap',
      'kube-root-ca.crt',
      '-n',
      'fresh',
    ]);
    expect(cm.data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----/);
    await c.ok(['delete', 'serviceaccount', 'default', '-n', 'fresh']);
    await until(() => exists(['serviceaccount', 'default', '-n', 'fresh']), 'default SA recreated');
  });

  test('ResourceQuota: status.hard and used are kept, admission refuses the pod over the quota, deletion frees it', async () => {
    await c.ok(['create', 'namespace', 'quota']);
    await until(() => exists(['serviceaccount', 'default', '-n', 'quota']), 'default SA');
    await c.ok(['create', 'quota', 'q', '--hard=pods=2', '-n', 'quota']);
    await until(async () => {
      const q = await c.json<{
        status?: { hard?: Record<string, string>; used?: Record<string, string> };
      }>(['quota', 'q', '-n', 'quota']);
      return q.status?.hard?.pods === '2' && q.status.used?.pods === '0';
    }, 'quota status');
    for (const name of ['a', 'b'])
      await c.ok(['run', name, '--image=registry.k8s.io/pause:3.9', '-n', 'quota']);
    const refused = await c.kubectl([
      'run',
      'c',
      '--image=registry.k8s.io/pause:3.9',
      '-n',
      'quota',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
    );
    await c.ok(['delete', 'pod', 'a', '-n', 'quota', '--wait=true']);
    await until(async () => {
      const q = await c.json<{ status?: { used?: Record<string, string> } }>([
        'quota',
        'q',
        '-n',
        'quota',
      ]);
      return q.status?.used?.pods === '1';
    }, 'usage replenished');
    await c.ok(['run', 'c', '--image=registry.k8s.io/pause:3.9', '-n', 'quota']);
  });

  test('a Service over a Deployment lists its pods once the simulated kubelets report them Ready', async () => {
    await c.ok(['create', 'namespace', 'svc']);
    await until(() => exists(['serviceaccount', 'default', '-n', 'svc']), 'default SA');
    await c.ok([
      'create',
      'deployment',
      'web',
      '--image=registry.k8s.io/pause:3.9',
      '--replicas=2',
      '--port=8080',
      '-n',
      'svc',
    ]);
    await c.ok(['expose', 'deployment', 'web', '--port=80', '--target-port=8080', '-n', 'svc']);
    await c.ok([
      'wait',
      '--for=condition=available',
      'deployment/web',
      '--timeout=60s',
      '-n',
      'svc',
    ]);
    await until(async () => {
      const ep = await c.json<{ subsets?: Array<{ addresses?: unknown[] }> }>([
        'endpoints',
        'web',
        '-n',
        'svc',
      ]);
      return ep.subsets?.[0]?.addresses?.length === 2;
    }, 'two ready addresses');
    const slices = await c.json<{
      items: Array<{ endpoints?: Array<{ conditions: { ready: boolean }; nodeName?: string }> }>;
    }>(['endpointslices', '-l', 'kubernetes.io/service-name=web', '-n', 'svc']);
    expect(slices.items[0]!.endpoints!.map((e) => e.conditions.ready)).toEqual([true, true]);
    expect(slices.items[0]!.endpoints![0]!.nodeName).toBeTruthy();
  });

  test('kubectl delete namespace with running pods finishes once the pods are gone', async () => {
    await c.ok(['create', 'namespace', 'busy']);
    await until(() => exists(['serviceaccount', 'default', '-n', 'busy']), 'default SA');
    await c.ok([
      'create',
      'deployment',
      'app',
      '--image=registry.k8s.io/pause:3.9',
      '--replicas=2',
      '-n',
      'busy',
    ]);
    await c.ok([
      'wait',
      '--for=condition=available',
      'deployment/app',
      '--timeout=60s',
      '-n',
      'busy',
    ]);
    const deleted = await c.kubectl(['delete', 'namespace', 'busy', '--timeout=100s']);
    expect(deleted.code).toBe(0);
    expect(await exists(['namespace', 'busy'])).toBe(false);
  });
});
