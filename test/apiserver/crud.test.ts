import { startTestServer, type TestServer } from './harness.js';

const cms = '/api/v1/namespaces/default/configmaps';
const deploys = '/apis/apps/v1/namespaces/default/deployments';

function deployment(name: string, replicas = 1) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    },
  };
}

describe('create, get, update', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  test('a create answers 201 with uid, creationTimestamp and resourceVersion set by the server', async () => {
    const r = await s.request('POST', cms, {
      body: {
        metadata: { name: 'c1', uid: 'mine', creationTimestamp: '2000-01-01T00:00:00Z' },
        data: { a: 'b' },
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(r.body.metadata.creationTimestamp).not.toBe('2000-01-01T00:00:00Z');
    expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThan(0);
    const g = await s.request('GET', `${cms}/c1`);
    expect(g.body).toEqual(r.body);
  });

  test('creating an existing name is 409 AlreadyExists', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'dup' } } });
    const r = await s.request('POST', cms, { body: { metadata: { name: 'dup' } } });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "dup" already exists',
    });
  });

  test('generateName gets a five-character suffix', async () => {
    const r = await s.request('POST', cms, { body: { metadata: { generateName: 'gen-' } } });
    expect(r.status).toBe(201);
    expect(r.body.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('a missing object is 404 with upstream wording', async () => {
    const r = await s.request('GET', `${cms}/nope`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'configmaps', group: '' },
      code: 404,
    });
  });

  test('an update with a stale resourceVersion is 409 Conflict', async () => {
    const c = await s.request('POST', cms, {
      body: { metadata: { name: 'u1' }, data: { v: '1' } },
    });
    const first = await s.request('PUT', `${cms}/u1`, { body: { ...c.body, data: { v: '2' } } });
    expect(first.status).toBe(200);
    const stale = await s.request('PUT', `${cms}/u1`, { body: { ...c.body, data: { v: '3' } } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toBe(
      'Operation cannot be fulfilled on configmaps "u1": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  test('an update without resourceVersion overwrites (unconditional update)', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'u2' }, data: { v: '1' } } });
    const r = await s.request('PUT', `${cms}/u2`, {
      body: { metadata: { name: 'u2' }, data: { v: '9' } },
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ v: '9' });
  });

  test('an update that changes nothing keeps the resourceVersion', async () => {
    const c = await s.request('POST', cms, {
      body: { metadata: { name: 'same' }, data: { v: '1' } },
    });
    const r = await s.request('PUT', `${cms}/same`, { body: c.body });
    expect(r.body.metadata.resourceVersion).toBe(c.body.metadata.resourceVersion);
  });

  test('a PUT of a missing object is 404 for types without create-on-update', async () => {
    const r = await s.request('PUT', `${cms}/ghost`, { body: { metadata: { name: 'ghost' } } });
    expect(r.status).toBe(404);
  });

  test('a body naming another namespace is 400', async () => {
    const r = await s.request('POST', cms, {
      body: { metadata: { name: 'x', namespace: 'other' } },
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  test('a body naming another name than the URL is 400', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'n1' } } });
    const r = await s.request('PUT', `${cms}/n1`, { body: { metadata: { name: 'n2' } } });
    expect(r.status).toBe(400);
  });

  test('dryRun=All validates and answers without storing', async () => {
    const r = await s.request('POST', `${cms}?dryRun=All`, { body: { metadata: { name: 'dry' } } });
    expect(r.status).toBe(201);
    expect(r.body.metadata.resourceVersion).toBeUndefined();
    expect((await s.request('GET', `${cms}/dry`)).status).toBe(404);
  });

  test('an unknown dryRun value is 422 on CreateOptions', async () => {
    const r = await s.request('POST', `${cms}?dryRun=Some`, {
      body: { metadata: { name: 'dry2' } },
    });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain(
      'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value',
    );
  });

  test('an invalid name is 422 Invalid with causes', async () => {
    const r = await s.request('POST', cms, { body: { metadata: { name: 'Bad_Name' } } });
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe('Invalid');
    expect(r.body.details.causes[0].field).toBe('metadata.name');
  });

  test('creating in a missing namespace is 404 for the namespace', async () => {
    const r = await s.request('POST', '/api/v1/namespaces/missing/configmaps', {
      body: { metadata: { name: 'x' } },
    });
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('namespaces "missing" not found');
  });

  test('a body larger than 3 MiB is 413', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024 + 10);
    const r = await s.request('POST', cms, { body: { metadata: { name: 'big' }, data: { big } } });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ reason: 'RequestEntityTooLarge', code: 413 });
  });

  test('a body that is not JSON is 400', async () => {
    const r = await s.request('POST', cms, {
      raw: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(400);
    expect(r.body.kind).toBe('Status');
  });

  test('a YAML body is accepted', async () => {
    const r = await s.request('POST', cms, {
      raw: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromyaml\ndata:\n  k: v\n',
      headers: { 'content-type': 'application/yaml' },
    });
    expect(r.status).toBe(201);
    expect(r.body.data).toEqual({ k: 'v' });
  });

  test('an unsupported body type is 415', async () => {
    const r = await s.request('POST', cms, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(415);
  });

  test('asking only for a media type the server does not produce is 406', async () => {
    const r = await s.request('GET', cms, {
      headers: { accept: 'application/xml' },
    });
    expect(r.status).toBe(406);
    expect(r.body.reason).toBe('NotAcceptable');
  });

  test('YAML is served when asked for', async () => {
    const r = await s.request('GET', '/api/v1/namespaces/default', {
      headers: { accept: 'application/yaml' },
    });
    expect(r.headers.get('content-type')).toBe('application/yaml');
    expect(r.text).toContain('kind: Namespace');
  });

  test('a wrong kind in the body is 400', async () => {
    const r = await s.request('POST', cms, { body: { kind: 'Secret', metadata: { name: 'k' } } });
    expect(r.status).toBe(400);
  });

  test('POST on a named object is 405', async () => {
    const r = await s.request('POST', `${cms}/c1`, { body: { metadata: { name: 'c1' } } });
    expect(r.status).toBe(405);
    expect(r.body.reason).toBe('MethodNotAllowed');
  });

  test('unknown fields are dropped and reported as warnings by default', async () => {
    const r = await s.request('POST', deploys, {
      body: { ...deployment('warned'), spec: { ...deployment('warned').spec, bogus: 1 } },
    });
    expect(r.status).toBe(201);
    expect(r.body.spec.bogus).toBeUndefined();
    expect(r.headers.get('warning')).toBe('299 - "unknown field \\"spec.bogus\\""');
  });

  test('fieldValidation=Strict refuses unknown fields with 400', async () => {
    const r = await s.request('POST', `${deploys}?fieldValidation=Strict`, {
      body: { ...deployment('strict'), spec: { ...deployment('strict').spec, bogus: 1 } },
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('strict decoding error: unknown field "spec.bogus"');
  });

  describe('spec and status', () => {
    test('generation is 1 on create and grows on spec changes only', async () => {
      const c = await s.request('POST', deploys, { body: deployment('gen') });
      expect(c.body.metadata.generation).toBe(1);
      const labelled = await s.request('PUT', `${deploys}/gen`, {
        body: { ...c.body, metadata: { ...c.body.metadata, labels: { x: 'y' } } },
      });
      expect(labelled.body.metadata.generation).toBe(1);
      const scaled = await s.request('PUT', `${deploys}/gen`, {
        body: { ...labelled.body, spec: { ...labelled.body.spec, replicas: 3 } },
      });
      expect(scaled.body.metadata.generation).toBe(2);
    });

    test('the main resource ignores status and /status ignores spec', async () => {
      const c = await s.request('POST', deploys, {
        body: { ...deployment('split'), status: { replicas: 7 } },
      });
      expect(c.body.status?.replicas).toBeUndefined();
      const st = await s.request('PUT', `${deploys}/split/status`, {
        body: { ...c.body, spec: { ...c.body.spec, replicas: 5 }, status: { replicas: 2 } },
      });
      expect(st.status).toBe(200);
      expect(st.body.status.replicas).toBe(2);
      expect(st.body.spec.replicas).toBe(1);
      expect(st.body.metadata.generation).toBe(1);
      const main = await s.request('PUT', `${deploys}/split`, {
        body: { ...st.body, status: { replicas: 99 } },
      });
      expect(main.body.status.replicas).toBe(2);
    });

    test('GET /status answers the whole object', async () => {
      await s.request('POST', deploys, { body: deployment('getstatus') });
      const r = await s.request('GET', `${deploys}/getstatus/status`);
      expect(r.body.kind).toBe('Deployment');
      expect(r.body.metadata.name).toBe('getstatus');
    });
  });

  describe('failures inside the machinery', () => {
    test('an exception in a type hook is a 500 InternalError Status without a stack trace', async () => {
      s.server.registry.add({
        group: 'example.com',
        version: 'v1',
        resource: 'brokens',
        singularName: 'broken',
        kind: 'Broken',
        namespaced: true,
        storagePrefix: 'example.com/brokens',
        defaults() {
          throw new Error('boom');
        },
      });
      const r = await s.request('POST', '/apis/example.com/v1/namespaces/default/brokens', {
        body: { metadata: { name: 'b' } },
      });
      expect(r.status).toBe(500);
      expect(r.body).toMatchObject({
        kind: 'Status',
        reason: 'InternalError',
        message: 'Internal error occurred: boom',
      });
      expect(r.text).not.toContain('    at ');
    });

    test('a verb the resource does not serve is 405 MethodNotAllowed', async () => {
      s.server.registry.add({
        group: 'example.com',
        version: 'v1',
        resource: 'readonlies',
        singularName: 'readonly',
        kind: 'ReadOnly',
        namespaced: false,
        storagePrefix: 'example.com/readonlies',
        verbs: ['get', 'list', 'watch'],
      });
      const r = await s.request('POST', '/apis/example.com/v1/readonlies', {
        body: { metadata: { name: 'x' } },
      });
      expect(r.status).toBe(405);
      expect(r.body.message).toBe(
        'create is not supported on resources of kind "readonlies.example.com"',
      );
    });
  });
});
