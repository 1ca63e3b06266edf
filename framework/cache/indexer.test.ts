import type { KubernetesObject } from '../client/index.js';
import { deepFreeze, deepCopy } from './freeze.js';
import { Indexer } from './indexer.js';
import { stripManagedFields, toPartialObjectMetadata } from './transform.js';

type Obj = KubernetesObject & { spec?: { node?: string; tags?: string[] } };

const pod = (ns: string, name: string, extra: Partial<Obj> = {}, labels = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: ns, name, labels },
  ...extra,
});

const byNode = (o: Readonly<Obj>) => (o.spec?.node ? [o.spec.node] : []);
const byTag = (o: Readonly<Obj>) => o.spec?.tags ?? [];

describe('Indexer', () => {
  test('objects are keyed namespace/name, or name when cluster-scoped', () => {
    const store = new Indexer<Obj>();
    store.upsert(pod('ns1', 'a'));
    store.upsert({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    expect(store.listKeys().sort()).toEqual(['n1', 'ns1/a']);
    expect(store.getByName('ns1', 'a')?.metadata?.name).toBe('a');
    expect(store.getByName(undefined, 'n1')?.kind).toBe('Node');
  });

  test('the namespace index serves namespaced lists', () => {
    const store = new Indexer<Obj>();
    store.upsert(pod('ns1', 'a'));
    store.upsert(pod('ns1', 'b'));
    store.upsert(pod('ns2', 'c'));
    expect(store.list({ namespace: 'ns1' }).map((o) => o.metadata?.name)).toEqual(['a', 'b']);
    expect(store.list().length).toBe(3);
    expect(store.listIndexFuncValues('namespace').sort()).toEqual(['ns1', 'ns2']);
  });

  test('list filters by label selector string', () => {
    const store = new Indexer<Obj>();
    store.upsert(pod('ns', 'web', {}, { app: 'web' }));
    store.upsert(pod('ns', 'db', {}, { app: 'db' }));
    expect(store.list({ labelSelector: 'app!=db' }).map((o) => o.metadata?.name)).toEqual(['web']);
  });

  test('an update moves the key between index values', () => {
    const store = new Indexer<Obj>({ node: byNode });
    store.upsert(pod('ns', 'a', { spec: { node: 'n1' } }));
    store.upsert(pod('ns', 'a', { spec: { node: 'n2' } }));
    expect(store.indexKeys('node', 'n1')).toEqual([]);
    expect(store.indexKeys('node', 'n2')).toEqual(['ns/a']);
    expect(store.listIndexFuncValues('node')).toEqual(['n2']);
  });

  test('multi-valued index functions index every value', () => {
    const store = new Indexer<Obj>({ tag: byTag });
    store.upsert(pod('ns', 'a', { spec: { tags: ['x', 'y'] } }));
    store.upsert(pod('ns', 'b', { spec: { tags: ['y'] } }));
    expect(store.byIndex('tag', 'y').map((o) => o.metadata?.name)).toEqual(['a', 'b']);
    store.delete('ns/a');
    expect(store.indexKeys('tag', 'x')).toEqual([]);
    expect(store.indexKeys('tag', 'y')).toEqual(['ns/b']);
  });

  test('indexers added after objects are stored index the existing objects', () => {
    const store = new Indexer<Obj>();
    store.upsert(pod('ns', 'a', { spec: { node: 'n1' } }));
    store.addIndexers({ node: byNode });
    expect(store.indexKeys('node', 'n1')).toEqual(['ns/a']);
  });

  test('adding an index under a taken name throws', () => {
    const store = new Indexer<Obj>({ node: byNode });
    expect(() => store.addIndexers({ node: byNode })).toThrow('indexer conflict: node');
    expect(() => store.addIndexers({ namespace: byNode })).toThrow('indexer conflict');
  });

  test('byIndex on an unknown index throws', () => {
    expect(() => new Indexer<Obj>().byIndex('nope', 'x')).toThrow(
      'Index with name nope does not exist',
    );
  });

  test('replace swaps content and indices and returns the previous content', () => {
    const store = new Indexer<Obj>({ node: byNode });
    store.upsert(pod('ns', 'old', { spec: { node: 'n1' } }));
    const previous = store.replace([pod('ns', 'new', { spec: { node: 'n2' } })]);
    expect([...previous.keys()]).toEqual(['ns/old']);
    expect(store.listKeys()).toEqual(['ns/new']);
    expect(store.indexKeys('node', 'n1')).toEqual([]);
    expect(store.indexKeys('node', 'n2')).toEqual(['ns/new']);
  });

  test('an index function that throws leaves the store unchanged', () => {
    const store = new Indexer<Obj>({
      bad: (o) => {
        if (o.metadata?.name === 'boom') throw new Error('boom');
        return [];
      },
    });
    store.upsert(pod('ns', 'ok'));
    expect(() => store.upsert(pod('ns', 'boom'))).toThrow('boom');
    expect(store.listKeys()).toEqual(['ns/ok']);
  });
});

describe('freezing and transforms', () => {
  test('a deep-frozen object rejects writes at any depth; deepCopy gives a writable copy', () => {
    const frozen = deepFreeze(pod('ns', 'a', { spec: { tags: ['x'] } }));
    expect(() => {
      (frozen.metadata as any).name = 'b';
    }).toThrow(TypeError);
    expect(() => (frozen.spec!.tags as string[]).push('y')).toThrow(TypeError);
    const copy = deepCopy(frozen);
    copy.spec!.tags!.push('y');
    expect(copy.spec!.tags).toEqual(['x', 'y']);
  });

  test('stripManagedFields removes managedFields only', () => {
    const obj = pod('ns', 'a');
    obj.metadata!.managedFields = [{ manager: 'kubectl' }];
    expect(stripManagedFields(obj).metadata).toEqual({ namespace: 'ns', name: 'a', labels: {} });
  });

  test('toPartialObjectMetadata keeps apiVersion, kind and metadata', () => {
    const obj = pod('ns', 'a', { spec: { node: 'n' } });
    obj.metadata!.managedFields = [{ manager: 'x' }];
    expect(toPartialObjectMetadata(obj)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { namespace: 'ns', name: 'a', labels: {} },
    });
  });
});
