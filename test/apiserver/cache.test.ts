/**
 * The watch cache builds the entries of the server's own writes from the JSON it serialised for
 * them (no decode of the stored bytes); what it holds must be exactly what decoding storage gives,
 * for every kind of write, and what the write answered.
 */
import { decodeKeyValue } from '../../apiserver/storage/codec.js';
import { cachedObjectFrom } from '../../apiserver/watchcache/entry.js';
import { describeBackends } from './backends.js';

const pod = (name: string, nodeName?: string) => ({
  metadata: { name, labels: { app: 'web' }, annotations: { note: 'ünïcode ✓' } },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx' }] },
});

describeBackends((server) => {
  test('cached entries equal decoded storage after creates, updates, patches and status writes', async () => {
    const s = server();
    const ns = '/api/v1/namespaces/cache';
    const answers = new Map<string, string>();
    const remember = (r: { status: number; body: any; text: string }) => {
      expect(r.status).toBeLessThan(300);
      answers.set(`${r.body.kind}/${r.body.metadata.name}`, r.text);
    };
    remember(
      await s.request('POST', '/api/v1/namespaces', { body: { metadata: { name: 'cache' } } }),
    );
    remember(await s.request('POST', `${ns}/pods`, { body: pod('p1', 'node-a') }));
    remember(await s.request('POST', `${ns}/pods`, { body: pod('p2') }));
    remember(
      await s.request('POST', `${ns}/secrets`, {
        body: { metadata: { name: 's1' }, type: 'Opaque', stringData: { k: 'v' } },
      }),
    );
    remember(
      await s.request('POST', `${ns}/configmaps`, {
        body: { metadata: { generateName: 'cm-' }, data: { a: '1' } },
      }),
    );
    const p2 = (await s.request('GET', `${ns}/pods/p2`)).body;
    remember(
      await s.request('PUT', `${ns}/pods/p2/status`, {
        body: { ...p2, status: { phase: 'Running' } },
      }),
    );
    remember(
      await s.request('PATCH', `${ns}/pods/p1`, {
        body: { metadata: { labels: { app: 'db' } } },
        headers: { 'content-type': 'application/merge-patch+json' },
      }),
    );
    remember(
      await s.request('PATCH', `${ns}/configmaps/applied?fieldManager=me`, {
        raw: JSON.stringify({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'applied' },
          data: { b: '2' },
        }),
        headers: { 'content-type': 'application/apply-patch+yaml' },
      }),
    );

    for (const [resource, kind] of [
      ['pods', 'Pod'],
      ['secrets', 'Secret'],
      ['configmaps', 'ConfigMap'],
    ] as const) {
      const store = s.server.store('', 'v1', resource)!;
      const listed = await s.storage.list(store.listPrefix('cache'));
      // The cache has seen the last write of every listed object (etcd 3.4's progress
      // notifications do not move it to the store's revision).
      await store.cacher.waitUntilFresh(Math.max(...listed.kvs.map((kv) => kv.modRevision)));
      expect(listed.kvs.length).toBeGreaterThan(0);
      for (const kv of listed.kvs) {
        const cached = store.cacher.get(kv.key);
        expect(cached).toEqual(cachedObjectFrom(kv, (o) => store.view.fieldLabels(o)));
        const name = decodeKeyValue(kv).metadata!.name!;
        // What the write answered and what a cache read answers are the cached JSON, verbatim.
        const answered = answers.get(`${kind}/${name}`);
        if (answered) expect(answered).toBe(cached!.json);
        const read = await s.request('GET', `${ns}/${resource}/${name}?resourceVersion=0`);
        expect(read.text).toBe(cached!.json);
      }
    }
  });
});
