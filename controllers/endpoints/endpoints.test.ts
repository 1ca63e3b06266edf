import { Endpoints, isNotFound, Pod, Service, type ApiClient } from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import { serviceAccountController } from '../serviceaccount/serviceaccounts.js';
import {
  createNamespace as createNs,
  setPodStatus,
  startClusterHarness,
  testPod,
  type ClusterHarness,
} from '../testharness.js';
import { endpointsController } from './endpoints.js';

let h: ClusterHarness;
let api: ApiClient;

const createNamespace = (name: string) => createNs(api, name);

async function getEndpoints(ns: string, name: string): Promise<Endpoints | undefined> {
  try {
    return await api.get(Endpoints, name, { namespace: ns });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function createService(
  ns: string,
  name: string,
  spec: Service['spec'],
  labels?: Record<string, string>,
) {
  return api.create<Service>(
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec },
    { kind: Service },
  );
}

async function createPod(
  ns: string,
  name: string,
  ip: string,
  ready: boolean,
  labels = { app: 'web' },
) {
  await api.create(testPod(ns, name, { labels, nodeName: 'node-1', ports: { http: 8080 } }), {
    kind: Pod,
  });
  await setPodStatus(api, ns, name, { ip, ready });
}

beforeAll(async () => {
  h = await startClusterHarness({
    descriptors: [serviceAccountController, endpointsController],
    setup: async (env) => {
      // An Endpoints object left behind by a Service deleted while no controller ran.
      await env.client.create(
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name: 'leftover', namespace: 'default' },
        },
        { kind: Endpoints },
      );
      await env.client.create(
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: {
            name: 'lock',
            namespace: 'default',
            annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' },
          },
        },
        { kind: Endpoints },
      );
    },
  });
  api = h.env.client;
});
afterAll(() => h.stop());

test('leftover Endpoints without a Service are deleted at start, leader-election records are kept (TestCheckLeftoverEndpoints)', async () => {
  await eventually(
    async () => (await getEndpoints('default', 'leftover')) === undefined,
    'leftover gone',
  );
  expect(await getEndpoints('default', 'lock')).toBeDefined();
});

test('a Service with a ready and a not-ready pod lists one in addresses and one in notReadyAddresses', async () => {
  await createNamespace('ep1');
  await createService(
    'ep1',
    'web',
    {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' as never }],
    },
    { tier: 'front' },
  );
  await createPod('ep1', 'a', '10.1.0.1', true);
  await createPod('ep1', 'b', '10.1.0.2', false);
  await eventually(async () => {
    const ep = await getEndpoints('ep1', 'web');
    return (
      ep?.subsets?.[0]?.addresses?.length === 1 && ep.subsets[0].notReadyAddresses?.length === 1
    );
  }, 'ready + not ready addresses');
  const ep = (await getEndpoints('ep1', 'web'))!;
  const podA = await api.get(Pod, 'a', { namespace: 'ep1' });
  expect(ep.subsets).toEqual([
    {
      addresses: [
        {
          ip: '10.1.0.1',
          nodeName: 'node-1',
          targetRef: { kind: 'Pod', namespace: 'ep1', name: 'a', uid: podA.metadata!.uid },
        },
      ],
      notReadyAddresses: [expect.objectContaining({ ip: '10.1.0.2' })],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
  ]);
  expect(ep.metadata?.labels).toEqual({ tier: 'front' });
  expect(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
  );

  // Readiness changes move the address; deletion removes it.
  await setPodStatus(api, 'ep1', 'b', { ip: '10.1.0.2', ready: true });
  await eventually(
    async () => (await getEndpoints('ep1', 'web'))?.subsets?.[0]?.addresses?.length === 2,
    'both ready',
  );
  await api.delete(Pod, 'a', { namespace: 'ep1', gracePeriodSeconds: 0 });
  await eventually(async () => {
    const now = await getEndpoints('ep1', 'web');
    return now?.subsets?.[0]?.addresses?.map((x) => x.ip).join() === '10.1.0.2';
  }, 'deleted pod removed');
});

test('a change that cannot matter does not rewrite the Endpoints (no-op rule)', async () => {
  await createNamespace('ep2');
  await createService('ep2', 'web', {
    selector: { app: 'web' },
    ports: [{ port: 80, targetPort: 8080 as never }],
  });
  await createPod('ep2', 'a', '10.2.0.1', true);
  await eventually(
    async () => (await getEndpoints('ep2', 'web'))?.subsets?.length === 1,
    'endpoints',
  );
  const before = (await getEndpoints('ep2', 'web'))!.metadata!.resourceVersion;
  await api.patch(
    Pod,
    'a',
    { metadata: { annotations: { irrelevant: 'yes' } } },
    { namespace: 'ep2' },
  );
  // A later, relevant change in another service proves the controller has processed the first.
  await createService('ep2', 'probe', { selector: { app: 'web' }, ports: [{ port: 81 }] });
  await eventually(
    async () => (await getEndpoints('ep2', 'probe')) !== undefined,
    'probe endpoints',
  );
  expect((await getEndpoints('ep2', 'web'))!.metadata!.resourceVersion).toBe(before);
});

test('a headless Service gets the headless label; a Service without selector or of type ExternalName gets nothing', async () => {
  await createNamespace('ep3');
  await createService('ep3', 'headless', {
    selector: { app: 'web' },
    clusterIP: 'None',
    ports: [{ port: 80 }],
  });
  await createService('ep3', 'manual', { ports: [{ port: 80 }] });
  await api.create(
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'manual', namespace: 'ep3' },
      subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }],
    },
    { kind: Endpoints },
  );
  await createService('ep3', 'external', { type: 'ExternalName', externalName: 'example.com' });
  await createPod('ep3', 'a', '10.3.0.1', true);
  await eventually(
    async () => (await getEndpoints('ep3', 'headless'))?.subsets?.length === 1,
    'headless endpoints',
  );
  expect((await getEndpoints('ep3', 'headless'))!.metadata?.labels).toEqual({
    'service.kubernetes.io/headless': '',
  });
  const manual = (await getEndpoints('ep3', 'manual'))!;
  expect(manual.subsets?.[0]?.addresses?.[0]?.ip).toBe('192.0.2.1');
  expect(await getEndpoints('ep3', 'external')).toBeUndefined();
});

test('deleting the Service deletes its Endpoints', async () => {
  await createNamespace('ep4');
  await createService('ep4', 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
  await eventually(
    async () => (await getEndpoints('ep4', 'web')) !== undefined,
    'endpoints created',
  );
  await api.delete(Service, 'web', { namespace: 'ep4' });
  await eventually(
    async () => (await getEndpoints('ep4', 'web')) === undefined,
    'endpoints deleted',
  );
});

test('relabelling a pod moves it between services', async () => {
  await createNamespace('ep5');
  await createService('ep5', 'one', { selector: { app: 'one' }, ports: [{ port: 80 }] });
  await createService('ep5', 'two', { selector: { app: 'two' }, ports: [{ port: 80 }] });
  await createPod('ep5', 'a', '10.5.0.1', true, { app: 'one' });
  await eventually(async () => (await getEndpoints('ep5', 'one'))?.subsets?.length === 1, 'in one');
  await api.patch(Pod, 'a', { metadata: { labels: { app: 'two' } } }, { namespace: 'ep5' });
  await eventually(async () => {
    const one = await getEndpoints('ep5', 'one');
    const two = await getEndpoints('ep5', 'two');
    return (one?.subsets ?? []).length === 0 && two?.subsets?.length === 1;
  }, 'moved to two');
});
