import type { Kind, ObjectMeta, OwnerReference } from '../../framework/index.js';
import { Collector } from './collector.js';
import { GraphBuilder } from './graphbuilder.js';
import type { GraphNode, ObjectIdentity } from './graph.js';
import type { Operations, PartialObject } from './operations.js';

/** An in-memory world of objects, by uid, and what the collector asked of it. */
class FakeOps {
  readonly objects = new Map<string, PartialObject & { kind: string }>();
  readonly calls: string[] = [];
  readonly kinds: Record<string, Kind> = {
    ConfigMap: {
      group: '',
      version: 'v1',
      kind: 'ConfigMap',
      plural: 'configmaps',
      namespaced: true,
    },
    Node: { group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false },
  };

  add(kind: string, meta: ObjectMeta): ObjectIdentity {
    this.objects.set(meta.uid!, { kind, metadata: meta });
    return {
      apiVersion: 'v1',
      kind,
      name: meta.name!,
      uid: meta.uid!,
      namespace: meta.namespace ?? '',
    };
  }

  async mapping(_apiVersion: string, kind: string): Promise<Kind> {
    return this.kinds[kind]!;
  }

  async getObject(
    id: ObjectIdentity,
    namespace = id.namespace,
  ): Promise<PartialObject | undefined> {
    for (const o of this.objects.values()) {
      const m = o.metadata!;
      if (
        o.kind === id.kind &&
        m.name === id.name &&
        (m.namespace ?? '') === (this.kinds[id.kind]!.namespaced ? namespace : '')
      ) {
        return o;
      }
    }
    return undefined;
  }

  async deleteObject(id: ObjectIdentity, policy: string): Promise<void> {
    this.calls.push(`delete ${id.name} ${policy}`);
  }

  async removeOwnerReferences(id: ObjectIdentity, uids: readonly string[]): Promise<void> {
    this.calls.push(`removeOwnerReferences ${id.name} ${[...uids].sort().join(',')}`);
  }

  async unblockOwnerReferences(id: ObjectIdentity): Promise<void> {
    this.calls.push(`unblock ${id.name}`);
  }

  async removeFinalizer(id: ObjectIdentity, f: string): Promise<void> {
    this.calls.push(`removeFinalizer ${id.name} ${f}`);
  }
}

function setup() {
  const ops = new FakeOps();
  const deleteQueue: GraphNode[] = [];
  const orphanQueue: GraphNode[] = [];
  const events: string[] = [];
  const graph = new GraphBuilder({
    attemptToDelete: {
      add: (n) => deleteQueue.push(n),
      addRateLimited: (n) => deleteQueue.push(n),
    },
    attemptToOrphan: { add: (n) => orphanQueue.push(n) },
    reportInvalidNamespaceOwnerRef: (dep) => events.push(`invalid ${dep.identity.name}`),
  });
  const collector = new Collector(graph, ops as unknown as Operations, {
    invalidNamespaceOwnerRef: (dep) => events.push(`invalid ${dep.identity.name}`),
    error: () => {},
  });
  collector.queueDelete = (n) => deleteQueue.push(n);
  const observe = (kind: string, meta: ObjectMeta, old?: ObjectMeta) => {
    ops.add(kind, meta);
    graph.observe(
      { apiVersion: 'v1', kind },
      { metadata: meta },
      old ? { metadata: old } : undefined,
    );
    return graph.uidToNode.get(meta.uid!)!;
  };
  return { ops, graph, collector, deleteQueue, orphanQueue, events, observe };
}

const owner = (name: string, block?: boolean): OwnerReference => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name,
  uid: `uid-${name}`,
  ...(block === undefined ? {} : { blockOwnerDeletion: block }),
});
const cm = (name: string, extra: Partial<ObjectMeta> = {}): ObjectMeta => ({
  name,
  namespace: 'ns',
  uid: `uid-${name}`,
  ...extra,
});
const deleting = { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] };

describe('attemptToDeleteItem decisions (upstream garbagecollector_test.go)', () => {
  test.each<[string, (w: ReturnType<typeof setup>) => GraphNode, string[]]>([
    ['no owner references: nothing to do', (w) => w.observe('ConfigMap', cm('item')), []],
    [
      'only solid owners: nothing to do',
      (w) => {
        w.observe('ConfigMap', cm('a'));
        return w.observe('ConfigMap', cm('item', { ownerReferences: [owner('a')] }));
      },
      [],
    ],
    [
      'all owners dangling: background delete',
      (w) =>
        w.observe('ConfigMap', cm('item', { ownerReferences: [owner('gone1'), owner('gone2')] })),
      ['delete item Background'],
    ],
    [
      'dangling owners and an orphan finalizer on the item: orphan delete',
      (w) =>
        w.observe(
          'ConfigMap',
          cm('item', { ownerReferences: [owner('gone')], finalizers: ['orphan'] }),
        ),
      ['delete item Orphan'],
    ],
    [
      'dangling owners and a foregroundDeletion finalizer on the item: foreground delete',
      (w) =>
        w.observe(
          'ConfigMap',
          cm('item', { ownerReferences: [owner('gone')], finalizers: ['foregroundDeletion'] }),
        ),
      ['delete item Foreground'],
    ],
    [
      'a solid and a dangling owner: the dangling reference is removed',
      (w) => {
        w.observe('ConfigMap', cm('a'));
        return w.observe('ConfigMap', cm('item', { ownerReferences: [owner('a'), owner('gone')] }));
      },
      ['removeOwnerReferences item uid-gone'],
    ],
    [
      'a solid and a waiting owner: the waiting reference is removed (TestSolidOwnerDoesNotBlockWaitingOwner)',
      (w) => {
        w.observe('ConfigMap', cm('a'));
        w.observe('ConfigMap', cm('w', deleting));
        return w.observe(
          'ConfigMap',
          cm('item', { ownerReferences: [owner('a'), owner('w', true)] }),
        );
      },
      ['removeOwnerReferences item uid-w'],
    ],
    [
      'only a waiting owner, with dependents of its own: foreground delete',
      (w) => {
        w.observe('ConfigMap', cm('w', deleting));
        const item = w.observe('ConfigMap', cm('item', { ownerReferences: [owner('w', true)] }));
        w.observe('ConfigMap', cm('child', { ownerReferences: [owner('item', true)] }));
        return item;
      },
      ['delete item Foreground'],
    ],
    [
      'a waiting owner and a dependent that itself deletes dependents: unblock first, then foreground (cycle avoidance)',
      (w) => {
        w.observe('ConfigMap', cm('w', deleting));
        const item = w.observe('ConfigMap', cm('item', { ownerReferences: [owner('w', true)] }));
        w.observe(
          'ConfigMap',
          cm('child', { ...deleting, ownerReferences: [owner('item', true)] }),
        );
        return item;
      },
      ['unblock item', 'delete item Foreground'],
    ],
    [
      'only a waiting owner and no dependents: background delete',
      (w) => {
        w.observe('ConfigMap', cm('w', deleting));
        return w.observe('ConfigMap', cm('item', { ownerReferences: [owner('w', true)] }));
      },
      ['delete item Background'],
    ],
    [
      'deleting dependents without blocking dependents: its foregroundDeletion finalizer is removed',
      (w) => {
        const item = w.observe('ConfigMap', cm('item', deleting));
        w.observe('ConfigMap', cm('child', { ownerReferences: [owner('item', false)] }));
        return item;
      },
      ['removeFinalizer item foregroundDeletion'],
    ],
    [
      'being deleted without waiting for dependents: nothing to do',
      (w) =>
        w.observe(
          'ConfigMap',
          cm('item', {
            deletionTimestamp: '2026-01-01T00:00:00Z',
            ownerReferences: [owner('gone')],
          }),
        ),
      [],
    ],
  ])('%s', async (_name, build, calls) => {
    const w = setup();
    const node = build(w);
    expect(await w.collector.attemptToDelete(node)).toBe('forget');
    expect(w.ops.calls).toEqual(calls);
  });

  test('deleting dependents with a blocking dependent queues that dependent and keeps the finalizer', async () => {
    const w = setup();
    const item = w.observe('ConfigMap', cm('item', deleting));
    const child = w.observe('ConfigMap', cm('child', { ownerReferences: [owner('item', true)] }));
    w.deleteQueue.length = 0;
    await w.collector.attemptToDelete(item);
    expect(w.ops.calls).toEqual([]);
    expect(w.deleteQueue).toEqual([child]);
  });

  test('an object that no longer exists becomes a virtual delete: its dependents are queued', async () => {
    const w = setup();
    const item = w.observe('ConfigMap', cm('item'));
    const child = w.observe('ConfigMap', cm('child', { ownerReferences: [owner('item')] }));
    w.ops.objects.delete('uid-item');
    w.deleteQueue.length = 0;
    expect(await w.collector.attemptToDelete(item)).toBe('forget');
    expect(w.graph.uidToNode.has('uid-item')).toBe(false);
    expect(w.deleteQueue).toEqual([child]);
  });

  test('a virtual owner that exists but is not observed yet is re-queued', async () => {
    const w = setup();
    w.observe('ConfigMap', cm('child', { ownerReferences: [owner('parent')] }));
    w.ops.add('ConfigMap', cm('parent'));
    const virtual = w.graph.uidToNode.get('uid-parent')!;
    expect(virtual.virtual).toBe(true);
    expect(await w.collector.attemptToDelete(virtual)).toBe('requeue');
  });

  test('a cluster-scoped object with a namespaced owner is never collected; an event is reported', async () => {
    const w = setup();
    const node = w.observe('Node', { name: 'n1', uid: 'uid-n1', ownerReferences: [owner('gone')] });
    expect(await w.collector.attemptToDelete(node)).toBe('forget');
    expect(w.ops.calls).toEqual([]);
    expect(w.events).toEqual(['invalid n1']);
  });

  test('attemptToOrphan removes the owner from every dependent, then the orphan finalizer', async () => {
    const w = setup();
    const item = w.observe('ConfigMap', cm('item'));
    w.observe('ConfigMap', cm('d1', { ownerReferences: [owner('item', true)] }));
    w.observe('ConfigMap', cm('d2', { ownerReferences: [owner('item', true)] }));
    expect(await w.collector.attemptToOrphan(item)).toBe('forget');
    expect(w.ops.calls.sort()).toEqual([
      'removeFinalizer item orphan',
      'removeOwnerReferences d1 uid-item',
      'removeOwnerReferences d2 uid-item',
    ]);
  });
});

describe('graph transitions (upstream graph_builder.go processTransitions)', () => {
  test('starting deletion with the orphan finalizer queues the node for orphaning', () => {
    const w = setup();
    const item = w.observe('ConfigMap', cm('item'));
    w.observe(
      'ConfigMap',
      cm('item', { deletionTimestamp: 'x', finalizers: ['orphan'] }),
      cm('item'),
    );
    expect(w.orphanQueue).toEqual([item]);
  });

  test('starting deletion with foregroundDeletion marks the node and queues it with its dependents', () => {
    const w = setup();
    const item = w.observe('ConfigMap', cm('item'));
    const child = w.observe('ConfigMap', cm('child', { ownerReferences: [owner('item', true)] }));
    w.deleteQueue.length = 0;
    w.observe('ConfigMap', cm('item', deleting), cm('item'));
    expect(item.deletingDependents).toBe(true);
    expect(w.deleteQueue).toEqual([child, item]);
  });

  test('an unknown owner becomes a virtual node, queued for verification', () => {
    const w = setup();
    w.observe('ConfigMap', cm('child', { ownerReferences: [owner('parent')] }));
    const parent = w.graph.uidToNode.get('uid-parent')!;
    expect(parent.virtual).toBe(true);
    expect(w.deleteQueue).toEqual([parent]);
  });

  test('removing a blocking owner reference re-queues that owner', () => {
    const w = setup();
    const parent = w.observe('ConfigMap', cm('parent', deleting));
    w.observe('ConfigMap', cm('child', { ownerReferences: [owner('parent', true)] }));
    w.deleteQueue.length = 0;
    w.observe(
      'ConfigMap',
      cm('child', { ownerReferences: [] }),
      cm('child', { ownerReferences: [owner('parent', true)] }),
    );
    expect(w.deleteQueue).toEqual([parent]);
    expect(parent.dependents.size).toBe(0);
  });

  test('unblocking an owner reference re-queues that owner', () => {
    const w = setup();
    const parent = w.observe('ConfigMap', cm('parent', deleting));
    w.observe('ConfigMap', cm('child', { ownerReferences: [owner('parent', true)] }));
    w.deleteQueue.length = 0;
    w.observe(
      'ConfigMap',
      cm('child', { ownerReferences: [owner('parent', false)] }),
      cm('child', { ownerReferences: [owner('parent', true)] }),
    );
    expect(w.deleteQueue).toEqual([parent]);
  });

  test('a deleted object queues its dependents and its owners that wait for their dependents', () => {
    const w = setup();
    const top = w.observe('ConfigMap', cm('top', deleting));
    w.observe('ConfigMap', cm('mid', { ownerReferences: [owner('top', true)] }));
    const leaf = w.observe('ConfigMap', cm('leaf', { ownerReferences: [owner('mid', true)] }));
    w.deleteQueue.length = 0;
    w.graph.observeDelete({ apiVersion: 'v1', kind: 'ConfigMap' }, { metadata: cm('mid') });
    expect(w.deleteQueue).toEqual([leaf, top]);
    expect(
      w.graph.absentOwnerCache.has({
        ...w.graph.uidToNode.get('uid-leaf')!.owners[0]!,
        namespace: 'ns',
      }),
    ).toBe(true);
  });

  test('a dependent naming an observed owner in another namespace is reported and queued', () => {
    const w = setup();
    w.observe('ConfigMap', cm('parent'));
    w.deleteQueue.length = 0;
    const child = w.observe('ConfigMap', {
      name: 'child',
      namespace: 'other',
      uid: 'uid-child',
      ownerReferences: [owner('parent')],
    });
    expect(w.events).toEqual(['invalid child']);
    expect(w.deleteQueue).toEqual([child]);
  });
});
