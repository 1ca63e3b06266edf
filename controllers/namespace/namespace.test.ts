import {
  ConfigMap,
  FakeClock,
  isNotFound,
  Namespace,
  Pod,
  Secret,
  Service,
  StatusError,
  type ApiClient,
  type Kind,
} from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import { garbageCollectorController } from '../gc/garbagecollector.js';
import type { ControllerDescriptor } from '../registry.js';
import { serviceAccountController } from '../serviceaccount/serviceaccounts.js';
import {
  createNamespace as createNs,
  exists as objectExists,
  installTestCRD,
  startClusterHarness,
  testPod,
  type ClusterHarness,
} from '../testharness.js';
import { registerNamespaceController } from './namespace.js';

const Widget: Kind = {
  group: 'ns.kuberx.test',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};

/** The namespace controller without the 5 s grace delay, for speed (the delay has its own test). */
const fastNamespace: ControllerDescriptor = {
  name: 'namespace',
  defaultConcurrency: 10,
  register: (context) => void registerNamespaceController(context, { deletionGracePeriodMs: 0 }),
};

let h: ClusterHarness;
let api: ApiClient;

beforeAll(async () => {
  h = await startClusterHarness({
    descriptors: [serviceAccountController, garbageCollectorController, fastNamespace],
    setup: (env) => installTestCRD(env.client, Widget),
  });
  api = h.env.client;
}, 30_000);
afterAll(() => h.stop());

const exists = (kind: Kind, ns: string | undefined, name: string) =>
  objectExists(api, kind, ns, name);

const createNamespace = (name: string) => createNs(api, name);

test('deleting a namespace removes every kind of content (custom resources too), then the namespace', async () => {
  await createNamespace('doomed');
  await api.create(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'doomed' } },
    { kind: ConfigMap },
  );
  await api.create(
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'doomed' } },
    { kind: Secret },
  );
  await api.create(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', namespace: 'doomed' },
      spec: { ports: [{ port: 80 }] },
    },
    { kind: Service },
  );
  await api.create(testPod('doomed', 'pod'), { kind: Pod });
  await api.create(
    {
      apiVersion: 'ns.kuberx.test/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'doomed' },
    },
    { kind: Widget },
  );
  const deleted = await api.delete(Namespace, 'doomed');
  expect((deleted as Namespace).status?.phase).toBe('Terminating');
  await eventually(async () => !(await exists(Namespace, undefined, 'doomed')), 'namespace gone');
  expect(await api.list(Widget, { namespace: 'doomed' })).toMatchObject({ items: [] });
  expect((await api.list(ConfigMap, { namespace: 'doomed' })).items).toEqual([]);
});

test('content held by a finalizer keeps the namespace, with NamespaceContentRemaining / NamespaceFinalizersRemaining', async () => {
  await createNamespace('held');
  await api.create(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', namespace: 'held', finalizers: ['example.com/hold'] },
    },
    { kind: ConfigMap },
  );
  await api.create(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'free', namespace: 'held' } },
    { kind: ConfigMap },
  );
  await api.delete(Namespace, 'held');
  await eventually(async () => {
    const ns = await api.get(Namespace, 'held');
    return (ns.status?.conditions ?? []).some(
      (c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True',
    );
  }, 'finalizer condition');
  const ns = await api.get(Namespace, 'held');
  const byType = Object.fromEntries((ns.status?.conditions ?? []).map((c) => [c.type, c]));
  expect(byType.NamespaceContentRemaining).toMatchObject({
    status: 'True',
    reason: 'SomeResourcesRemain',
    message: 'Some resources are remaining: configmaps. has 1 resource instances',
  });
  expect(byType.NamespaceFinalizersRemaining).toMatchObject({
    status: 'True',
    reason: 'SomeFinalizersRemain',
    message:
      'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
  });
  expect(byType.NamespaceDeletionDiscoveryFailure).toMatchObject({
    status: 'False',
    reason: 'ResourcesDiscovered',
  });
  expect(ns.status?.phase).toBe('Terminating');
  expect(ns.spec?.finalizers).toEqual(['kubernetes']);
  expect(await exists(ConfigMap, 'held', 'free')).toBe(false);

  // Creates into the terminating namespace are refused with the NamespaceTerminating cause.
  const refused = await api
    .create(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'held' } },
      { kind: ConfigMap },
    )
    .catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(StatusError);
  expect((refused as StatusError).status.code).toBe(403);
  expect((refused as StatusError).status.details?.causes?.[0]?.reason).toBe('NamespaceTerminating');

  // Once the finalizer is released, the namespace goes (the controller retries after estimate/2+1 s).
  await api.patch(ConfigMap, 'cm', { metadata: { finalizers: null } }, { namespace: 'held' });
  await eventually(
    async () => !(await exists(Namespace, undefined, 'held')),
    'namespace gone',
    20_000,
  );
}, 30_000);

test('namespace events wait 5 s (namespaceDeletionGracePeriod) before the namespace is emptied', async () => {
  const clock = new FakeClock(Date.now());
  const delayed: ControllerDescriptor = {
    name: 'namespace',
    defaultConcurrency: 1,
    register: (context) => void registerNamespaceController(context),
  };
  const slow = await startClusterHarness({ descriptors: [delayed], clock });
  try {
    const client = slow.env.client;
    await client.create(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'later' } },
      { kind: Namespace },
    );
    await client.create(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'later' } },
      { kind: ConfigMap },
    );
    await client.delete(Namespace, 'later');
    // The controller's cache has seen the deletion…
    await eventually(
      async () => !!(await slow.manager.client.get(Namespace, 'later')).metadata?.deletionTimestamp,
      'deletion observed',
    );
    await clock.advance(4900);
    await new Promise((r) => setTimeout(r, 100));
    // …but nothing is removed before 5 s have passed.
    expect((await client.get(ConfigMap, 'cm', { namespace: 'later' })).metadata?.name).toBe('cm');
    await clock.advance(100);
    await eventually(async () => {
      try {
        await client.get(Namespace, 'later');
        return false;
      } catch (err) {
        return isNotFound(err);
      }
    }, 'namespace gone after 5 s');
  } finally {
    await slow.stop();
  }
});
