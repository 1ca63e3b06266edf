import {
  ConfigMap,
  CoreEvent,
  Pod,
  ReplicationController,
  type ApiClient,
  type KubernetesObject,
  type Kind,
  type KindRef,
  type OwnerReference,
} from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import type { ControllerDescriptor } from '../registry.js';
import { serviceAccountController } from '../serviceaccount/serviceaccounts.js';
import {
  createNamespace,
  exists as objectExists,
  installTestCRD,
  startClusterHarness,
  testPod,
  type ClusterHarness,
} from '../testharness.js';
import { registerGarbageCollector, type GarbageCollector } from './garbagecollector.js';

let h: ClusterHarness;
let api: ApiClient;
let gc: GarbageCollector;

/** The GC with a fast discovery resync, so CRDs created by a test get monitors quickly. */
const fastGC: ControllerDescriptor = {
  name: 'garbagecollector',
  defaultConcurrency: 20,
  register: (context) => {
    gc = registerGarbageCollector(context, { discoveryResyncMs: 200 });
  },
};

const Widget: Kind = {
  group: 'gc.kuberx.test',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};
const ClusterWidget: Kind = {
  group: 'gc.kuberx.test',
  version: 'v1',
  kind: 'ClusterWidget',
  plural: 'clusterwidgets',
  namespaced: false,
};

beforeAll(async () => {
  h = await startClusterHarness({
    descriptors: [serviceAccountController, fastGC],
    setup: async (env) => {
      await installTestCRD(env.client, Widget);
      await installTestCRD(env.client, ClusterWidget);
    },
  });
  api = h.env.client;
  await eventually(
    () => gc.isSynced() && gc.monitoredResources().includes('gc.kuberx.test/widgets'),
    'GC synced',
  );
}, 30_000);
afterAll(() => h.stop());

let nsSeq = 0;
async function namespace(): Promise<string> {
  const name = `gc${++nsSeq}`;
  await createNamespace(api, name);
  return name;
}

const exists = (kind: KindRef, ns: string | undefined, name: string) =>
  objectExists(api, kind, ns, name);

function ref(
  owner: KubernetesObject,
  opts: { block?: boolean; controller?: boolean } = {},
): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata!.name!,
    uid: owner.metadata!.uid!,
    ...(opts.controller !== undefined ? { controller: opts.controller } : {}),
    ...(opts.block !== undefined ? { blockOwnerDeletion: opts.block } : {}),
  };
}

async function configMap(
  ns: string,
  name: string,
  owners: OwnerReference[] = [],
  finalizers?: string[],
) {
  return api.create<ConfigMap>(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: ns, ownerReferences: owners, finalizers },
    },
    { kind: ConfigMap },
  );
}

async function rc(ns: string, name: string) {
  return api.create<ReplicationController>(
    {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name, namespace: ns },
      spec: {
        replicas: 0,
        selector: { app: name },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    },
    { kind: ReplicationController },
  );
}

async function pod(ns: string, name: string, owners: OwnerReference[]) {
  return api.create(testPod(ns, name, { ownerReferences: owners }), { kind: Pod });
}

const gone = (kind: Kind, ns: string | undefined, name: string) => async () =>
  !(await exists(kind, ns, name));

describe('garbage collector (upstream test/integration/garbagecollector)', () => {
  test('a dependent whose owner never existed is deleted (TestCreateWithNonExistentOwner)', async () => {
    const ns = await namespace();
    await configMap(ns, 'orphan', [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' },
    ]);
    await eventually(gone(ConfigMap, ns, 'orphan'), 'dangling dependent deleted');
  });

  test('background deletion deletes dependents; one with another live owner keeps living without the dangling reference (TestCascadingDeletion)', async () => {
    const ns = await namespace();
    const toBeDeleted = await rc(ns, 'to-be-deleted');
    const remaining = await rc(ns, 'remaining');
    await pod(ns, 'only-deleted', [ref(toBeDeleted)]);
    await pod(ns, 'both', [ref(toBeDeleted), ref(remaining)]);
    await pod(ns, 'only-remaining', [ref(remaining)]);
    await api.delete(ReplicationController, 'to-be-deleted', {
      namespace: ns,
      propagationPolicy: 'Background',
    });
    await eventually(gone(Pod, ns, 'only-deleted'), 'dependent deleted');
    await eventually(async () => {
      const p = await api.get(Pod, 'both', { namespace: ns });
      return p.metadata?.ownerReferences?.length === 1;
    }, 'dangling reference removed');
    const both = await api.get(Pod, 'both', { namespace: ns });
    expect(both.metadata?.ownerReferences?.map((r) => r.name)).toEqual(['remaining']);
    expect(await exists(Pod, ns, 'only-remaining')).toBe(true);
  });

  test('orphan deletion keeps the dependents and removes the owner reference (TestOrphaning)', async () => {
    const ns = await namespace();
    const owner = await rc(ns, 'owner');
    await pod(ns, 'p1', [ref(owner, { controller: true, block: true })]);
    await pod(ns, 'p2', [ref(owner, { controller: true, block: true })]);
    await api.delete(ReplicationController, 'owner', {
      namespace: ns,
      propagationPolicy: 'Orphan',
    });
    await eventually(gone(ReplicationController, ns, 'owner'), 'owner deleted after orphaning');
    for (const name of ['p1', 'p2']) {
      const p = await api.get(Pod, name, { namespace: ns });
      expect(p.metadata?.ownerReferences ?? []).toEqual([]);
    }
  });

  test('a ReplicationController deleted without a policy orphans its pods (its default)', async () => {
    const ns = await namespace();
    const owner = await rc(ns, 'owner');
    await pod(ns, 'p1', [ref(owner, { controller: true, block: true })]);
    await api.delete(ReplicationController, 'owner', { namespace: ns });
    await eventually(gone(ReplicationController, ns, 'owner'), 'owner deleted');
    expect((await api.get(Pod, 'p1', { namespace: ns })).metadata?.ownerReferences ?? []).toEqual(
      [],
    );
  });

  test('foreground deletion keeps the owner (deletionTimestamp + foregroundDeletion) until its blocking dependents are gone (TestBlockingOwnerRefDoesBlock)', async () => {
    const ns = await namespace();
    const owner = await configMap(ns, 'owner');
    // The dependent is held by a finalizer of its own, so the owner must wait.
    await configMap(ns, 'dep', [ref(owner, { block: true })], ['example.com/hold']);
    await api.delete(ConfigMap, 'owner', { namespace: ns, propagationPolicy: 'Foreground' });
    await eventually(async () => {
      const d = await api.get(ConfigMap, 'dep', { namespace: ns });
      return !!d.metadata?.deletionTimestamp;
    }, 'dependent being deleted');
    const waiting = await api.get(ConfigMap, 'owner', { namespace: ns });
    expect(waiting.metadata?.deletionTimestamp).toBeDefined();
    expect(waiting.metadata?.finalizers).toEqual(['foregroundDeletion']);
    await api.patch(ConfigMap, 'dep', { metadata: { finalizers: null } }, { namespace: ns });
    await eventually(gone(ConfigMap, ns, 'owner'), 'owner deleted once the dependent is gone');
  });

  test('a non-blocking dependent does not hold a foreground deletion (TestNonBlockingOwnerRefDoesNotBlock)', async () => {
    const ns = await namespace();
    const owner = await configMap(ns, 'owner');
    await configMap(ns, 'dep', [ref(owner, { block: false })], ['example.com/hold']);
    await api.delete(ConfigMap, 'owner', { namespace: ns, propagationPolicy: 'Foreground' });
    await eventually(gone(ConfigMap, ns, 'owner'), 'owner deleted');
    await eventually(
      async () =>
        !!(await api.get(ConfigMap, 'dep', { namespace: ns })).metadata?.deletionTimestamp,
      'dependent deleted too',
    );
    await api.patch(ConfigMap, 'dep', { metadata: { finalizers: null } }, { namespace: ns });
  });

  test('a dependent with a solid owner does not block a waiting owner (TestSolidOwnerDoesNotBlockWaitingOwner)', async () => {
    const ns = await namespace();
    const waitingOwner = await configMap(ns, 'waiting');
    const solidOwner = await configMap(ns, 'solid');
    await configMap(ns, 'dep', [
      ref(waitingOwner, { block: true }),
      ref(solidOwner, { block: true }),
    ]);
    await api.delete(ConfigMap, 'waiting', { namespace: ns, propagationPolicy: 'Foreground' });
    await eventually(gone(ConfigMap, ns, 'waiting'), 'waiting owner deleted');
    const dep = await api.get(ConfigMap, 'dep', { namespace: ns });
    expect(dep.metadata?.deletionTimestamp).toBeUndefined();
    expect(dep.metadata?.ownerReferences?.map((r) => r.name)).toEqual(['solid']);
  });

  test('foreground deletion cascades through several levels', async () => {
    const ns = await namespace();
    const top = await configMap(ns, 'top');
    const mid = await configMap(ns, 'mid', [ref(top, { block: true })]);
    await configMap(ns, 'leaf', [ref(mid, { block: true })]);
    await api.delete(ConfigMap, 'top', { namespace: ns, propagationPolicy: 'Foreground' });
    await eventually(gone(ConfigMap, ns, 'top'), 'top deleted');
    expect(await exists(ConfigMap, ns, 'mid')).toBe(false);
    expect(await exists(ConfigMap, ns, 'leaf')).toBe(false);
  });

  test('cluster-scoped owners: a dependent of a live one stays, of a missing one is deleted (TestClusterScopedOwners)', async () => {
    const ns = await namespace();
    const live = await api.create({
      apiVersion: 'gc.kuberx.test/v1',
      kind: 'ClusterWidget',
      metadata: { name: `live-${ns}` },
    });
    await configMap(ns, 'of-live', [ref(live)]);
    await configMap(ns, 'of-missing', [
      {
        apiVersion: 'gc.kuberx.test/v1',
        kind: 'ClusterWidget',
        name: 'missing',
        uid: 'missing-uid',
      },
    ]);
    await eventually(gone(ConfigMap, ns, 'of-missing'), 'dependent of missing owner deleted');
    expect(await exists(ConfigMap, ns, 'of-live')).toBe(true);
    await api.delete(ClusterWidget, `live-${ns}`);
    await eventually(
      gone(ConfigMap, ns, 'of-live'),
      'dependent deleted with its cluster-scoped owner',
    );
  });

  test('an owner in another namespace counts as absent, with an OwnerRefInvalidNamespace event (TestCrossNamespaceReferences)', async () => {
    const a = await namespace();
    const b = await namespace();
    const parent = await configMap(a, 'parent');
    // The parent is known to the graph before the child names it.
    await eventually(
      () => gc.graph.uidToNode.get(parent.metadata!.uid!)?.isObserved() === true,
      'parent observed',
    );
    await configMap(b, 'child', [ref(parent)]);
    await eventually(gone(ConfigMap, b, 'child'), 'child with cross-namespace owner deleted');
    expect(await exists(ConfigMap, a, 'parent')).toBe(true);
    const events = await api.list(CoreEvent, { namespace: b });
    const event = events.items.find((e) => e.reason === 'OwnerRefInvalidNamespace');
    expect(event?.involvedObject).toMatchObject({ kind: 'ConfigMap', name: 'child', namespace: b });
    expect(event?.message).toBe(
      `ownerRef [v1/ConfigMap, namespace: ${b}, name: parent, uid: ${parent.metadata?.uid}] does not exist in namespace "${b}"`,
    );
  });

  test('a cluster-scoped dependent of a namespaced owner is never collected and gets a warning event', async () => {
    const ns = await namespace();
    const owner = await configMap(ns, 'owner');
    const name = `invalid-${ns}`;
    await api.create({
      apiVersion: 'gc.kuberx.test/v1',
      kind: 'ClusterWidget',
      metadata: { name, ownerReferences: [ref(owner)] },
    });
    await eventually(async () => {
      const events = await api.list(CoreEvent, { namespace: 'default' });
      return events.items.some(
        (e) => e.reason === 'OwnerRefInvalidNamespace' && e.involvedObject?.name === name,
      );
    }, 'OwnerRefInvalidNamespace event');
    const event = (await api.list(CoreEvent, { namespace: 'default' })).items.find(
      (e) => e.reason === 'OwnerRefInvalidNamespace' && e.involvedObject?.name === name,
    )!;
    expect(event.type).toBe('Warning');
    expect(event.message).toBe(
      `ownerRef [v1/ConfigMap, namespace: , name: owner, uid: ${owner.metadata?.uid}] does not exist in namespace ""`,
    );
    expect(await exists(ClusterWidget, undefined, name)).toBe(true);
  });

  test('custom resources cascade like built-ins, in both directions (TestCustomResourceCascadingDeletion, TestMixedRelationships)', async () => {
    const ns = await namespace();
    const owner = await api.create({
      apiVersion: 'gc.kuberx.test/v1',
      kind: 'Widget',
      metadata: { name: 'owner', namespace: ns },
    });
    await api.create({
      apiVersion: 'gc.kuberx.test/v1',
      kind: 'Widget',
      metadata: { name: 'dep', namespace: ns, ownerReferences: [ref(owner)] },
    });
    await configMap(ns, 'core-dep', [ref(owner)]);
    const coreOwner = await configMap(ns, 'core-owner');
    await api.create({
      apiVersion: 'gc.kuberx.test/v1',
      kind: 'Widget',
      metadata: { name: 'cr-dep', namespace: ns, ownerReferences: [ref(coreOwner)] },
    });
    await api.delete(Widget, 'owner', { namespace: ns });
    await api.delete(ConfigMap, 'core-owner', { namespace: ns });
    await eventually(gone(Widget, ns, 'dep'), 'CR dependent of CR deleted');
    await eventually(gone(ConfigMap, ns, 'core-dep'), 'core dependent of CR deleted');
    await eventually(gone(Widget, ns, 'cr-dep'), 'CR dependent of core object deleted');
  });

  test('a CRD created while the GC runs gets a monitor at the next discovery', async () => {
    const Gadget: Kind = {
      group: 'gc.kuberx.test',
      version: 'v1',
      kind: 'Gadget',
      plural: 'gadgets',
      namespaced: true,
    };
    await installTestCRD(api, Gadget);
    await eventually(
      () => gc.monitoredResources().includes('gc.kuberx.test/gadgets'),
      'gadgets monitored',
    );
    const ns = await namespace();
    const owner = await configMap(ns, 'owner');
    await api.create(
      {
        apiVersion: 'gc.kuberx.test/v1',
        kind: 'Gadget',
        metadata: { name: 'g', namespace: ns, ownerReferences: [ref(owner)] },
      },
      { kind: Gadget },
    );
    await api.delete(ConfigMap, 'owner', { namespace: ns });
    await eventually(gone(Gadget, ns, 'g'), 'gadget deleted with its owner');
  });
});
