/**
 * The in-process API server speaking `application/vnd.kubernetes.protobuf` the way typed
 * client-go clients do: protobuf bodies on creates, updates, status and scale, DELETE options,
 * pod bindings and evictions; protobuf responses when the client prefers them (objects, lists,
 * PartialObjectMetadataList), JSON otherwise; 415/406 for custom resources, as upstream.
 */
import { jest } from '@jest/globals';
import { decodeObject, encodeObject } from '../../apiserver/protobuf/index.js';
import { startTestServer, type TestServer } from '../apiserver/harness.js';
import { crontabCRD, cronTab, eventually } from '../crd/fixtures.js';

jest.setTimeout(30_000);

const pb = 'application/vnd.kubernetes.protobuf';
const typed = `${pb},application/json`; // kubectl ≥ 1.32 and client-go's default
type Obj = Record<string, any>;

let s: TestServer;

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

async function send(
  method: string,
  path: string,
  opts: { body?: Obj | Uint8Array; accept?: string; contentType?: string } = {},
) {
  const body =
    opts.body === undefined
      ? undefined
      : opts.body instanceof Uint8Array
        ? opts.body
        : encodeObject(opts.body);
  const headers: Record<string, string> = { accept: opts.accept ?? typed };
  if (body) headers['content-type'] = opts.contentType ?? pb;
  const res = await fetch(s.url + path, { method, headers, body });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, bytes, text: Buffer.from(bytes).toString('utf8') };
}

/** The response object, decoded from protobuf or JSON by its Content-Type, as client-go does. */
function objectOf(r: { type: string; bytes: Uint8Array; text: string }): Obj {
  if (r.type.startsWith(pb)) return decodeObject(r.bytes, { apiVersion: 'v1', kind: 'Status' });
  return JSON.parse(r.text);
}

/** Asserts a JSON Status answer with this code and message. */
function expectStatus(r: { status: number; text: string }, code: number, message: string): void {
  expect(r.status).toBe(code);
  expect(JSON.parse(r.text).message).toBe(message);
}

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'c', image: 'nginx', resources: {} }] },
    },
    strategy: {},
  },
});

describe('protobuf request bodies', () => {
  test('a protobuf create is stored and answered in protobuf', async () => {
    const r = await send('POST', '/api/v1/namespaces/default/configmaps', {
      body: configMap('pb-cm', { a: 'b' }),
    });
    expect(r.status).toBe(201);
    expect(r.type).toBe(pb);
    const created = objectOf(r);
    expect(created).toMatchObject({ kind: 'ConfigMap', data: { a: 'b' } });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await send('GET', '/api/v1/namespaces/default/configmaps/pb-cm', {
      accept: 'application/json',
    });
    expect(stored.type).toBe('application/json');
    expect(JSON.parse(stored.text).data).toEqual({ a: 'b' });
  });

  test('a pointer field sent as zero keeps its zero (replicas: 0 is not defaulted to 1)', async () => {
    const r = await send('POST', '/apis/apps/v1/namespaces/default/deployments', {
      body: deployment('zero', 0),
      accept: 'application/json',
    });
    expect(r.status).toBe(201);
    expect(JSON.parse(r.text).spec.replicas).toBe(0);
  });

  test('a protobuf update with the resourceVersion replaces the object', async () => {
    const got = objectOf(await send('GET', '/api/v1/namespaces/default/configmaps/pb-cm'));
    const r = await send('PUT', '/api/v1/namespaces/default/configmaps/pb-cm', {
      body: { ...got, data: { a: 'c' } },
    });
    expect(r.status).toBe(200);
    expect(objectOf(r).data).toEqual({ a: 'c' });
  });

  test('a protobuf status update changes only the status', async () => {
    await send('POST', '/apis/apps/v1/namespaces/default/deployments', {
      body: deployment('web', 2),
    });
    const got = objectOf(await send('GET', '/apis/apps/v1/namespaces/default/deployments/web'));
    const r = await send('PUT', '/apis/apps/v1/namespaces/default/deployments/web/status', {
      body: { ...got, spec: { ...got.spec, replicas: 9 }, status: { replicas: 2 } },
    });
    expect(r.status).toBe(200);
    expect(objectOf(r)).toMatchObject({ spec: { replicas: 2 }, status: { replicas: 2 } });
  });

  test('a protobuf Scale update sets the replicas', async () => {
    const scale = objectOf(
      await send('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale'),
    );
    expect(scale).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale' });
    const r = await send('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', {
      body: { ...scale, spec: { replicas: 5 } },
    });
    expect(r.status).toBe(200);
    expect(objectOf(r).spec).toEqual({ replicas: 5 });
  });

  test('protobuf DeleteOptions are honoured (a stale uid precondition is 409)', async () => {
    await send('POST', '/api/v1/namespaces/default/configmaps', { body: configMap('del', {}) });
    const options = { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'nope' } };
    const r = await send('DELETE', '/api/v1/namespaces/default/configmaps/del', {
      body: options,
      accept: 'application/json',
    });
    expect(r.status).toBe(409);
    const ok = await send('DELETE', '/api/v1/namespaces/default/configmaps/del', {
      body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
    });
    expect(ok.status).toBe(200);
    expect(objectOf(ok)).toMatchObject({ kind: 'Status', status: 'Success' });
  });

  test('pods/binding and pods/eviction take protobuf bodies (scheduler, kubectl drain)', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    };
    expect((await send('POST', '/api/v1/namespaces/default/pods', { body: pod })).status).toBe(201);
    const binding = await send('POST', '/api/v1/namespaces/default/pods/p/binding', {
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'p' },
        target: { kind: 'Node', name: 'n1' },
      },
    });
    expect(binding.status).toBe(201);
    const bound = objectOf(await send('GET', '/api/v1/namespaces/default/pods/p'));
    expect(bound.spec.nodeName).toBe('n1');
    const eviction = await send('POST', '/api/v1/namespaces/default/pods/p/eviction', {
      body: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: 'p' },
        deleteOptions: { gracePeriodSeconds: 0 },
      },
    });
    expect(eviction.status).toBe(201);
    const gone = await send('GET', '/api/v1/namespaces/default/pods/p', {
      accept: 'application/json',
    });
    expect(gone.status).toBe(404);
  });

  test('a malformed protobuf body is a 400 worded as upstream', async () => {
    const r = await send('POST', '/api/v1/namespaces/default/configmaps', {
      body: Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f]),
      accept: 'application/json',
    });
    expectStatus(
      r,
      400,
      'the object provided is unrecognized (must be of type ConfigMap): unexpected EOF (6b3873000a0f)',
    );
  });

  test('an unsupported body type lists protobuf among the accepted ones', async () => {
    const r = await send('POST', '/api/v1/namespaces/default/configmaps', {
      body: Buffer.from('x'),
      contentType: 'text/plain',
    });
    expectStatus(
      r,
      415,
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  });
});

describe('protobuf responses', () => {
  test('a list comes back as one protobuf ConfigMapList', async () => {
    const r = await send('GET', '/api/v1/namespaces/default/configmaps');
    expect(r.type).toBe(pb);
    const list = objectOf(r);
    expect(list.kind).toBe('ConfigMapList');
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(list.items.map((i: Obj) => i.metadata.name)).toContain('pb-cm');
  });

  test('clients that do not name protobuf get JSON (kubectl ≤ 1.31, client-node)', async () => {
    const r = await send('GET', '/api/v1/namespaces/default/configmaps/pb-cm', {
      accept: 'application/json, */*',
    });
    expect(r.type).toBe('application/json');
  });

  test('nothing acceptable is 406, listing protobuf among what a built-in kind offers', async () => {
    const r = await send('GET', '/api/v1/namespaces/default/configmaps/pb-cm', {
      accept: 'application/xml',
    });
    expectStatus(
      r,
      406,
      'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/json;stream=watch',
    );
  });

  test('a Table is never protobuf: the JSON alternative is served', async () => {
    const r = await send('GET', '/api/v1/namespaces/default/configmaps', {
      accept: `${pb};as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io`,
    });
    expect(r.type).toBe('application/json;g=meta.k8s.io;v=v1;as=Table');
    expect(JSON.parse(r.text).kind).toBe('Table');
  });

  test('metadata-only lists are served in protobuf (the garbage collector asks so)', async () => {
    const r = await send('GET', '/api/v1/namespaces/default/configmaps', {
      accept: `${pb};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json`,
    });
    expect(r.type).toBe(`${pb};g=meta.k8s.io;v=v1;as=PartialObjectMetadataList`);
    const list = objectOf(r);
    expect(list).toMatchObject({ apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadataList' });
    expect(list.items[0].data).toBeUndefined();
    expect(list.items[0].metadata.name).toBeDefined();
  });
});

describe('custom resources have no protobuf form', () => {
  beforeAll(async () => {
    const r = await send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      body: crontabCRD,
    });
    expect(r.status).toBe(201);
    await eventually(async () => {
      const list = await send('GET', '/apis/stable.example.com/v1/namespaces/default/crontabs', {
        accept: 'application/json',
      });
      return list.status === 200 ? true : undefined;
    }, 'the CronTab resource to be served');
  });

  test('a protobuf body is 415, accepting JSON and YAML', async () => {
    const r = await send('POST', '/apis/stable.example.com/v1/namespaces/default/crontabs', {
      body: encodeObject({ apiVersion: 'v1', kind: 'ConfigMap' }),
    });
    expectStatus(
      r,
      415,
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    );
  });

  test('a client preferring protobuf gets JSON, and protobuf alone is 406', async () => {
    const body = Buffer.from(
      JSON.stringify(cronTab('c1', { cronSpec: '* * * * */5', image: 'x' })),
    );
    const created = await send('POST', '/apis/stable.example.com/v1/namespaces/default/crontabs', {
      body,
      contentType: 'application/json',
    });
    expect(created.status).toBe(201);
    expect(created.type).toBe('application/json');
    const only = await send('GET', '/apis/stable.example.com/v1/namespaces/default/crontabs/c1', {
      accept: pb,
    });
    expect(only.status).toBe(406);
  });
});
