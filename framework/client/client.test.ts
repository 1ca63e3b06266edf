import { FakeInformer } from '../testing/fake-informer.js';
import { ScriptedServer, sendJson } from '../testing/scripted-server.js';
import { ApiClient } from './apiclient.js';
import { Client, type InformerSource } from './client.js';
import { ConfigMap, Secret } from './kinds.js';
import { RestClient } from './rest.js';
import { KubeConfigTransport } from './transport.js';
import type { KubernetesObject } from './types.js';

let server: ScriptedServer;
let transport: KubeConfigTransport;
let informer: FakeInformer;
let client: Client;
let informerRequests: number;

beforeEach(async () => {
  server = await ScriptedServer.start();
  transport = new KubeConfigTransport(server.kubeConfig());
  informer = new FakeInformer();
  informer.sync();
  informerRequests = 0;
  const source: InformerSource = {
    informerFor: async () => {
      informerRequests++;
      return informer;
    },
    existing: (kind) => (kind.kind === 'ConfigMap' ? informer : undefined),
  };
  client = new Client(new ApiClient(new RestClient(transport)), source, { uncached: [Secret] });
});

afterEach(async () => {
  transport.close();
  await server.stop();
});

const cm = (name: string, rv: string): KubernetesObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', resourceVersion: rv },
});

test('a write is recorded in the existing informer, so the next cached read sees it', async () => {
  server.on('POST', '/api/v1/namespaces/ns/configmaps', (_req, res) =>
    sendJson(res, cm('a', '5'), 201),
  );
  await client.create(cm('a', ''));
  expect(informer.store.getByName('ns', 'a')?.metadata?.resourceVersion).toBe('5');
  expect((await client.get(ConfigMap, 'a', { namespace: 'ns' })).metadata?.resourceVersion).toBe(
    '5',
  );
});

test('writes never start an informer', async () => {
  server.on('POST', '/api/v1/namespaces/ns/secrets', (_req, res) =>
    sendJson(
      res,
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' } },
      201,
    ),
  );
  await client.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'ns' },
  });
  expect(informerRequests).toBe(0);
});

test('uncached kinds are read from the server', async () => {
  server.on('GET', '/api/v1/namespaces/ns/secrets/s', (_req, res) =>
    sendJson(res, { metadata: { name: 's', resourceVersion: '9' } }),
  );
  expect((await client.get(Secret, 's', { namespace: 'ns' })).metadata?.resourceVersion).toBe('9');
  expect(server.requests).toHaveLength(1);
});

test('a cached get of a missing object is a 404 as the server words it', async () => {
  await expect(client.get(ConfigMap, 'nope', { namespace: 'ns' })).rejects.toMatchObject({
    code: 404,
    reason: 'NotFound',
    message: 'configmaps "nope" not found',
  });
});

test('a field selector on a cached list is refused with a hint', async () => {
  await expect(client.list(ConfigMap, { fieldSelector: 'metadata.name=a' })).rejects.toThrow(
    'field selectors are not served from the cache',
  );
});
