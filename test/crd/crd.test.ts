/**
 * CustomResourceDefinitions through the real HTTP server (in-process, free loopback port, memory
 * store): a CRD is accepted and Established, discovery and OpenAPI list it, custom resources are
 * validated, pruned and defaulted, go through CRUD, lists, watches, the status and scale
 * subresources and Table output, and deleting the CRD deletes every instance and stops serving.
 * Tests run in order and share one server; the suite runs over the embedded store and over a
 * real etcd 3.4.
 */
import { jest } from '@jest/globals';
import { describeBackends } from '../apiserver/backends.js';
import type { TestServer } from '../apiserver/harness.js';
import { openWatch } from '../apiserver/watchclient.js';
import { condition, cronTab, crontabCRD, eventually } from './fixtures.js';

const crds = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const crdPath = `${crds}/crontabs.stable.example.com`;
const cts = '/apis/stable.example.com/v1/namespaces/default/crontabs';
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

jest.setTimeout(60_000);

function suite(server: () => TestServer): void {
  let s: TestServer;

  beforeAll(() => {
    s = server();
  });

  test('a created CRD gets its names accepted and becomes Established', async () => {
    const res = await s.request('POST', crds, { body: crontabCRD });
    expect(res.status).toBe(201);
    const crd = await eventually(async () => {
      const r = await s.request('GET', crdPath);
      return condition(r.body, 'Established')?.status === 'True' ? r.body : undefined;
    }, 'Established');
    expect(condition(crd, 'NamesAccepted')).toMatchObject({
      status: 'True',
      reason: 'NoConflicts',
      message: 'no conflicts found',
    });
    expect(condition(crd, 'Established')).toMatchObject({
      reason: 'InitialNamesAccepted',
      message: 'the initial names have been accepted',
    });
    expect(crd.status.acceptedNames).toEqual({
      plural: 'crontabs',
      singular: 'crontab',
      kind: 'CronTab',
      listKind: 'CronTabList',
      shortNames: ['ct'],
      categories: ['all'],
    });
    expect(crd.status.storedVersions).toEqual(['v1']);
    expect(crd.metadata.finalizers).toBeUndefined();
  });

  test('discovery lists the group, the resource, its short names, categories and subresources', async () => {
    const groups = await s.request('GET', '/apis');
    const group = groups.body.groups.find((g: any) => g.name === 'stable.example.com');
    expect(group.preferredVersion.groupVersion).toBe('stable.example.com/v1');
    const list = await s.request('GET', '/apis/stable.example.com/v1');
    const names = list.body.resources.map((r: any) => r.name).sort();
    expect(names).toEqual(['crontabs', 'crontabs/scale', 'crontabs/status']);
    const main = list.body.resources.find((r: any) => r.name === 'crontabs');
    expect(main).toMatchObject({
      singularName: 'crontab',
      namespaced: true,
      kind: 'CronTab',
      shortNames: ['ct'],
      categories: ['all'],
    });
  });

  test('aggregated discovery (apidiscovery.k8s.io/v2) lists the resource and its subresources', async () => {
    const res = await s.request('GET', '/apis', {
      headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' },
    });
    expect(res.body.kind).toBe('APIGroupDiscoveryList');
    const group = res.body.items.find((g: any) => g.metadata.name === 'stable.example.com');
    const resource = group.versions[0].resources.find((r: any) => r.resource === 'crontabs');
    expect(resource).toMatchObject({
      responseKind: { group: 'stable.example.com', version: 'v1', kind: 'CronTab' },
      scope: 'Namespaced',
      singularResource: 'crontab',
      shortNames: ['ct'],
      categories: ['all'],
    });
    expect(resource.subresources.map((r: any) => r.subresource).sort()).toEqual([
      'scale',
      'status',
    ]);
  });

  test('the OpenAPI v3 document of the group describes CronTab with its schema', async () => {
    const doc = await s.request('GET', '/openapi/v3/apis/stable.example.com/v1');
    expect(doc.status).toBe(200);
    const schema = doc.body.components.schemas['com.example.stable.v1.CronTab'];
    expect(schema.properties.spec.properties.replicas).toMatchObject({
      type: 'integer',
      maximum: 10,
      minimum: 1,
    });
  });

  test('a create gets the schema default, generation 1 and no status', async () => {
    const res = await s.request('POST', cts, {
      body: { ...cronTab('a', { cronSpec: '* * * * */5', image: 'img' }), status: { replicas: 3 } },
    });
    expect(res.status).toBe(201);
    expect(res.body.spec).toEqual({ cronSpec: '* * * * */5', image: 'img', replicas: 1 });
    expect(res.body.metadata.generation).toBe(1);
    expect(res.body.status).toBeUndefined();
  });

  test('schema violations are 422 with upstream messages', async () => {
    const res = await s.request('POST', cts, {
      body: cronTab('bad', { cronSpec: '* * * *', image: 7, replicas: 15 }),
    });
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.message).toBe(
      'CronTab.stable.example.com "bad" is invalid: [' +
        `spec.cronSpec: Invalid value: "* * * *": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$', ` +
        'spec.image: Invalid value: "integer": spec.image in body must be of type string: "integer", ' +
        'spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10]',
    );
    expect(res.body.details.causes.map((c: any) => c.field)).toEqual([
      'spec.cronSpec',
      'spec.image',
      'spec.replicas',
    ]);
  });

  test('unknown fields are pruned with a warning, and refused with fieldValidation=Strict', async () => {
    const res = await s.request('POST', cts, {
      body: { ...cronTab('b', { image: 'x', color: 'red' }), extra: 1 },
    });
    expect(res.status).toBe(201);
    expect(res.body.spec).toEqual({ image: 'x', replicas: 1 });
    expect(res.body.extra).toBeUndefined();
    expect(res.headers.get('warning')).toContain('unknown field \\"spec.color\\"');
    const strict = await s.request('POST', `${cts}?fieldValidation=Strict`, {
      body: cronTab('c', { image: 'x', color: 'red' }),
    });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe(
      'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.color"',
    );
  });

  test('a spec update bumps generation; a status write does not, and only changes status', async () => {
    const a = (await s.request('GET', `${cts}/a`)).body;
    const upd = await s.request('PUT', `${cts}/a`, {
      body: { ...a, spec: { ...a.spec, replicas: 2 }, status: { replicas: 9 } },
    });
    expect(upd.status).toBe(200);
    expect(upd.body.metadata.generation).toBe(2);
    expect(upd.body.status).toBeUndefined();
    const st = await s.request('PUT', `${cts}/a/status`, {
      body: { ...upd.body, spec: { ...upd.body.spec, replicas: 5 }, status: { replicas: 2 } },
    });
    expect(st.status).toBe(200);
    expect(st.body.metadata.generation).toBe(2);
    expect(st.body.spec.replicas).toBe(2);
    expect(st.body.status).toEqual({ replicas: 2 });
  });

  test('a PUT without resourceVersion is refused as upstream does for custom resources', async () => {
    const a = (await s.request('GET', `${cts}/a`)).body;
    delete a.metadata.resourceVersion;
    const res = await s.request('PUT', `${cts}/a`, { body: a });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain(
      'metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    );
  });

  test('the scale subresource reads and writes the CRD paths', async () => {
    await s.request('PATCH', `${cts}/a/status`, {
      raw: JSON.stringify({ status: { labelSelector: 'app=a' } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    const scale = await s.request('GET', `${cts}/a/scale`);
    expect(scale.body).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { replicas: 2, selector: 'app=a' },
    });
    const put = await s.request('PUT', `${cts}/a/scale`, {
      body: { ...scale.body, spec: { replicas: 4 } },
    });
    expect(put.status).toBe(200);
    const a = (await s.request('GET', `${cts}/a`)).body;
    expect(a.spec.replicas).toBe(4);
    expect(a.metadata.generation).toBe(3);
    const tooMany = await s.request('PUT', `${cts}/a/scale`, {
      body: { ...put.body, spec: { replicas: 11 } },
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.message).toContain(
      'spec.replicas in body should be less than or equal to 10',
    );
  });

  test('merge patches apply; strategic merge patches are 415', async () => {
    const merge = await s.request('PATCH', `${cts}/a`, {
      raw: JSON.stringify({ spec: { image: 'img2' } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(merge.status).toBe(200);
    expect(merge.body.spec.image).toBe('img2');
    const smp = await s.request('PATCH', `${cts}/a`, {
      raw: JSON.stringify({ spec: { image: 'img3' } }),
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
    });
    expect(smp.status).toBe(415);
    expect(smp.body.reason).toBe('UnsupportedMediaType');
  });

  test('Table output has Name and the printer columns', async () => {
    const res = await s.request('GET', cts, { headers: { accept: tableAccept } });
    expect(res.body.kind).toBe('Table');
    expect(res.body.columnDefinitions.map((c: any) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Spec', 'string'],
      ['Replicas', 'integer'],
      ['Age', 'date'],
    ]);
    const row = res.body.rows.find((r: any) => r.cells[0] === 'a');
    expect(row.cells.slice(0, 3)).toEqual(['a', '* * * * */5', 4]);
    expect(row.cells[3]).toMatch(/^\d+s$/);
  });

  test('a watch asked for Tables streams rows with the printer columns', async () => {
    const list = await s.request('GET', cts);
    const w = await openWatch(
      `${s.url}${cts}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
      { accept: tableAccept },
    );
    try {
      await s.request('POST', cts, { body: cronTab('tw', { image: 'w', cronSpec: '1 2 3 4 5' }) });
      const e = await w.next();
      expect(e.object.kind).toBe('Table');
      expect(e.object.columnDefinitions.map((c: any) => c.name)).toEqual([
        'Name',
        'Spec',
        'Replicas',
        'Age',
      ]);
      expect(e.object.rows[0].cells.slice(0, 3)).toEqual(['tw', '1 2 3 4 5', 1]);
    } finally {
      w.close();
      await s.request('DELETE', `${cts}/tw`);
    }
  });

  test('lists and watches of custom resources work', async () => {
    const list = await s.request('GET', cts);
    expect(list.body.kind).toBe('CronTabList');
    expect(list.body.items.map((i: any) => i.metadata.name)).toEqual(['a', 'b']);
    const w = await openWatch(
      `${s.url}${cts}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`,
    );
    try {
      await s.request('POST', cts, { body: cronTab('w', { image: 'w' }) });
      const e = await w.next();
      expect(e.type).toBe('ADDED');
      expect(e.object).toMatchObject({ kind: 'CronTab', spec: { replicas: 1 } });
    } finally {
      w.close();
    }
  });

  test('deleting the CRD deletes every instance, then the CRD, and stops serving it', async () => {
    const del = await s.request('DELETE', crdPath);
    expect(del.status).toBe(200);
    expect(del.body.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(del.body.metadata.deletionTimestamp).toBeDefined();
    expect(condition(del.body, 'Terminating')).toMatchObject({
      status: 'True',
      reason: 'InstanceDeletionPending',
    });
    await eventually(
      async () => ((await s.request('GET', crdPath)).status === 404 ? true : undefined),
      'the CRD to be gone',
    );
    const keys = await s.storage.list('/registry/stable.example.com/crontabs/', {
      countOnly: true,
    });
    expect(keys.count).toBe(0);
    expect((await s.request('GET', cts)).status).toBe(404);
    expect((await s.request('GET', '/apis/stable.example.com/v1')).status).toBe(404);
  });
}

describe('a CronTab CRD served by the API server', () => describeBackends(suite));
