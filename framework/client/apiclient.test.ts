import { FakeClock, isConflict, isNotFound, StatusError } from '../../common/index.js';
import { ScriptedServer, sendJson, sendStatus } from '../testing/scripted-server.js';
import { ApiClient } from './apiclient.js';
import { kinds } from './kinds.js';
import { RestClient } from './rest.js';
import { NoKindMatchError, RestMapper } from './restmapper.js';
import { KubeConfigTransport } from './transport.js';

let server: ScriptedServer;
let transport: KubeConfigTransport;

function clientWith(clock = new FakeClock(), token?: string) {
  transport = new KubeConfigTransport(server.kubeConfig(token), { clock });
  const rest = new RestClient(transport, { clock });
  return { client: new ApiClient(rest, { fieldManager: 'tester' }), clock, rest };
}

beforeEach(async () => {
  server = await ScriptedServer.start();
});

afterEach(async () => {
  transport?.close();
  await server.stop();
});

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod', resourceVersion: '5' },
};

describe('paths and verbs', () => {
  test.each([
    {
      what: 'a namespaced core object',
      kind: kinds.Pod,
      ns: 'ns',
      name: 'p',
      path: '/api/v1/namespaces/ns/pods/p',
    },
    {
      what: 'a namespaced group object',
      kind: kinds.Deployment,
      ns: 'ns',
      name: 'd',
      path: '/apis/apps/v1/namespaces/ns/deployments/d',
    },
    {
      what: 'a cluster-scoped object (namespace ignored)',
      kind: kinds.Node,
      ns: 'ns',
      name: 'n1',
      path: '/api/v1/nodes/n1',
    },
  ])('get of $what uses $path', async ({ kind, ns, name, path }) => {
    server.on('GET', path, (_req, res) => sendJson(res, { kind: 'X', metadata: { name } }));
    const { client } = clientWith();
    await expect(client.get(kind, name, { namespace: ns })).resolves.toMatchObject({
      metadata: { name },
    });
  });

  test('the bearer token of the kubeconfig is sent', async () => {
    server.on('GET', '/api/v1/namespaces/ns/pods/p', (_req, res) => sendJson(res, {}));
    const { client } = clientWith(new FakeClock(), 'sekret');
    await client.get(kinds.Pod, 'p', { namespace: 'ns' });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sekret');
  });

  test('create posts to the collection with the field manager and fills in apiVersion/kind', async () => {
    server.on('POST', '/apis/apps/v1/namespaces/prod/deployments', (req, res) =>
      sendJson(res, JSON.parse(req.body), 201),
    );
    const { client } = clientWith();
    const created = await client.create(
      { metadata: { name: 'web', namespace: 'prod' } },
      { kind: kinds.Deployment },
    );
    expect(created).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
    expect(server.requests[0]!.query.get('fieldManager')).toBe('tester');
  });

  test('updateStatus puts to the status subresource', async () => {
    server.on('PUT', '/apis/apps/v1/namespaces/prod/deployments/web/status', (req, res) =>
      sendJson(res, JSON.parse(req.body)),
    );
    const { client } = clientWith();
    await client.updateStatus(deployment);
    expect(server.requests[0]!.method).toBe('PUT');
  });

  test.each([
    ['merge', 'application/merge-patch+json'],
    ['json', 'application/json-patch+json'],
    ['strategic', 'application/strategic-merge-patch+json'],
  ] as const)('a %s patch is sent as %s', async (type, contentType) => {
    server.on('PATCH', '/apis/apps/v1/namespaces/prod/deployments/web', (_req, res) =>
      sendJson(res, deployment),
    );
    const { client } = clientWith();
    await client.patch(kinds.Deployment, 'web', {}, { namespace: 'prod', type });
    expect(server.requests[0]!.headers['content-type']).toBe(contentType);
  });

  test('apply sends an apply patch with fieldManager and force', async () => {
    server.on('PATCH', '/apis/apps/v1/namespaces/prod/deployments/web', (_req, res) =>
      sendJson(res, deployment),
    );
    const { client } = clientWith();
    await client.apply(deployment, { force: true, fieldManager: 'ctrl' });
    const req = server.requests[0]!;
    expect(req.headers['content-type']).toBe('application/apply-patch+yaml');
    expect(req.query.get('fieldManager')).toBe('ctrl');
    expect(req.query.get('force')).toBe('true');
  });

  test('delete sends DeleteOptions with the propagation policy and preconditions', async () => {
    server.on('DELETE', '/apis/apps/v1/namespaces/prod/deployments/web', (_req, res) =>
      sendJson(res, { kind: 'Status', status: 'Success' }),
    );
    const { client } = clientWith();
    await client.delete(kinds.Deployment, 'web', {
      namespace: 'prod',
      propagationPolicy: 'Foreground',
      preconditions: { uid: 'u1' },
    });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
      preconditions: { uid: 'u1' },
    });
  });

  test('a namespaced object without a namespace is refused before any request', async () => {
    const { client } = clientWith();
    await expect(client.get(kinds.Pod, 'p')).rejects.toThrow(
      'a namespace is required for Pod (a namespaced kind)',
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe('errors', () => {
  test('a Status body becomes a StatusError with its reason', async () => {
    server.on('GET', '/api/v1/namespaces/ns/pods/p', (_req, res) =>
      sendStatus(res, 404, 'NotFound', 'pods "p" not found'),
    );
    const { client } = clientWith();
    const err = await client.get(kinds.Pod, 'p', { namespace: 'ns' }).catch((e) => e);
    expect(isNotFound(err)).toBe(true);
    expect((err as StatusError).message).toBe('pods "p" not found');
  });

  test('a non-Status error body still becomes a StatusError with the code', async () => {
    server.on('PUT', '/apis/apps/v1/namespaces/prod/deployments/web', (_req, res) => {
      res.writeHead(409);
      res.end('conflict!');
    });
    const { client } = clientWith();
    const err = await client.update(deployment).catch((e) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect(isConflict(err)).toBe(true);
  });

  test('429 with Retry-After is retried after that many seconds on the clock', async () => {
    let calls = 0;
    server.on('GET', '/api/v1/namespaces/ns/pods/p', (_req, res) => {
      calls++;
      if (calls === 1) sendStatus(res, 429, 'TooManyRequests', 'slow down', { 'Retry-After': '3' });
      else sendJson(res, { metadata: { name: 'p' } });
    });
    const { client, clock } = clientWith();
    const result = client.get(kinds.Pod, 'p', { namespace: 'ns' });
    await server.waitFor(() => true, 1);
    await waitUntil(() => clock.pendingTimers === 1);
    await clock.advance(2999);
    expect(calls).toBe(1);
    await clock.advance(1);
    await expect(result).resolves.toMatchObject({ metadata: { name: 'p' } });
    expect(calls).toBe(2);
  });

  test('429 without Retry-After is not retried', async () => {
    server.on('GET', '/api/v1/namespaces/ns/pods/p', (_req, res) =>
      sendStatus(res, 429, 'TooManyRequests', 'slow down'),
    );
    const { client } = clientWith();
    await expect(client.get(kinds.Pod, 'p', { namespace: 'ns' })).rejects.toMatchObject({
      code: 429,
    });
    expect(server.requests).toHaveLength(1);
  });

  test('401 refreshes credentials and retries exactly once', async () => {
    server.on('GET', '/api/v1/namespaces/ns/pods/p', (_req, res) =>
      sendStatus(res, 401, 'Unauthorized', 'Unauthorized'),
    );
    const { client } = clientWith();
    await expect(client.get(kinds.Pod, 'p', { namespace: 'ns' })).rejects.toMatchObject({
      code: 401,
    });
    expect(server.requests).toHaveLength(2);
  });

  test('a refused connection rejects with the network error', async () => {
    const { client } = clientWith();
    await server.stop();
    await expect(client.get(kinds.Pod, 'p', { namespace: 'ns' })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    server = await ScriptedServer.start();
  });
});

describe('lists', () => {
  test('listAll follows continue tokens without resending resourceVersion', async () => {
    server.on('GET', '/api/v1/pods', (req, res) => {
      const token = req.query.get('continue');
      if (!token) {
        sendJson(res, { metadata: { continue: 'c1', resourceVersion: '10' }, items: [{ n: 1 }] });
      } else {
        sendJson(res, { metadata: { resourceVersion: '10' }, items: [{ n: 2 }] });
      }
    });
    const { client } = clientWith();
    const all = await client.listAll(kinds.Pod, { resourceVersion: '0', pageSize: 1 });
    expect(all.items).toEqual([{ n: 1 }, { n: 2 }]);
    expect(all.metadata.resourceVersion).toBe('10');
    const [first, second] = server.requests;
    expect(first!.query.get('limit')).toBe('1');
    expect(first!.query.get('resourceVersion')).toBe('0');
    expect(second!.query.get('continue')).toBe('c1');
    expect(second!.query.has('resourceVersion')).toBe(false);
  });
});

describe('REST mapper', () => {
  const discovery = {
    kind: 'APIResourceList',
    groupVersion: 'stable.example.com/v1',
    resources: [
      { name: 'crontabs', singularName: 'crontab', namespaced: true, kind: 'CronTab', verbs: [] },
      { name: 'crontabs/status', namespaced: true, kind: 'CronTab', verbs: [] },
    ],
  };

  test('an unknown kind is mapped through discovery and cached', async () => {
    server.on('GET', '/apis/stable.example.com/v1', (_req, res) => sendJson(res, discovery));
    server.on('GET', '/apis/stable.example.com/v1/namespaces/ns/crontabs/c', (_req, res) =>
      sendJson(res, { metadata: { name: 'c' } }),
    );
    const { client } = clientWith();
    const gvk = { group: 'stable.example.com', version: 'v1', kind: 'CronTab' };
    await client.get(gvk, 'c', { namespace: 'ns' });
    await client.get(gvk, 'c', { namespace: 'ns' });
    expect(server.matching('GET', '/apis/stable.example.com/v1')).toHaveLength(1);
  });

  test('a kind the server does not serve is a NoKindMatchError with upstream wording', async () => {
    server.on('GET', '/apis/stable.example.com/v1', (_req, res) =>
      sendJson(res, { ...discovery, resources: [] }),
    );
    const clock = new FakeClock();
    const { rest } = clientWith(clock);
    const mapper = new RestMapper(rest);
    const gvk = { group: 'stable.example.com', version: 'v1', kind: 'CronTab' };
    const err = await mapper.mapping(gvk).catch((e) => e);
    expect(err).toBeInstanceOf(NoKindMatchError);
    expect(err.message).toBe('no matches for kind "CronTab" in version "stable.example.com/v1"');
  });

  test('a missing kind refetches discovery once the refresh interval passed (a CRD appeared)', async () => {
    let served = false;
    server.on('GET', '/apis/stable.example.com/v1', (_req, res) =>
      sendJson(res, served ? discovery : { ...discovery, resources: [] }),
    );
    const clock = new FakeClock();
    const { rest } = clientWith(clock);
    const mapper = new RestMapper(rest, { refreshMs: 1000 });
    const gvk = { group: 'stable.example.com', version: 'v1', kind: 'CronTab' };
    await expect(mapper.mapping(gvk)).rejects.toThrow(NoKindMatchError);
    served = true;
    await expect(mapper.mapping(gvk)).rejects.toThrow(NoKindMatchError); // too soon to refetch
    clock.step(1000);
    await expect(mapper.mapping(gvk)).resolves.toMatchObject({
      plural: 'crontabs',
      namespaced: true,
    });
  });
});

async function waitUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!cond()) throw new Error('condition not reached');
}
