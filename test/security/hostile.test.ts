/**
 * Hostile input: each request gets the right 4xx Status (never a 5xx), the server stays up, and
 * nothing changes in the store.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startHardenedServer, type HardenedServer } from './admission-harness.js';

let s: HardenedServer;
let before: string[];

beforeAll(async () => {
  // A short watch-cache history, so that early resourceVersions fall out of it.
  s = await startHardenedServer({}, { watchCache: { maxEvents: 2 } });
  // A target for updates and patches, written often enough to push revision 1 out of history.
  const cm = await s.request('POST', '/api/v1/namespaces/default/configmaps', {
    body: { metadata: { name: 'target', labels: { a: 'b' } }, data: { k: 'v' } },
  });
  expect(cm.status).toBe(201);
  for (const v of ['v2', 'v3', 'v4']) {
    const up = await s.request('PATCH', '/api/v1/namespaces/default/configmaps/target', {
      raw: JSON.stringify({ data: { k: v } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(up.status).toBe(200);
  }
  before = await s.snapshot();
});

afterAll(async () => {
  // The server is up and nothing any hostile request did reached the store.
  expect((await s.request('GET', '/readyz')).status).toBe(200);
  expect(await s.snapshot()).toEqual(before);
  await s.stop();
});

const cms = '/api/v1/namespaces/default/configmaps';
const json = { 'content-type': 'application/json' };
const mergePatch = { 'content-type': 'application/merge-patch+json' };
const jsonPatch = { 'content-type': 'application/json-patch+json' };

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => {
  let v = '"x"';
  for (let i = 0; i < n; i++) v = `{"a":${v}}`;
  return v;
};

interface Case {
  name: string;
  method: string;
  path: string;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  reason?: string;
  message?: string | RegExp;
}

const cases: Case[] = [
  {
    name: 'malformed JSON',
    method: 'POST',
    path: cms,
    raw: '{"metadata": {"name": "x"',
    headers: json,
    status: 400,
    reason: 'BadRequest',
  },
  {
    name: 'JSON that is not an object',
    method: 'POST',
    path: cms,
    raw: '[1,2,3]',
    headers: json,
    status: 400,
  },
  { name: 'a JSON null body', method: 'POST', path: cms, raw: 'null', headers: json, status: 400 },
  { name: 'an empty body', method: 'POST', path: cms, raw: '', headers: json, status: 400 },
  {
    name: 'malformed YAML',
    method: 'POST',
    path: cms,
    raw: 'metadata: {name: [x',
    headers: { 'content-type': 'application/yaml' },
    status: 400,
  },
  {
    name: 'a YAML alias bomb',
    method: 'POST',
    path: cms,
    raw: 'a: &a ["x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f]\nmetadata: {name: bomb}\ndata: *g\n',
    headers: { 'content-type': 'application/yaml' },
    status: 400,
  },
  {
    name: 'a wrong kind',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }),
    headers: json,
    status: 400,
  },
  {
    name: 'a wrong apiVersion',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
    headers: json,
    status: 400,
  },
  {
    name: 'an unknown apiVersion',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ apiVersion: 'v99', kind: 'ConfigMap', metadata: { name: 'x' } }),
    headers: json,
    status: 400,
  },
  {
    name: 'an upper-case name',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ metadata: { name: 'Bad_Name' } }),
    headers: json,
    status: 422,
    reason: 'Invalid',
  },
  {
    name: 'a name of 300 characters',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ metadata: { name: 'a'.repeat(300) } }),
    headers: json,
    status: 422,
  },
  {
    name: 'a name with a slash',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ metadata: { name: 'a/b' } }),
    headers: json,
    status: 422,
  },
  {
    name: 'a name ".."',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ metadata: { name: '..' } }),
    headers: json,
    status: 422,
  },
  {
    name: 'an invalid label key',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ metadata: { name: 'x', labels: { 'bad key!': 'v' } } }),
    headers: json,
    status: 422,
  },
  {
    name: 'an invalid label value',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ metadata: { name: 'x', labels: { k: 'v'.repeat(64) } } }),
    headers: json,
    status: 422,
  },
  {
    name: 'a namespace in the body that differs from the URL',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ metadata: { name: 'x', namespace: 'kube-system' } }),
    headers: json,
    status: 400,
  },
  {
    name: 'duplicate fields under strict validation',
    method: 'POST',
    path: `${cms}?fieldValidation=Strict`,
    raw: '{"metadata":{"name":"x","name":"y"}}',
    headers: json,
    status: 400,
  },
  {
    name: 'an unknown field under strict validation',
    method: 'POST',
    path: `${cms}?fieldValidation=Strict`,
    raw: JSON.stringify({ metadata: { name: 'x' }, bogus: 1 }),
    headers: json,
    status: 400,
  },
  {
    name: 'an unknown fieldValidation',
    method: 'POST',
    path: `${cms}?fieldValidation=Loose`,
    raw: JSON.stringify({ metadata: { name: 'x' } }),
    headers: json,
    status: 422,
    message: 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose"',
  },
  {
    name: 'an unknown dryRun value',
    method: 'POST',
    path: `${cms}?dryRun=Some`,
    raw: JSON.stringify({ metadata: { name: 'x' } }),
    headers: json,
    status: 422,
    reason: 'Invalid',
  },
  {
    name: 'an unsupported media type',
    method: 'POST',
    path: cms,
    raw: '<xml/>',
    headers: { 'content-type': 'application/xml' },
    status: 415,
  },
  {
    name: 'a body over 3 MiB',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ metadata: { name: 'huge' }, data: { k: 'x'.repeat(3 * 1024 * 1024) } }),
    headers: json,
    status: 413,
    reason: 'RequestEntityTooLarge',
  },
  {
    name: 'ConfigMap data over 1 MiB',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ metadata: { name: 'big' }, data: { k: 'x'.repeat(1024 * 1024 + 1) } }),
    headers: json,
    status: 422,
  },
  {
    name: 'Secret data over 1 MiB',
    method: 'POST',
    path: '/api/v1/namespaces/default/secrets',
    raw: JSON.stringify({
      metadata: { name: 'big' },
      stringData: { k: 'x'.repeat(1024 * 1024 + 1) },
    }),
    headers: json,
    status: 422,
  },
  {
    name: 'an object over 1.5 MiB',
    method: 'POST',
    path: '/api/v1/namespaces/default/endpoints',
    raw: JSON.stringify({
      metadata: { name: 'big' },
      subsets: [
        {
          addresses: Array.from({ length: 30000 }, (_, i) => ({
            ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
            hostname: `host-${i}-padding-padding`,
          })),
        },
      ],
    }),
    headers: json,
    status: 413,
    message: 'etcdserver: request is too large',
  },
  {
    name: 'arrays nested 100000 deep',
    method: 'POST',
    path: cms,
    raw: deep(100_000),
    headers: json,
    status: 400,
  },
  {
    name: 'objects nested 20000 deep',
    method: 'POST',
    path: cms,
    raw: `{"metadata":{"name":"deep"},"data":${deepObject(20_000)}}`,
    headers: json,
    status: 400,
  },
  { name: 'an encoded slash in a name', method: 'GET', path: `${cms}/a%2Fb`, status: 404 },
  {
    name: 'a dot-dot path segment',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps/..%2F..%2Fsecrets',
    status: 404,
  },
  {
    name: 'a path past a subresource',
    method: 'GET',
    path: `${cms}/target/status/extra/parts`,
    status: 404,
  },
  {
    name: 'metadata that is not an object',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ metadata: 'x' }),
    headers: json,
    status: 400,
  },
  {
    name: 'a name that is not a string',
    method: 'POST',
    path: cms,
    raw: JSON.stringify({ metadata: { name: 42 } }),
    headers: json,
    status: 400,
  },
  {
    name: 'an unknown resource',
    method: 'GET',
    path: '/api/v1/namespaces/default/widgets',
    status: 404,
  },
  {
    name: 'an unknown group',
    method: 'GET',
    path: '/apis/evil.example.com/v1/things',
    status: 404,
  },
  { name: 'a null byte in a path', method: 'GET', path: `${cms}/a%00b`, status: 404 },
  {
    name: 'a label selector that does not parse',
    method: 'GET',
    path: `${cms}?labelSelector=${encodeURIComponent('a in (')}`,
    status: 400,
  },
  {
    name: 'a label selector with a bad operator',
    method: 'GET',
    path: `${cms}?labelSelector=${encodeURIComponent('a >< b')}`,
    status: 400,
  },
  {
    name: 'a field selector on an unknown field',
    method: 'GET',
    path: `${cms}?fieldSelector=spec.evil%3Dx`,
    status: 400,
  },
  {
    name: 'a field selector that does not parse',
    method: 'GET',
    path: `${cms}?fieldSelector=%3D%3D%3D`,
    status: 400,
  },
  {
    name: 'a garbage continue token',
    method: 'GET',
    path: `${cms}?limit=1&continue=%%%`,
    status: 400,
  },
  {
    name: 'a non-numeric resourceVersion',
    method: 'GET',
    path: `${cms}?resourceVersion=abc`,
    status: 400,
  },
  {
    name: 'a watch from a non-numeric resourceVersion',
    method: 'GET',
    path: `${cms}?watch=1&resourceVersion=abc`,
    status: 400,
  },
  {
    name: 'a malformed request timeout',
    method: 'GET',
    path: `${cms}?timeout=forever`,
    status: 400,
  },
  {
    name: 'a JSON patch that does not apply',
    method: 'PATCH',
    path: `${cms}/target`,
    raw: JSON.stringify([{ op: 'test', path: '/data/k', value: 'other' }]),
    headers: jsonPatch,
    status: 422,
  },
  {
    name: 'a JSON patch on a missing path',
    method: 'PATCH',
    path: `${cms}/target`,
    raw: JSON.stringify([{ op: 'replace', path: '/nope/deeper', value: 1 }]),
    headers: jsonPatch,
    status: 422,
  },
  {
    name: 'a JSON patch that is not a list',
    method: 'PATCH',
    path: `${cms}/target`,
    raw: '{"op":"add"}',
    headers: jsonPatch,
    status: 400,
  },
  {
    name: 'a merge patch that is not an object',
    method: 'PATCH',
    path: `${cms}/target`,
    raw: '"string"',
    headers: mergePatch,
    status: 400,
  },
  {
    name: 'a merge patch changing the name',
    method: 'PATCH',
    path: `${cms}/target`,
    raw: JSON.stringify({ metadata: { name: 'other' } }),
    headers: mergePatch,
    status: 400,
  },
  {
    name: 'a merge patch with an invalid label',
    method: 'PATCH',
    path: `${cms}/target`,
    raw: JSON.stringify({ metadata: { labels: { a: 'not valid!' } } }),
    headers: mergePatch,
    status: 422,
  },
  {
    name: 'a patch with an unknown content type',
    method: 'PATCH',
    path: `${cms}/target`,
    raw: '{}',
    headers: { 'content-type': 'text/plain' },
    status: 415,
  },
  {
    name: 'an update with a stale resourceVersion',
    method: 'PUT',
    path: `${cms}/target`,
    raw: JSON.stringify({ metadata: { name: 'target', resourceVersion: '1' }, data: { k: 'z' } }),
    headers: json,
    status: 409,
    reason: 'Conflict',
  },
  {
    name: 'an update whose name differs from the URL',
    method: 'PUT',
    path: `${cms}/target`,
    raw: JSON.stringify({ metadata: { name: 'other' } }),
    headers: json,
    status: 400,
  },
  {
    name: 'a delete with a wrong uid precondition',
    method: 'DELETE',
    path: `${cms}/target`,
    raw: JSON.stringify({ preconditions: { uid: 'nope' } }),
    headers: json,
    status: 409,
  },
  {
    name: 'a delete with a malformed body',
    method: 'DELETE',
    path: `${cms}/target`,
    raw: '{bad',
    headers: json,
    status: 400,
  },
  {
    name: 'a method the resource does not serve',
    method: 'PATCH',
    path: cms,
    raw: '{}',
    headers: mergePatch,
    status: 405,
  },
  {
    name: 'an update of a missing object',
    method: 'PUT',
    path: `${cms}/missing`,
    raw: JSON.stringify({ metadata: { name: 'missing' } }),
    headers: json,
    status: 404,
  },
];

describe('hostile requests', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s gets its 4xx Status', async (_n, c) => {
    const res = await s.request(c.method, c.path, { raw: c.raw, headers: c.headers });
    expect({ status: res.status, body: res.text.slice(0, 300) }).toMatchObject({
      status: c.status,
    });
    expect(res.body?.kind).toBe('Status');
    expect(res.body.code).toBe(c.status);
    if (c.reason) expect(res.body.reason).toBe(c.reason);
    if (c.message) expect(res.body.message).toMatch(c.message);
  });

  test('a watch from a resourceVersion in the far future is accepted and delivers nothing', async () => {
    const ac = new AbortController();
    const res = await fetch(`${s.url}${cms}?watch=1&resourceVersion=999999999999`, {
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    ac.abort();
  });

  test('a watch from a resourceVersion older than the history ends with one ERROR event, 410 Expired', async () => {
    const res = await fetch(`${s.url}${cms}?watch=1&resourceVersion=1`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { code: number; reason: string } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
  });

  test('an encoded dot-dot segment is resolved before routing, so it cannot leave its namespace unnoticed', async () => {
    const tricky = await s.request('GET', '/api/v1/namespaces/%2E%2E/configmaps');
    const plain = await s.request('GET', '/api/v1/configmaps');
    // The URL normalises to the cluster-wide list, which is what authorization is asked about too.
    expect(tricky.status).toBe(200);
    expect(tricky.body.kind).toBe('ConfigMapList');
    expect(tricky.body.items.map((i: any) => i.metadata.name)).toEqual(
      plain.body.items.map((i: any) => i.metadata.name),
    );
  });

  test('an abandoned request (half a body, then the client vanishes) leaves the server serving', async () => {
    const { port } = new URL(s.url);
    await new Promise<void>((resolve) => {
      const sock = connect(Number(port), '127.0.0.1', () => {
        sock.write(
          `POST ${cms} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"metadata":`,
        );
        setImmediate(() => {
          sock.destroy();
          resolve();
        });
      });
    });
    expect((await s.request('GET', '/readyz')).status).toBe(200);
  });

  test('a slow client trickling its body byte by byte is served correctly', async () => {
    const { port } = new URL(s.url);
    const body = JSON.stringify({ metadata: { name: 'slowpoke' } });
    const response = await new Promise<string>((resolve, reject) => {
      const sock = connect(Number(port), '127.0.0.1');
      let out = '';
      sock.on('data', (d) => (out += d.toString()));
      sock.on('end', () => resolve(out));
      sock.on('error', reject);
      sock.write(
        `POST ${cms}?dryRun=All HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      );
      let i = 0;
      const tick = () => {
        if (i < body.length) {
          sock.write(body[i++]!);
          setImmediate(tick);
        }
      };
      tick();
    });
    expect(response.startsWith('HTTP/1.1 201')).toBe(true);
  });

  test('garbage instead of HTTP is refused without disturbing the server', async () => {
    const { port } = new URL(s.url);
    const reply = await new Promise<string>((resolve) => {
      const sock = connect(Number(port), '127.0.0.1', () =>
        sock.write('\x00\x01\x02 NOT HTTP AT ALL\r\n\r\n'),
      );
      let out = '';
      sock.on('data', (d) => (out += d.toString()));
      sock.on('close', () => resolve(out));
    });
    expect(reply.startsWith('HTTP/1.1 400')).toBe(true);
    expect((await s.request('GET', '/readyz')).status).toBe(200);
  });
});
