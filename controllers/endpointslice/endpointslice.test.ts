import { EndpointSlice, Endpoints, Pod, Service, type ApiClient } from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import { serviceAccountController } from '../serviceaccount/serviceaccounts.js';
import {
  createNamespace as createNs,
  createNode,
  setPodStatus,
  startClusterHarness,
  testPod,
  type ClusterHarness,
} from '../testharness.js';
import { endpointSliceController } from './endpointslice.js';
import { endpointSliceMirroringController } from './mirroring.js';

let h: ClusterHarness;
let api: ApiClient;

beforeAll(async () => {
  h = await startClusterHarness({
    descriptors: [
      serviceAccountController,
      endpointSliceController,
      endpointSliceMirroringController,
    ],
    setup: (env) => createNode(env.client, 'node-1', 'zone-a'),
  });
  api = h.env.client;
});
afterAll(() => h.stop());

const createNamespace = (name: string) => createNs(api, name);

async function slicesOf(ns: string, svc: string, managedBy = 'endpointslice-controller.k8s.io') {
  const list = await api.list(EndpointSlice, {
    namespace: ns,
    labelSelector: `kubernetes.io/service-name=${svc},endpointslice.kubernetes.io/managed-by=${managedBy}`,
  });
  return list.items;
}

async function createService(ns: string, name: string, spec: Service['spec']) {
  return api.create<Service>(
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec },
    { kind: Service },
  );
}

async function createReadyPods(ns: string, n: number, prefix = 'p') {
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const name = `${prefix}${i}`;
      await api.create(testPod(ns, name, { labels: { app: 'web' }, nodeName: 'node-1' }), {
        kind: Pod,
      });
      await setPodStatus(api, ns, name, {
        ip: `10.9.${Math.floor(i / 250)}.${(i % 250) + 1}`,
        ready: true,
      });
    }),
  );
}

test('a Service without pods gets one empty placeholder slice owned by it', async () => {
  await createNamespace('es1');
  const svc = await createService('es1', 'web', {
    selector: { app: 'web' },
    ports: [{ port: 80 }],
  });
  await eventually(async () => (await slicesOf('es1', 'web')).length === 1, 'placeholder');
  const [slice] = await slicesOf('es1', 'web');
  expect(slice!.endpoints ?? []).toEqual([]);
  expect(slice!.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
  expect(slice!.metadata?.ownerReferences).toEqual([
    expect.objectContaining({
      kind: 'Service',
      name: 'web',
      uid: svc.metadata?.uid,
      controller: true,
    }),
  ]);
});

test('250 ready pods are spread over 3 slices of 100, 100 and 50, the placeholder reused', async () => {
  await createNamespace('es2');
  await createService('es2', 'web', {
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  });
  await eventually(async () => (await slicesOf('es2', 'web')).length === 1, 'placeholder');
  const placeholder = (await slicesOf('es2', 'web'))[0]!.metadata!.name;
  await createReadyPods('es2', 250);
  await eventually(
    async () => {
      const sizes = (await slicesOf('es2', 'web'))
        .map((s) => (s.endpoints ?? []).length)
        .sort((a, b) => b - a);
      return sizes.join() === '100,100,50';
    },
    '3 slices',
    20_000,
  );
  const slices = await slicesOf('es2', 'web');
  expect(slices.map((s) => s.metadata?.name)).toContain(placeholder);
  for (const s of slices) {
    expect(s.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(s.endpoints?.[0]).toMatchObject({
      conditions: { ready: true, serving: true, terminating: false },
      zone: 'zone-a',
      nodeName: 'node-1',
    });
  }
}, 60_000);

test('a terminating pod stays in its slice with ready:false, serving:true, terminating:true', async () => {
  await createNamespace('es3');
  await createService('es3', 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
  await createReadyPods('es3', 2);
  await eventually(
    async () => (await slicesOf('es3', 'web'))[0]?.endpoints?.length === 2,
    'two endpoints',
  );
  // Bound to a node and deleted with a grace period: it stays, terminating, until a kubelet confirms.
  await api.delete(Pod, 'p0', { namespace: 'es3', gracePeriodSeconds: 30 });
  await eventually(async () => {
    const ep = (await slicesOf('es3', 'web'))[0]?.endpoints?.find(
      (e) => e.targetRef?.name === 'p0',
    );
    return ep?.conditions?.terminating === true;
  }, 'terminating endpoint');
  const ep = (await slicesOf('es3', 'web'))[0]!.endpoints!.find((e) => e.targetRef?.name === 'p0');
  expect(ep!.conditions).toEqual({ ready: false, serving: true, terminating: true });
});

describe('mirroring', () => {
  test('Endpoints of a selectorless Service are mirrored into a slice owned by the Endpoints', async () => {
    await createNamespace('mi1');
    await createService('mi1', 'ext', { ports: [{ port: 80 }] });
    const ep = await api.create<Endpoints>(
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: {
          name: 'ext',
          namespace: 'mi1',
          labels: { team: 'a' },
          annotations: { note: 'x' },
        },
        subsets: [
          {
            addresses: [{ ip: '192.0.2.1' }],
            notReadyAddresses: [{ ip: '192.0.2.2' }],
            ports: [{ name: 'http', port: 80 }],
          },
        ],
      },
      { kind: Endpoints },
    );
    await eventually(
      async () =>
        (await slicesOf('mi1', 'ext', 'endpointslicemirroring-controller.k8s.io')).length === 1,
      'mirrored slice',
    );
    const [slice] = await slicesOf('mi1', 'ext', 'endpointslicemirroring-controller.k8s.io');
    expect(slice!.addressType).toBe('IPv4');
    expect(slice!.metadata?.labels?.team).toBe('a');
    expect(slice!.metadata?.annotations).toEqual({ note: 'x' });
    expect(slice!.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Endpoints',
      uid: ep.metadata?.uid,
    });
    expect(slice!.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    expect(slice!.endpoints).toEqual(
      expect.arrayContaining([
        { addresses: ['192.0.2.1'], conditions: { ready: true } },
        { addresses: ['192.0.2.2'], conditions: { ready: false } },
      ]),
    );
    // The EndpointSlice controller leaves a selectorless Service alone.
    expect(await slicesOf('mi1', 'ext')).toEqual([]);
  });

  test('skip-mirror Endpoints are not mirrored, and a Service gaining a selector loses its mirrored slices', async () => {
    await createNamespace('mi2');
    await createService('mi2', 'skip', { ports: [{ port: 80 }] });
    await createService('mi2', 'later', { ports: [{ port: 80 }] });
    for (const [name, labels] of [
      ['skip', { 'endpointslice.kubernetes.io/skip-mirror': 'true' }],
      ['later', {}],
    ] as const) {
      await api.create<Endpoints>(
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name, namespace: 'mi2', labels: { ...labels } },
          subsets: [{ addresses: [{ ip: '192.0.2.9' }], ports: [{ port: 80 }] }],
        },
        { kind: Endpoints },
      );
    }
    await eventually(
      async () =>
        (await slicesOf('mi2', 'later', 'endpointslicemirroring-controller.k8s.io')).length === 1,
      'later mirrored',
    );
    expect(await slicesOf('mi2', 'skip', 'endpointslicemirroring-controller.k8s.io')).toEqual([]);
    await api.patch(Service, 'later', { spec: { selector: { app: 'web' } } }, { namespace: 'mi2' });
    await eventually(
      async () =>
        (await slicesOf('mi2', 'later', 'endpointslicemirroring-controller.k8s.io')).length === 0,
      'mirrored slices removed',
    );
  });
});
