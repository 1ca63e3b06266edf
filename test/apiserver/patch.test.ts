import { startTestServer, type TestServer } from './harness.js';

const deploys = '/apis/apps/v1/namespaces/default/deployments';
const cms = '/api/v1/namespaces/default/configmaps';

function deployment(name: string) {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1', env: [{ name: 'A', value: '1' }] },
            { name: 'side', image: 'busybox' },
          ],
        },
      },
    },
  };
}

const patch = (s: TestServer, path: string, type: string, body: unknown) =>
  s.request('PATCH', path, { raw: JSON.stringify(body), headers: { 'content-type': type } });

describe('patch', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  test('a JSON patch (RFC 6902) applies its operations in order', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'jp' }, data: { a: '1', b: '2' } } });
    const r = await patch(s, `${cms}/jp`, 'application/json-patch+json', [
      { op: 'replace', path: '/data/a', value: 'x' },
      { op: 'remove', path: '/data/b' },
      { op: 'add', path: '/metadata/labels', value: { l: 'v' } },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ a: 'x' });
    expect(r.body.metadata.labels).toEqual({ l: 'v' });
  });

  test('a failing JSON patch test operation is 422 and changes nothing', async () => {
    const c = await s.request('POST', cms, {
      body: { metadata: { name: 'jpt' }, data: { a: '1' } },
    });
    const r = await patch(s, `${cms}/jpt`, 'application/json-patch+json', [
      { op: 'test', path: '/data/a', value: '2' },
      { op: 'replace', path: '/data/a', value: '3' },
    ]);
    expect(r.status).toBe(422);
    const g = await s.request('GET', `${cms}/jpt`);
    expect(g.body.metadata.resourceVersion).toBe(c.body.metadata.resourceVersion);
  });

  test('a JSON patch that is not an array is 400', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'jpb' } } });
    const r = await patch(s, `${cms}/jpb`, 'application/json-patch+json', { op: 'add' });
    expect(r.status).toBe(400);
  });

  test('a merge patch (RFC 7386) merges maps and null deletes', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'mp' }, data: { a: '1', b: '2' } } });
    const r = await patch(s, `${cms}/mp`, 'application/merge-patch+json', {
      data: { a: null, c: '3' },
    });
    expect(r.body.data).toEqual({ b: '2', c: '3' });
  });

  test('a strategic merge patch merges containers by name', async () => {
    await s.request('POST', deploys, { body: deployment('smp') });
    const r = await patch(s, `${deploys}/smp`, 'application/strategic-merge-patch+json', {
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } },
    });
    expect(r.status).toBe(200);
    const containers = r.body.spec.template.spec.containers;
    expect(containers.map((c: any) => [c.name, c.image])).toEqual([
      ['web', 'nginx:2'],
      ['side', 'busybox'],
    ]);
    expect(containers[0].env).toEqual([{ name: 'A', value: '1' }]);
    expect(r.body.metadata.generation).toBe(2);
  });

  test('a strategic merge patch on a type without it is 415', async () => {
    s.server.registry.add({
      group: 'example.com',
      version: 'v1',
      resource: 'things',
      singularName: 'thing',
      kind: 'Thing',
      namespaced: true,
      storagePrefix: 'example.com/things',
      strategicMerge: false,
    });
    await s.request('POST', '/apis/example.com/v1/namespaces/default/things', {
      body: { metadata: { name: 't' }, spec: { a: 1 } },
    });
    const r = await patch(
      s,
      '/apis/example.com/v1/namespaces/default/things/t',
      'application/strategic-merge-patch+json',
      { spec: { a: 2 } },
    );
    expect(r.status).toBe(415);
    const merge = await patch(
      s,
      '/apis/example.com/v1/namespaces/default/things/t',
      'application/merge-patch+json',
      { spec: { a: 2 } },
    );
    expect(merge.body.spec).toEqual({ a: 2 });
  });

  test('a patch naming a stale resourceVersion is 409', async () => {
    const c = await s.request('POST', cms, {
      body: { metadata: { name: 'prv' }, data: { a: '1' } },
    });
    await patch(s, `${cms}/prv`, 'application/merge-patch+json', { data: { a: '2' } });
    const r = await patch(s, `${cms}/prv`, 'application/merge-patch+json', {
      metadata: { resourceVersion: c.body.metadata.resourceVersion },
      data: { a: '3' },
    });
    expect(r.status).toBe(409);
  });

  test('a patch of a missing object is 404', async () => {
    const r = await patch(s, `${cms}/nothing`, 'application/merge-patch+json', { data: {} });
    expect(r.status).toBe(404);
  });

  test('concurrent patches all apply (they retry on conflicts instead of failing)', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'conc' }, data: {} } });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        patch(s, `${cms}/conc`, 'application/merge-patch+json', { data: { [`k${i}`]: 'v' } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const g = await s.request('GET', `${cms}/conc`);
    expect(Object.keys(g.body.data).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `k${i}`).sort(),
    );
  });

  test('a patch of /status changes only the status', async () => {
    await s.request('POST', deploys, { body: deployment('pst') });
    const r = await patch(s, `${deploys}/pst/status`, 'application/merge-patch+json', {
      spec: { replicas: 9 },
      status: { replicas: 4 },
    });
    expect(r.body.status.replicas).toBe(4);
    expect(r.body.spec.replicas).toBe(1);
  });

  test('an unknown patch content type is 415', async () => {
    await s.request('POST', cms, { body: { metadata: { name: 'ct' } } });
    const r = await patch(s, `${cms}/ct`, 'application/json', { data: {} });
    expect(r.status).toBe(415);
  });

  describe('/scale', () => {
    test('GET answers an autoscaling/v1 Scale with the selector as a string', async () => {
      const c = await s.request('POST', deploys, { body: deployment('sc') });
      const r = await s.request('GET', `${deploys}/sc/scale`);
      expect(r.body).toEqual({
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: {
          name: 'sc',
          namespace: 'default',
          uid: c.body.metadata.uid,
          resourceVersion: c.body.metadata.resourceVersion,
          creationTimestamp: c.body.metadata.creationTimestamp,
        },
        spec: { replicas: 1 },
        status: { replicas: 0, selector: 'app=sc' },
      });
    });

    test('PUT and PATCH change spec.replicas of the parent', async () => {
      await s.request('POST', deploys, { body: deployment('sc2') });
      const scale = (await s.request('GET', `${deploys}/sc2/scale`)).body;
      const put = await s.request('PUT', `${deploys}/sc2/scale`, {
        body: { ...scale, spec: { replicas: 3 } },
      });
      expect(put.body.spec.replicas).toBe(3);
      const p = await patch(s, `${deploys}/sc2/scale`, 'application/merge-patch+json', {
        spec: { replicas: 5 },
      });
      expect(p.body.spec.replicas).toBe(5);
      const d = await s.request('GET', `${deploys}/sc2`);
      expect(d.body.spec.replicas).toBe(5);
      expect(d.body.metadata.generation).toBe(3);
    });

    test('a stale Scale resourceVersion is 409 and negative replicas are 422', async () => {
      await s.request('POST', deploys, { body: deployment('sc3') });
      const scale = (await s.request('GET', `${deploys}/sc3/scale`)).body;
      await s.request('PUT', `${deploys}/sc3/scale`, { body: { ...scale, spec: { replicas: 2 } } });
      const stale = await s.request('PUT', `${deploys}/sc3/scale`, {
        body: { ...scale, spec: { replicas: 4 } },
      });
      expect(stale.status).toBe(409);
      const negative = await patch(s, `${deploys}/sc3/scale`, 'application/merge-patch+json', {
        spec: { replicas: -1 },
      });
      expect(negative.status).toBe(422);
      expect(negative.body.message).toBe(
        'Scale.autoscaling "sc3" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      );
    });
  });
});

describe('server-side apply and managedFields', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  const apply = (path: string, manager: string, yaml: string, force = false) =>
    s.request('PATCH', `${path}?fieldManager=${manager}${force ? '&force=true' : ''}`, {
      raw: yaml,
      headers: { 'content-type': 'application/apply-patch+yaml' },
    });

  const cm = (value: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  key: "${value}"\n`;

  test('a create records an Update manager in managedFields', async () => {
    const r = await s.request('POST', `${cms}?fieldManager=creator`, {
      body: { metadata: { name: 'mf' }, data: { a: '1' } },
    });
    expect(r.body.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'creator',
        operation: 'Update',
        apiVersion: 'v1',
        fieldsType: 'FieldsV1',
      }),
    ]);
  });

  test('apply creates the object (201) and records an Apply manager', async () => {
    const r = await apply(`${cms}/ssa`, 'alice', cm('1'));
    expect(r.status).toBe(201);
    expect(r.body.data).toEqual({ key: '1' });
    expect(r.body.metadata.managedFields[0]).toMatchObject({
      manager: 'alice',
      operation: 'Apply',
    });
  });

  test("another manager changing alice's field is 409 listing the conflict; force takes it", async () => {
    const conflict = await apply(`${cms}/ssa`, 'bob', cm('2'));
    expect(conflict.status).toBe(409);
    expect(conflict.body.reason).toBe('Conflict');
    expect(conflict.body.details.causes[0]).toMatchObject({
      reason: 'FieldManagerConflict',
      field: '.data.key',
    });
    expect(conflict.body.message).toContain('alice');
    const forced = await apply(`${cms}/ssa`, 'bob', cm('2'), true);
    expect(forced.status).toBe(200);
    expect(forced.body.data.key).toBe('2');
  });

  test('an apply patch without fieldManager is 422', async () => {
    const r = await s.request('PATCH', `${cms}/ssa`, {
      raw: cm('3'),
      headers: { 'content-type': 'application/apply-patch+yaml' },
    });
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('fieldManager: Required value');
  });
});
