import { FakeClock } from '../../common/index.js';
import { listStreamChunkItems } from '../../apiserver/defaults.js';
import { openEmbeddedStorage } from '../../store/index.js';
import { startTestServer, type TestServer } from './harness.js';

const ns = (n: string) => `/api/v1/namespaces/${n}/configmaps`;

async function seed(s: TestServer) {
  for (const n of ['alpha', 'beta']) {
    await s.request('POST', '/api/v1/namespaces', { body: { metadata: { name: n } } });
  }
  const items: Array<[string, string, Record<string, string>]> = [
    ['alpha', 'a1', { app: 'web', tier: 'front' }],
    ['alpha', 'a2', { app: 'web', tier: 'back' }],
    ['alpha', 'a3', { app: 'db' }],
    ['beta', 'b1', { app: 'web' }],
    ['beta', 'b2', {}],
  ];
  for (const [n, name, labels] of items) {
    const r = await s.request('POST', ns(n), { body: { metadata: { name, labels } } });
    expect(r.status).toBe(201);
  }
}

const names = (body: any) => body.items.map((i: any) => i.metadata.name);

describe('lists', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await seed(s);
  });
  afterAll(async () => {
    await s.stop();
  });

  test('a namespaced list holds only that namespace, in name order, with a list kind', async () => {
    const r = await s.request('GET', ns('alpha'));
    expect(r.body.kind).toBe('ConfigMapList');
    expect(r.body.apiVersion).toBe('v1');
    expect(names(r.body)).toEqual(['a1', 'a2', 'a3']);
    expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  test('a list across namespaces holds all of them', async () => {
    const r = await s.request('GET', '/api/v1/configmaps?labelSelector=app');
    expect(names(r.body)).toEqual(['a1', 'a2', 'a3', 'b1']);
  });

  test.each([
    ['app=web', ['a1', 'a2', 'b1']],
    ['app==web', ['a1', 'a2', 'b1']],
    ['app!=web', ['a3', 'b2']],
    ['app in (db,web),tier', ['a1', 'a2']],
    ['tier notin (front)', ['a2', 'a3', 'b1', 'b2']],
    ['!tier', ['a3', 'b1', 'b2']],
    ['app=web,tier=back', ['a2']],
  ])('labelSelector %s', async (selector, expected) => {
    const r = await s.request(
      'GET',
      `/api/v1/configmaps?labelSelector=${encodeURIComponent(selector)}`,
    );
    expect(names(r.body).filter((n: string) => /^[ab]\d$/.test(n))).toEqual(expected);
  });

  test('a malformed labelSelector is 400', async () => {
    const r = await s.request(
      'GET',
      `${ns('alpha')}?labelSelector=${encodeURIComponent('a in b')}`,
    );
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
  });

  test.each([
    ['metadata.name=a2', ['a2']],
    ['metadata.name!=a2', ['a1', 'a3']],
    ['metadata.namespace=alpha', ['a1', 'a2', 'a3']],
  ])('fieldSelector %s', async (selector, expected) => {
    const r = await s.request(
      'GET',
      `${ns('alpha')}?fieldSelector=${encodeURIComponent(selector)}`,
    );
    expect(names(r.body)).toEqual(expected);
  });

  test('metadata.namespace= narrows an all-namespaces list', async () => {
    const r = await s.request('GET', '/api/v1/configmaps?fieldSelector=metadata.namespace%3Dbeta');
    expect(names(r.body)).toEqual(['b1', 'b2']);
  });

  test('an unsupported field label is 400 with upstream wording', async () => {
    const r = await s.request('GET', `${ns('alpha')}?fieldSelector=spec.foo%3Dx`);
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('field label not supported: spec.foo');
  });

  test('metadata.namespace is not selectable on a cluster-scoped type', async () => {
    const r = await s.request('GET', '/api/v1/namespaces?fieldSelector=metadata.namespace%3Dx');
    expect(r.status).toBe(400);
  });

  test('per-type field labels work (pods by spec.nodeName)', async () => {
    const pod = (name: string, nodeName?: string) => ({
      metadata: { name },
      spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'i' }] },
    });
    await s.request('POST', '/api/v1/namespaces/alpha/pods', { body: pod('p1', 'n1') });
    await s.request('POST', '/api/v1/namespaces/alpha/pods', { body: pod('p2') });
    const r = await s.request('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1');
    expect(names(r.body)).toEqual(['p1']);
    const unscheduled = await s.request('GET', '/api/v1/pods?fieldSelector=spec.nodeName%3D');
    expect(names(unscheduled.body)).toEqual(['p2']);
  });

  test('pages follow one another at one revision and ignore later writes', async () => {
    const first = await s.request('GET', `${ns('alpha')}?limit=2`);
    expect(names(first.body)).toEqual(['a1', 'a2']);
    expect(first.body.metadata.remainingItemCount).toBe(1);
    const token = first.body.metadata.continue;
    expect(token).toEqual(expect.any(String));
    await s.request('POST', ns('alpha'), { body: { metadata: { name: 'a25' } } });
    await s.request('DELETE', `${ns('alpha')}/a3`);
    const second = await s.request('GET', `${ns('alpha')}?limit=2&continue=${token}`);
    expect(names(second.body)).toEqual(['a3']);
    expect(second.body.metadata.continue).toBeUndefined();
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    const now = await s.request('GET', ns('alpha'));
    expect(names(now.body)).toEqual(['a1', 'a2', 'a25']);
  });

  test('every page of a long list reads the revision of the first page while writes go on', async () => {
    await s.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'paging' } } });
    const created: string[] = [];
    for (let i = 0; i < 60; i++) {
      const name = `p${String(i).padStart(2, '0')}`;
      created.push(name);
      await s.request('POST', ns('paging'), { body: { metadata: { name } } });
    }
    const seen: string[] = [];
    let token = '';
    let rv = '';
    let page = 0;
    do {
      const r = await s.request(
        'GET',
        `${ns('paging')}?limit=7${token ? `&continue=${token}` : ''}`,
      );
      expect(r.status).toBe(200);
      rv ||= r.body.metadata.resourceVersion;
      expect(r.body.metadata.resourceVersion).toBe(rv);
      seen.push(...names(r.body));
      token = r.body.metadata.continue ?? '';
      if (token) expect(r.body.metadata.remainingItemCount).toBe(60 - seen.length);
      // Writes between pages: a delete of an unseen item, an update, a create at the end.
      await s.request('DELETE', `${ns('paging')}/${created[59 - page]}`);
      await s.request('PUT', `${ns('paging')}/${created[page]}`, {
        body: { metadata: { name: created[page], labels: { touched: 'yes' } } },
      });
      await s.request('POST', ns('paging'), { body: { metadata: { name: `zz${page}` } } });
      page++;
    } while (token);
    expect(seen).toEqual(created);
  });

  test('a list longer than one chunk streams every item, in order, as one JSON document', async () => {
    const count = listStreamChunkItems * 2 + 7;
    const enc = new TextEncoder();
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `s${String(i).padStart(5, '0')}`;
      names.push(name);
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'stream' } };
      await s.storage.create(`/registry/configmaps/stream/${name}`, enc.encode(JSON.stringify(cm)));
    }
    const r = await s.request('GET', ns('stream'));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-length')).toBeNull();
    expect(r.body.items.map((i: any) => i.metadata.name)).toEqual(names);
    expect(r.body.metadata.resourceVersion).toEqual(expect.any(String));
  });

  test('resourceVersion=0 with a limit answers the whole list at once (1.33 cacher ignores limit)', async () => {
    const r = await s.request('GET', `${ns('alpha')}?resourceVersion=0&limit=1`);
    expect(r.status).toBe(200);
    expect(names(r.body).length).toBeGreaterThan(1);
    expect(r.body.metadata.continue).toBeUndefined();
    expect(r.body.metadata.remainingItemCount).toBeUndefined();
  });

  test('a paged Exact list reads the state of that revision page by page', async () => {
    const before = await s.request('GET', ns('alpha'));
    const rv = before.body.metadata.resourceVersion;
    await s.request('POST', ns('alpha'), { body: { metadata: { name: 'a99' } } });
    const seen: string[] = [];
    let r = await s.request('GET', `${ns('alpha')}?limit=1&resourceVersion=${rv}`);
    for (;;) {
      expect(r.body.metadata.resourceVersion).toBe(rv);
      seen.push(...names(r.body));
      if (!r.body.metadata.continue) break;
      r = await s.request('GET', `${ns('alpha')}?limit=1&continue=${r.body.metadata.continue}`);
    }
    expect(seen).toEqual(names(before.body));
  });

  test('paging with a selector omits remainingItemCount', async () => {
    const r = await s.request('GET', `/api/v1/configmaps?limit=1&labelSelector=app%3Dweb`);
    expect(names(r.body)).toEqual(['a1']);
    expect(r.body.metadata.continue).toBeDefined();
    expect(r.body.metadata.remainingItemCount).toBeUndefined();
  });

  test('resourceVersion with continue is 400', async () => {
    const first = await s.request('GET', `${ns('alpha')}?limit=1`);
    const r = await s.request(
      'GET',
      `${ns('alpha')}?limit=1&resourceVersion=5&continue=${first.body.metadata.continue}`,
    );
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('specifying resource version is not allowed when using continue');
  });

  test('a garbled continue token is 400', async () => {
    const r = await s.request('GET', `${ns('alpha')}?continue=garbage`);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/^invalid continue token/);
  });

  test('resourceVersionMatch without resourceVersion is 422 on ListOptions', async () => {
    const r = await s.request('GET', `${ns('alpha')}?resourceVersionMatch=NotOlderThan`);
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  });

  test('sendInitialEvents on a list is 422', async () => {
    const r = await s.request('GET', `${ns('alpha')}?sendInitialEvents=true`);
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('sendInitialEvents is forbidden for list');
  });

  test('resourceVersionMatch=Exact reads the state at that revision', async () => {
    const before = await s.request('GET', ns('beta'));
    const rv = before.body.metadata.resourceVersion;
    await s.request('POST', ns('beta'), { body: { metadata: { name: 'b3' } } });
    const exact = await s.request(
      'GET',
      `${ns('beta')}?resourceVersion=${rv}&resourceVersionMatch=Exact`,
    );
    expect(names(exact.body)).toEqual(names(before.body));
    expect(exact.body.metadata.resourceVersion).toBe(rv);
    const latest = await s.request('GET', ns('beta'));
    expect(names(latest.body)).toContain('b3');
  });

  test('resourceVersion=0 is served from the cache', async () => {
    const r = await s.request('GET', `${ns('beta')}?resourceVersion=0`);
    expect(r.status).toBe(200);
    expect(names(r.body)).toContain('b1');
  });

  test('a read right after a write sees it (consistent list)', async () => {
    const c = await s.request('POST', ns('beta'), { body: { metadata: { name: 'fresh' } } });
    const r = await s.request('GET', ns('beta'));
    expect(names(r.body)).toContain('fresh');
    expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThanOrEqual(
      Number(c.body.metadata.resourceVersion),
    );
  });

  test('GET with resourceVersion=0 reads the cache; a newer one waits for it', async () => {
    const c = await s.request('POST', ns('beta'), { body: { metadata: { name: 'cached' } } });
    const r = await s.request(
      'GET',
      `${ns('beta')}/cached?resourceVersion=${c.body.metadata.resourceVersion}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.metadata.uid).toBe(c.body.metadata.uid);
  });

  test('Table output carries the type columns and metadata-only rows', async () => {
    const r = await s.request('GET', ns('alpha'), {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    expect(r.body.kind).toBe('Table');
    expect(r.body.columnDefinitions[0]).toMatchObject({ name: 'Name', format: 'name' });
    expect(r.body.rows[0].cells[0]).toBe('a1');
    expect(r.body.rows[0].object.kind).toBe('PartialObjectMetadata');
  });

  test('includeObject=Object puts the whole object in each row', async () => {
    const r = await s.request('GET', `${ns('alpha')}?includeObject=Object`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    expect(r.body.rows[0].object.kind).toBe('ConfigMap');
  });

  test('a type without printer columns gets Name and Created At', async () => {
    s.server.registry.add({
      group: 'example.com',
      version: 'v1',
      resource: 'gadgets',
      singularName: 'gadget',
      kind: 'Gadget',
      namespaced: true,
      storagePrefix: 'example.com/gadgets',
    });
    const c = await s.request('POST', '/apis/example.com/v1/namespaces/alpha/gadgets', {
      body: { metadata: { name: 'g1' } },
    });
    const r = await s.request('GET', '/apis/example.com/v1/namespaces/alpha/gadgets', {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    expect(r.body.columnDefinitions.map((c: any) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    expect(r.body.rows[0].cells).toEqual(['g1', c.body.metadata.creationTimestamp]);
  });

  test('PartialObjectMetadataList is served when asked for', async () => {
    const r = await s.request('GET', ns('alpha'), {
      headers: { accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' },
    });
    expect(r.body.kind).toBe('PartialObjectMetadataList');
    expect(r.body.items[0]).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'a1' }),
    });
  });
});

describe('list expiry and freshness', () => {
  test('a continue token older than the history is 410 Expired with a fresh token', async () => {
    const clock = new FakeClock();
    const storage = await openEmbeddedStorage({ memory: true, clock });
    const s = await startTestServer({ storage, clock, watchCache: { historyMs: 60_000 } });
    try {
      for (const name of ['x1', 'x2', 'x3']) {
        await s.request('POST', ns('default'), { body: { metadata: { name } } });
      }
      const first = await s.request('GET', `${ns('default')}?limit=1`);
      // Changes age out of the watch-cache history and storage compacts past the token.
      await s.request('POST', ns('default'), { body: { metadata: { name: 'x4' } } });
      await clock.advance(120_000);
      await s.request('POST', ns('default'), { body: { metadata: { name: 'x5' } } });
      await storage.compact(await storage.currentRevision());
      const r = await s.request(
        'GET',
        `${ns('default')}?limit=1&continue=${first.body.metadata.continue}`,
      );
      expect(r.status).toBe(410);
      expect(r.body.reason).toBe('Expired');
      expect(r.body.message).toMatch(/^The provided continue parameter is too old/);
      const again = await s.request(
        'GET',
        `${ns('default')}?limit=10&continue=${r.body.metadata.continue}`,
      );
      expect(names(again.body)).toEqual(['x2', 'x3', 'x4', 'x5']);
    } finally {
      await s.stop();
    }
  });

  test('NotOlderThan a revision the store has not reached is 504 after the wait', async () => {
    const clock = new FakeClock();
    const storage = await openEmbeddedStorage({ memory: true, clock });
    const s = await startTestServer({ storage, clock });
    try {
      const pending = s.request(
        'GET',
        `${ns('default')}?resourceVersion=999999&resourceVersionMatch=NotOlderThan`,
      );
      for (let i = 0; i < 20; i++) await clock.advance(500);
      const r = await pending;
      expect(r.status).toBe(504);
      expect(r.body.message).toBe(
        'Timeout: Too large resource version: 999999, current: ' +
          r.body.message.split('current: ')[1],
      );
      expect(r.body.details.causes[0].reason).toBe('ResourceVersionTooLarge');
    } finally {
      await s.stop();
    }
  });
});
