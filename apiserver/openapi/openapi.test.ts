import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { FakeClock } from '../../common/index.js';
import { newSchemaSet } from '../schema/index.js';
import {
  OpenApiService,
  customResourceSchemas,
  decodeOpenApiV2,
  negotiate,
  openApiV2ProtobufType,
  type OpenApiResource,
} from './index.js';

const deployments: OpenApiResource = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  namespaced: true,
  subresources: ['status', 'scale'],
};
const namespaces: OpenApiResource = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
  subresources: ['status', 'finalize'],
};

function setup(resources: OpenApiResource[] = [deployments, namespaces]) {
  const schemas = newSchemaSet();
  const served = [...resources];
  let reads = 0;
  const clock = new FakeClock();
  const service = new OpenApiService({
    schemas,
    clock,
    resources: () => {
      reads++;
      return served;
    },
  });
  return { schemas, served, service, clock, reads: () => reads };
}

const json = (body: Buffer) => JSON.parse(body.toString('utf8'));

describe('/openapi/v2', () => {
  test('documents are built lazily, on the first request', () => {
    const { service, reads } = setup();
    expect(reads()).toBe(0);
    service.handle({ path: '/openapi/v2' });
    expect(reads()).toBe(1);
    service.handle({ path: '/openapi/v2' });
    expect(reads()).toBe(1);
  });

  test('the JSON document has the served operations with upstream names and extensions', () => {
    const doc = json(
      setup().service.handle({ path: '/openapi/v2', headers: { accept: 'application/json' } })!
        .body,
    );
    expect(doc.swagger).toBe('2.0');
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.patch).toMatchObject({
      operationId: 'patchAppsV1NamespacedDeployment',
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': { group: 'apps', version: 'v1', kind: 'Deployment' },
      consumes: expect.arrayContaining([
        'application/strategic-merge-patch+json',
        'application/apply-patch+yaml',
      ]),
    });
    expect(item.patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
    expect(
      doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].get,
    ).toMatchObject({
      operationId: 'readAppsV1NamespacedDeploymentScale',
      'x-kubernetes-group-version-kind': { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    });
    expect(doc.paths['/api/v1/namespaces/{name}/finalize'].put.operationId).toBe(
      'replaceCoreV1NamespaceFinalize',
    );
    expect(doc.paths['/apis/apps/v1/deployments'].get.operationId).toBe(
      'listAppsV1DeploymentForAllNamespaces',
    );
  });

  test('every $ref of the v2 document resolves inside it', () => {
    const doc = json(setup().service.handle({ path: '/openapi/v2' })!.body);
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/definitions\/[^"]+"/g) ?? [];
    const missing = refs
      .map((r) => r.slice('"$ref":"#/definitions/'.length, -1))
      .filter((name) => !(name in doc.definitions));
    expect(refs.length).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  test('the protobuf form carries the same definitions with extensions as YAML', () => {
    const { service } = setup();
    const res = service.handle({
      path: '/openapi/v2',
      headers: { accept: openApiV2ProtobufType },
    })!;
    expect(res.headers['content-type']).toBe(
      'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
    );
    const doc = decodeOpenApiV2(res.body) as any;
    const jsonDoc = service.openApiV2() as any;
    const names = doc.definitions.additional_properties.map((d: { name: string }) => d.name);
    expect(names).toEqual(Object.keys(jsonDoc.definitions));
    const deployment = doc.definitions.additional_properties.find(
      (d: { name: string }) => d.name === 'io.k8s.api.apps.v1.Deployment',
    ).value;
    const gvk = deployment.vendor_extension.find(
      (e: { name: string }) => e.name === 'x-kubernetes-group-version-kind',
    );
    expect(parseYaml(gvk.value.yaml)).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    const spec = doc.definitions.additional_properties.find(
      (d: { name: string }) => d.name === 'io.k8s.api.core.v1.PodSpec',
    ).value;
    const containers = spec.properties.additional_properties.find(
      (p: { name: string }) => p.name === 'containers',
    ).value;
    expect(containers.items.schema[0]._ref).toBe('#/definitions/io.k8s.api.core.v1.Container');
    expect(containers.type.value).toEqual(['array']);
  });

  test('a matching If-None-Match answers 304 and an unacceptable type 406', () => {
    const { service } = setup();
    const first = service.handle({ path: '/openapi/v2' })!;
    expect(first.headers.etag).toMatch(/^"[0-9A-F]{128}"$/);
    const again = service.handle({
      path: '/openapi/v2',
      headers: { 'if-none-match': first.headers.etag },
    })!;
    expect(again.status).toBe(304);
    const refused = service.handle({ path: '/openapi/v2', headers: { accept: 'text/html' } })!;
    expect(refused.status).toBe(406);
    expect(json(refused.body)).toMatchObject({
      kind: 'Status',
      reason: 'NotAcceptable',
      code: 406,
    });
  });

  test('large bodies are gzip-compressed for clients that accept gzip', () => {
    const { service } = setup();
    const plain = service.handle({ path: '/openapi/v2' })!;
    const zipped = service.handle({
      path: '/openapi/v2',
      headers: { 'accept-encoding': 'gzip, deflate' },
    })!;
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
  });

  test('a custom resource gets no strategic-merge-patch content type', () => {
    const { service, schemas, served } = setup();
    schemas.register(
      'crd',
      customResourceSchemas({ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }),
    );
    served.push({
      group: 'stable.example.com',
      version: 'v1',
      resource: 'crontabs',
      kind: 'CronTab',
      namespaced: true,
      strategicMerge: false,
    });
    const doc = service.openApiV2() as any;
    const patch =
      doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch;
    expect(patch.operationId).toBe('patchStableExampleComV1NamespacedCronTab');
    expect(patch.consumes).not.toContain('application/strategic-merge-patch+json');
  });
});

describe('/openapi/v3', () => {
  test('the index lists one document per served group/version with its hash', () => {
    const { service } = setup();
    const index = json(service.handle({ path: '/openapi/v3' })!.body);
    expect(Object.keys(index.paths)).toEqual(['api/v1', 'apis/apps/v1']);
    expect(index.paths['apis/apps/v1'].serverRelativeURL).toMatch(
      /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/,
    );
  });

  test('a group/version document has its paths and the schemas they reach', () => {
    const doc = json(setup().service.handle({ path: '/openapi/v3/apis/apps/v1' })!.body);
    expect(doc.openapi).toBe('3.0.0');
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/apis/apps/v1/'))).toBe(true);
    const spec = doc.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'];
    expect(spec.properties.selector).toEqual({
      $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
    });
    expect(spec.properties.strategy).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }],
      'x-kubernetes-patch-strategy': 'retainKeys',
    });
    expect(
      doc.components.schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'],
    ).toEqual([{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch.parameters).toContainEqual(
      expect.objectContaining({ name: 'fieldValidation', in: 'query' }),
    );
    expect(Object.keys(patch.requestBody.content)).toContain('application/apply-patch+yaml');
  });

  test('the current hash is cached as immutable, a stale hash redirects, none must revalidate', () => {
    const { service, clock } = setup();
    const url = json(service.handle({ path: '/openapi/v3' })!.body).paths['apis/apps/v1']
      .serverRelativeURL as string;
    const hash = url.split('hash=')[1];
    const current = service.handle({
      path: '/openapi/v3/apis/apps/v1',
      query: new URLSearchParams({ hash }),
    })!;
    expect(current.status).toBe(200);
    expect(current.headers['cache-control']).toBe('public, immutable, max-age=31536000');
    expect(current.headers.expires).toBe(new Date(clock.now() + 31536000 * 1000).toUTCString());
    const stale = service.handle({
      path: '/openapi/v3/apis/apps/v1',
      query: new URLSearchParams({ hash: 'ABC' }),
    })!;
    expect(stale.status).toBe(301);
    expect(stale.headers.location).toBe(url);
    const plain = service.handle({ path: '/openapi/v3/apis/apps/v1' })!;
    expect(plain.headers['cache-control']).toBe('no-cache, private');
  });

  test('a group/version that is not served is 404', () => {
    const res = setup().service.handle({ path: '/openapi/v3/apis/batch/v1' })!;
    expect(res.status).toBe(404);
    expect(json(res.body)).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
  });

  test('registering a CRD schema and serving it adds its document; removing it drops the document', () => {
    const { service, schemas, served } = setup();
    const before = json(service.handle({ path: '/openapi/v3' })!.body);
    schemas.register(
      'crd:crontabs.stable.example.com',
      customResourceSchemas({
        group: 'stable.example.com',
        version: 'v1',
        kind: 'CronTab',
        openAPIV3Schema: {
          type: 'object',
          properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } },
        },
      }),
    );
    served.push({
      group: 'stable.example.com',
      version: 'v1',
      resource: 'crontabs',
      kind: 'CronTab',
      namespaced: true,
    });
    const index = json(service.handle({ path: '/openapi/v3' })!.body);
    expect(Object.keys(index.paths)).toContain('apis/stable.example.com/v1');
    expect(index.paths['api/v1'].serverRelativeURL).toBe(before.paths['api/v1'].serverRelativeURL);
    const doc = json(service.handle({ path: '/openapi/v3/apis/stable.example.com/v1' })!.body);
    expect(
      doc.components.schemas['com.example.stable.v1.CronTab'].properties.spec.properties.cronSpec,
    ).toEqual({ type: 'string' });

    served.pop();
    schemas.unregister('crd:crontabs.stable.example.com');
    expect(Object.keys(json(service.handle({ path: '/openapi/v3' })!.body).paths)).toEqual([
      'api/v1',
      'apis/apps/v1',
    ]);
  });

  test('paths outside /openapi are not handled', () => {
    expect(setup().service.handle({ path: '/api/v1' })).toBeUndefined();
  });
});

describe('custom resource schemas', () => {
  test('are named by reversed group and carry ObjectMeta and their GVKs', () => {
    const defs = customResourceSchemas({
      group: 'stable.example.com',
      version: 'v1',
      kind: 'CronTab',
    });
    expect(Object.keys(defs)).toEqual([
      'com.example.stable.v1.CronTab',
      'com.example.stable.v1.CronTabList',
    ]);
    const ct = defs['com.example.stable.v1.CronTab'];
    expect(ct['x-kubernetes-preserve-unknown-fields']).toBe(true);
    expect(ct.properties!.metadata.$ref).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(defs['com.example.stable.v1.CronTabList'].properties!.items.items).toEqual({
      $ref: 'com.example.stable.v1.CronTab',
    });
  });
});

describe('media type negotiation', () => {
  const offers = ['application/json', openApiV2ProtobufType];
  test.each([
    ['', 'application/json'],
    ['*/*', 'application/json'],
    [openApiV2ProtobufType, openApiV2ProtobufType],
    [`application/json;q=0.5, ${openApiV2ProtobufType}`, openApiV2ProtobufType],
    ['application/*', 'application/json'],
    ['text/plain', undefined],
    ['application/json;q=0', undefined],
  ])('Accept %j picks %s', (accept, expected) => {
    expect(negotiate(accept, offers)).toBe(expected);
  });
});
