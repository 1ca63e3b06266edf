import {
  ConfigMap,
  isNotFound,
  Namespace,
  ServiceAccount,
  type ApiClient,
} from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import {
  exists as objectExists,
  startClusterHarness,
  type ClusterHarness,
} from '../testharness.js';
import { rootCAConfigMapName, rootCADescription } from './defaults.js';
import { rootCACertPublisher } from './rootcacertpublisher.js';
import { serviceAccountController } from './serviceaccounts.js';

const pem =
  '-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3\n-----END CERTIFICATE-----\n';

let h: ClusterHarness;
let api: ApiClient;

beforeAll(async () => {
  h = await startClusterHarness({
    descriptors: [serviceAccountController, rootCACertPublisher],
    rootCA: pem,
  });
  api = h.env.client;
});
afterAll(() => h.stop());

const exists = (kind: typeof ServiceAccount | typeof ConfigMap, ns: string, name: string) =>
  objectExists(api, kind, ns, name);

async function createNamespace(name: string): Promise<void> {
  await api.create(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    { kind: Namespace },
  );
}

describe('ServiceAccount controller (upstream TestServiceAccountCreation)', () => {
  test('a new active namespace gets the default ServiceAccount', async () => {
    await createNamespace('sa-new');
    await eventually(() => exists(ServiceAccount, 'sa-new', 'default'), 'default SA in sa-new');
  });

  test('the system namespaces that existed before the controller started get one too', async () => {
    await eventually(() => exists(ServiceAccount, 'kube-system', 'default'), 'kube-system SA');
    await eventually(() => exists(ServiceAccount, 'default', 'default'), 'default/default SA');
  });

  test('a deleted default ServiceAccount is created again (with a new uid)', async () => {
    await createNamespace('sa-recreate');
    await eventually(() => exists(ServiceAccount, 'sa-recreate', 'default'), 'first SA');
    const first = await api.get(ServiceAccount, 'default', { namespace: 'sa-recreate' });
    await api.delete(ServiceAccount, 'default', { namespace: 'sa-recreate' });
    await eventually(async () => {
      try {
        const again = await api.get(ServiceAccount, 'default', { namespace: 'sa-recreate' });
        return again.metadata?.uid !== first.metadata?.uid;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    }, 'recreated SA');
  });

  test('an existing default ServiceAccount is left unchanged', async () => {
    await createNamespace('sa-existing');
    await eventually(() => exists(ServiceAccount, 'sa-existing', 'default'), 'SA');
    await api.patch(
      ServiceAccount,
      'default',
      { metadata: { labels: { mine: 'yes' } } },
      { namespace: 'sa-existing' },
    );
    // Make the controller sync the namespace again, then wait until it synced a later one.
    await api.patch(Namespace, 'sa-existing', { metadata: { labels: { touched: 'yes' } } });
    await createNamespace('sa-existing-probe');
    await eventually(() => exists(ServiceAccount, 'sa-existing-probe', 'default'), 'probe SA');
    const sa = await api.get(ServiceAccount, 'default', { namespace: 'sa-existing' });
    expect(sa.metadata?.labels).toEqual({ mine: 'yes' });
  });

  test('deleting an unmanaged ServiceAccount does not create anything', async () => {
    await createNamespace('sa-unmanaged');
    await eventually(() => exists(ServiceAccount, 'sa-unmanaged', 'default'), 'SA');
    await api.create(
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'other', namespace: 'sa-unmanaged' },
      },
      { kind: ServiceAccount },
    );
    await api.delete(ServiceAccount, 'other', { namespace: 'sa-unmanaged' });
    await createNamespace('sa-unmanaged-probe');
    await eventually(() => exists(ServiceAccount, 'sa-unmanaged-probe', 'default'), 'probe SA');
    expect(await exists(ServiceAccount, 'sa-unmanaged', 'other')).toBe(false);
  });

  test('a terminating namespace does not get its deleted default ServiceAccount back', async () => {
    await createNamespace('sa-terminating');
    await eventually(() => exists(ServiceAccount, 'sa-terminating', 'default'), 'SA');
    await api.delete(Namespace, 'sa-terminating');
    await api.delete(ServiceAccount, 'default', { namespace: 'sa-terminating' });
    await createNamespace('sa-terminating-probe');
    await eventually(() => exists(ServiceAccount, 'sa-terminating-probe', 'default'), 'probe SA');
    expect(await exists(ServiceAccount, 'sa-terminating', 'default')).toBe(false);
  });
});

describe('root CA publisher', () => {
  test('every namespace gets kube-root-ca.crt with the CA and the upstream description', async () => {
    await createNamespace('ca-new');
    await eventually(() => exists(ConfigMap, 'ca-new', rootCAConfigMapName), 'root CA map');
    const cm = await api.get(ConfigMap, rootCAConfigMapName, { namespace: 'ca-new' });
    expect(cm.data).toEqual({ 'ca.crt': pem });
    expect(cm.metadata?.annotations?.['kubernetes.io/description']).toBe(rootCADescription);
  });

  test('an edited map is put back, keeping foreign annotations', async () => {
    await eventually(() => exists(ConfigMap, 'default', rootCAConfigMapName), 'root CA map');
    const cm = structuredClone(
      await api.get(ConfigMap, rootCAConfigMapName, { namespace: 'default' }),
    );
    cm.data = { 'ca.crt': 'tampered', extra: 'x' };
    cm.metadata!.annotations = { ...cm.metadata!.annotations, keep: 'me' };
    await api.update(cm, { kind: ConfigMap });
    await eventually(async () => {
      const now = await api.get(ConfigMap, rootCAConfigMapName, { namespace: 'default' });
      return now.data?.['ca.crt'] === pem && now.data?.extra === undefined;
    }, 'restored map');
    const now = await api.get(ConfigMap, rootCAConfigMapName, { namespace: 'default' });
    expect(now.metadata?.annotations?.keep).toBe('me');
  });

  test('a deleted map comes back', async () => {
    await eventually(() => exists(ConfigMap, 'kube-public', rootCAConfigMapName), 'map');
    await api.delete(ConfigMap, rootCAConfigMapName, { namespace: 'kube-public' });
    await eventually(() => exists(ConfigMap, 'kube-public', rootCAConfigMapName), 'recreated map');
  });
});
