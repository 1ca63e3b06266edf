import type { ResourceType } from '../../apiserver/index.js';
import { startTestServer, type TestServer } from './harness.js';

const aggregatedV2 =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('discovery, version and health', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  test('/api lists v1 as APIVersions', async () => {
    const r = await s.request('GET', '/api');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });

  test('/apis lists groups with their preferred version first', async () => {
    const r = await s.request('GET', '/apis');
    expect(r.body.kind).toBe('APIGroupList');
    const apps = r.body.groups.find((g: any) => g.name === 'apps');
    expect(apps.preferredVersion).toEqual({ groupVersion: 'apps/v1', version: 'v1' });
    expect(r.body.groups.map((g: any) => g.name).indexOf('apps')).toBe(0);
  });

  test('/api/v1 describes pods with short names and its subresources', async () => {
    const r = await s.request('GET', '/api/v1');
    const byName = new Map(r.body.resources.map((x: any) => [x.name, x]));
    expect(byName.get('pods')).toMatchObject({
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      shortNames: ['po'],
      categories: ['all'],
    });
    expect(byName.get('pods/status')).toMatchObject({
      kind: 'Pod',
      verbs: ['get', 'patch', 'update'],
    });
    expect(byName.get('pods/binding')).toMatchObject({ kind: 'Binding', verbs: ['create'] });
    expect(byName.get('pods/eviction')).toMatchObject({
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
    });
  });

  test('/apis/apps/v1 advertises deployments/scale as autoscaling/v1 Scale', async () => {
    const r = await s.request('GET', '/apis/apps/v1');
    const scale = r.body.resources.find((x: any) => x.name === 'deployments/scale');
    expect(scale).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  test('/apis/apps answers the APIGroup', async () => {
    const r = await s.request('GET', '/apis/apps');
    expect(r.body).toMatchObject({ kind: 'APIGroup', name: 'apps' });
  });

  test('aggregated discovery v2 is served when asked for, with its content type', async () => {
    const r = await s.request('GET', '/apis', { headers: { accept: aggregatedV2 } });
    expect(r.headers.get('content-type')).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    expect(r.body.apiVersion).toBe('apidiscovery.k8s.io/v2');
    const apps = r.body.items.find((i: any) => i.metadata.name === 'apps');
    const deployments = apps.versions[0].resources.find((x: any) => x.resource === 'deployments');
    expect(deployments).toMatchObject({
      responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      shortNames: ['deploy'],
    });
    expect(deployments.subresources).toContainEqual({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: ['get', 'patch', 'update'],
    });
  });

  test('aggregated discovery of /api holds only the core group', async () => {
    const r = await s.request('GET', '/api', {
      headers: {
        accept:
          'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
      },
    });
    expect(r.body.apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    expect(r.body.items.map((i: any) => i.metadata.name)).toEqual(['']);
  });

  test('/version answers version.Info', async () => {
    const r = await s.request('GET', '/version');
    expect(r.body).toMatchObject({
      major: '1',
      minor: expect.any(String),
      gitVersion: expect.stringMatching(/^v1\./),
    });
  });

  test.each(['/healthz', '/livez', '/readyz'])('%s answers ok', async (path) => {
    const r = await s.request('GET', path);
    expect(r.status).toBe(200);
    expect(r.text).toBe('ok');
  });

  test('/readyz?verbose lists each check', async () => {
    const r = await s.request('GET', '/readyz?verbose');
    expect(r.text).toContain('[+]etcd ok');
    expect(r.text).toContain('[+]informer-sync ok');
    expect(r.text).toContain('readyz check passed');
  });

  test('/livez/etcd answers one check', async () => {
    const r = await s.request('GET', '/livez/etcd');
    expect(r.text).toBe('ok');
  });

  test('an unknown path is a 404 Status', async () => {
    const r = await s.request('GET', '/apis/nope.example.com/v1/widgets');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
  });

  test('a type added at run time is served and discovered at once', async () => {
    const widgets: ResourceType = {
      group: 'example.com',
      version: 'v1',
      resource: 'widgets',
      singularName: 'widget',
      kind: 'Widget',
      namespaced: true,
      storagePrefix: 'example.com/widgets',
      shortNames: ['wd'],
      strategicMerge: false,
    };
    s.server.registry.add(widgets);
    const d = await s.request('GET', '/apis/example.com/v1');
    expect(d.body.resources[0]).toMatchObject({ name: 'widgets', shortNames: ['wd'] });
    const c = await s.request('POST', '/apis/example.com/v1/namespaces/default/widgets', {
      body: { metadata: { name: 'w1' }, spec: { size: 3 } },
    });
    expect(c.status).toBe(201);
    const l = await s.request('GET', '/apis/example.com/v1/widgets');
    expect(l.body.items.map((i: any) => i.metadata.name)).toEqual(['w1']);
    s.server.registry.remove('example.com', 'v1', 'widgets');
    expect((await s.request('GET', '/apis/example.com/v1')).status).toBe(404);
  });

  test('OpenAPI v3 index lists the group versions', async () => {
    const r = await s.request('GET', '/openapi/v3');
    expect(r.status).toBe(200);
    expect(r.body.paths['api/v1']).toBeDefined();
  });
});
