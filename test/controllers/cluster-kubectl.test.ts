/**
 * End-to-end: the cluster controllers driven by real kubectl (1.33 for everything, 1.27 for a smoke
 * subset) against kuberx's API server with the whole controller-manager — cascading deletes in each
 * mode, `kubectl wait --for=delete`, namespace deletion with many kinds inside (custom resources
 * included), and Endpoints/EndpointSlices of a Service with ready and not-ready pods.
 */
import { jest } from '@jest/globals';
import { isNotFound, type ApiClient, type Kind } from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import { installTestCRD, type ClusterHarness } from '../../controllers/testharness.js';
import {
  describeWithKubectl,
  json,
  kubectl,
  setPodStatus,
  startControllers,
  type Kubectl,
} from './cluster-harness.js';

jest.setTimeout(90_000);

const Widget: Kind = {
  group: 'e2e.kuberx.test',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};

let h: ClusterHarness;
let api: ApiClient;
const runners: Kubectl[] = [];

beforeAll(async () => {
  h = await startControllers((env) => installTestCRD(env.client, Widget));
  api = h.env.client;
}, 60_000);
afterAll(async () => {
  for (const r of runners) await r.close();
  await h.stop();
});

/** A kubectl runner in a fresh namespace whose default ServiceAccount exists (pods need it). */
async function namespaced(version: string, namespace: string): Promise<Kubectl> {
  const k = kubectl(h, version, namespace);
  runners.push(k);
  await k.ok(['create', 'namespace', namespace]);
  await eventually(async () => {
    try {
      await api.get({ group: '', version: 'v1', kind: 'ServiceAccount' }, 'default', { namespace });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }, `default ServiceAccount in ${namespace}`);
  return k;
}

async function names(k: Kubectl, args: string[]): Promise<string[]> {
  const out = await k.ok(['get', ...args, '-o', 'name']);
  return out.split('\n').filter(Boolean);
}

async function deploymentWithPods(k: Kubectl, name: string, replicas: number): Promise<string> {
  await k.ok([
    'create',
    'deployment',
    name,
    '--image=registry.k8s.io/pause:3.9',
    `--replicas=${replicas}`,
  ]);
  await eventually(
    async () => (await names(k, ['pods', '-l', `app=${name}`])).length === replicas,
    `${replicas} pods of ${name}`,
  );
  const [rs] = await names(k, ['replicasets', '-l', `app=${name}`]);
  return rs!;
}

function cascadeTests(version: string, full: boolean): void {
  const ns = `cascade-${version.replace('.', '-')}`;

  test('delete --cascade=background removes the ReplicaSet and pods; kubectl wait --for=delete sees them go', async () => {
    const k = await namespaced(version, `${ns}-bg`);
    const rs = await deploymentWithPods(k, 'web', 2);
    await k.ok(['delete', 'deployment', 'web', '--cascade=background']);
    await k.ok(['wait', '--for=delete', rs, '--timeout=30s']);
    await eventually(
      async () => (await names(k, ['pods', '-l', 'app=web'])).length === 0,
      'pods gone',
    );
  });

  test('delete --cascade=orphan keeps the ReplicaSet and pods, without owner references', async () => {
    const k = await namespaced(version, `${ns}-or`);
    const rs = await deploymentWithPods(k, 'keep', 1);
    await k.ok(['delete', 'deployment', 'keep', '--cascade=orphan']);
    const left = json<{ metadata: { ownerReferences?: unknown[] } }>(
      await k.ok(['get', rs, '-o', 'json']),
    );
    expect(left.metadata.ownerReferences ?? []).toEqual([]);
    expect(await names(k, ['pods', '-l', 'app=keep'])).toHaveLength(1);
  });

  if (!full) return;

  test('delete --cascade=foreground keeps the Deployment (foregroundDeletion) until its blocking dependents are gone', async () => {
    const k = await namespaced(version, `${ns}-fg`);
    const rs = await deploymentWithPods(k, 'front', 1);
    const [pod] = await names(k, ['pods', '-l', 'app=front']);
    // A finalizer on the pod holds the ReplicaSet, and so the Deployment.
    await k.ok([
      'patch',
      pod!,
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":["example.com/hold"]}}',
    ]);
    await k.ok(['delete', 'deployment', 'front', '--cascade=foreground', '--wait=false']);
    await eventually(async () => {
      const rsNow = json<{ metadata: { finalizers?: string[]; deletionTimestamp?: string } }>(
        await k.ok(['get', rs, '-o', 'json']),
      );
      return (
        !!rsNow.metadata.deletionTimestamp &&
        (rsNow.metadata.finalizers ?? []).includes('foregroundDeletion')
      );
    }, 'ReplicaSet deleted in the foreground');
    const deployment = json<{ metadata: { finalizers?: string[]; deletionTimestamp?: string } }>(
      await k.ok(['get', 'deployment', 'front', '-o', 'json']),
    );
    expect(deployment.metadata.deletionTimestamp).toBeDefined();
    expect(deployment.metadata.finalizers).toEqual(['foregroundDeletion']);
    await k.ok(['patch', pod!, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await k.ok(['wait', '--for=delete', 'deployment/front', '--timeout=30s']);
    const gone = await k.run(['get', rs]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('NotFound');
  });
}

function namespaceTests(version: string, full: boolean): void {
  test('kubectl delete namespace removes everything inside, custom resources included', async () => {
    const name = `doomed-${version.replace('.', '-')}`;
    const k = await namespaced(version, name);
    await k.ok(['create', 'configmap', 'cm', '--from-literal=a=b']);
    await k.ok(['create', 'secret', 'generic', 's', '--from-literal=a=b']);
    await k.ok(['create', 'service', 'clusterip', 'svc', '--tcp=80:80']);
    await k.ok([
      'create',
      '-f',
      k.file(
        'widget.json',
        JSON.stringify({
          apiVersion: 'e2e.kuberx.test/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
        }),
      ),
    ]);
    if (full) {
      await deploymentWithPods(k, 'app', 1);
      await k.ok(['create', 'job', 'once', '--image=registry.k8s.io/pause:3.9']);
    }
    // kubectl waits until the namespace is gone.
    const deleted = await k.run(['delete', 'namespace', name, '--timeout=80s']);
    expect(deleted.code).toBe(0);
    const after = await k.run(['get', 'namespace', name]);
    expect(after.stderr).toContain(`namespaces "${name}" not found`);
    expect((await api.list(Widget, { namespace: name })).items).toEqual([]);
  });
}

function endpointsTests(version: string): void {
  test('a Service with a ready and a not-ready pod: Endpoints and EndpointSlice', async () => {
    const ns = `ep-${version.replace('.', '-')}`;
    const k = await namespaced(version, ns);
    for (const [pod, ip, ready] of [
      ['a', '10.30.0.1', true],
      ['b', '10.30.0.2', false],
    ] as const) {
      await k.ok([
        'run',
        pod,
        '--image=registry.k8s.io/pause:3.9',
        '--labels=app=ep',
        '--port=8080',
        '--overrides={"spec":{"nodeName":"node-1"}}',
      ]);
      await setPodStatus(api, ns, pod, { ip, ready });
    }
    await k.ok(['create', 'service', 'clusterip', 'ep', '--tcp=80:8080']);
    type Endpoints = {
      subsets?: Array<{
        addresses?: Array<{ ip: string; targetRef?: { name: string } }>;
        notReadyAddresses?: Array<{ ip: string }>;
        ports?: Array<{ port: number }>;
      }>;
    };
    let ep: Endpoints = {};
    await eventually(async () => {
      ep = json<Endpoints>(await k.ok(['get', 'endpoints', 'ep', '-o', 'json']));
      return (
        ep.subsets?.[0]?.addresses?.length === 1 && ep.subsets[0].notReadyAddresses?.length === 1
      );
    }, 'endpoints with one ready and one not-ready address');
    expect(ep.subsets![0]!.addresses![0]).toMatchObject({
      ip: '10.30.0.1',
      targetRef: { name: 'a' },
    });
    expect(ep.subsets![0]!.notReadyAddresses![0]!.ip).toBe('10.30.0.2');
    expect(ep.subsets![0]!.ports).toEqual([{ name: '80-8080', port: 8080, protocol: 'TCP' }]);

    type Slices = {
      items: Array<{
        endpoints?: Array<{ addresses: string[]; conditions: Record<string, boolean> }>;
      }>;
    };
    const slices = json<Slices>(
      await k.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=ep', '-o', 'json']),
    );
    expect(slices.items).toHaveLength(1);
    const byIP = Object.fromEntries(
      slices.items[0]!.endpoints!.map((e) => [e.addresses[0], e.conditions]),
    );
    expect(byIP).toEqual({
      '10.30.0.1': { ready: true, serving: true, terminating: false },
      '10.30.0.2': { ready: false, serving: false, terminating: false },
    });

    // The not-ready pod becomes Ready: both addresses serve.
    await setPodStatus(api, ns, 'b', { ip: '10.30.0.2', ready: true });
    await eventually(async () => {
      const now = json<Endpoints>(await k.ok(['get', 'endpoints', 'ep', '-o', 'json']));
      return now.subsets?.[0]?.addresses?.length === 2;
    }, 'both ready');
    expect(await k.ok(['describe', 'service', 'ep'])).toMatch(
      /Endpoints:\s+10\.30\.0\.1:8080,10\.30\.0\.2:8080/,
    );
  });
}

describeWithKubectl('1.33', 'cluster controllers with kubectl', () => {
  cascadeTests('1.33', true);
  namespaceTests('1.33', true);
  endpointsTests('1.33');
});

describeWithKubectl('1.27', 'cluster controllers, smoke subset', () => {
  cascadeTests('1.27', false);
  namespaceTests('1.27', false);
});
