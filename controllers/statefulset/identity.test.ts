/**
 * Pod identity, storage and PVC retention ownership, from upstream's
 * `stateful_set_utils_test.go` (`TestGetParentNameAndOrdinal`, `TestIdentityMatches`,
 * `TestStorageMatches`, `TestUpdateIdentity`, `TestUpdateStorage`, `TestNewPodControllerRef`,
 * `TestCreateApplyRevision`, `TestIsClaimOwnerUpToDate`, `TestUpdateClaimOwnerRefForSetAndPod`).
 */
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../../framework/index.js';
import { podIndexLabel, podNameLabel, revisionLabel } from './defaults.js';
import {
  claimName,
  identityMatches,
  inOrdinalRange,
  isMemberOf,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  ordinalOf,
  parentNameAndOrdinal,
  persistentVolumeClaims,
  storageMatches,
  updateIdentity,
  updateStorage,
} from './identity.js';
import { claimOwnerRefsFor, hasStaleOwnerRef, isClaimOwnerUpToDate } from './retention.js';

function newSet(replicas = 3, extra: Partial<NonNullable<StatefulSet['spec']>> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'foo', namespace: 'default', uid: 'set-uid' },
    spec: {
      replicas,
      serviceName: 'governing',
      selector: { matchLabels: { app: 'foo' } },
      template: {
        metadata: { labels: { app: 'foo' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx' }],
          volumes: [{ name: 'home', hostPath: { path: '/tmp/home' } }],
        },
      },
      volumeClaimTemplates: [
        { metadata: { name: 'datadir' }, spec: { accessModes: ['ReadWriteOnce'] } },
      ],
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      ...extra,
    },
  };
}

const named = (name: string): Pod => ({ metadata: { name } });

describe('identity', () => {
  test.each<[string, string, number]>([
    ['foo-0', 'foo', 0],
    ['foo-12', 'foo', 12],
    ['foo-bar-3', 'foo-bar', 3],
    ['foo', '', -1],
    ['foo-', '', -1],
    ['foo-x', '', -1],
    ['foo-99999999999', 'foo', -1],
  ])('%s has parent %j and ordinal %d', (name, parent, ordinal) => {
    expect(parentNameAndOrdinal(named(name))).toEqual({ parent, ordinal });
  });

  test('a new pod gets name, hostname, subdomain, labels, controller and storage', () => {
    const set = newSet();
    const pod = newStatefulSetPod(set, 1);
    expect(pod.metadata?.name).toBe('foo-1');
    expect(pod.metadata?.generateName).toBeUndefined();
    expect(pod.spec?.hostname).toBe('foo-1');
    expect(pod.spec?.subdomain).toBe('governing');
    expect(pod.metadata?.labels).toEqual({
      app: 'foo',
      [podNameLabel]: 'foo-1',
      [podIndexLabel]: '1',
    });
    expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'StatefulSet',
      name: 'foo',
      uid: 'set-uid',
      controller: true,
    });
    expect(pod.spec?.volumes).toEqual([
      { name: 'datadir', persistentVolumeClaim: { claimName: 'datadir-foo-1', readOnly: false } },
      { name: 'home', hostPath: { path: '/tmp/home' } },
    ]);
    expect(identityMatches(set, pod)).toBe(true);
    expect(storageMatches(set, pod)).toBe(true);
  });

  test.each<[string, (p: Pod) => void]>([
    ['another parent name', (p) => void (p.metadata!.name = 'bar-1')],
    ['another namespace', (p) => void (p.metadata!.namespace = 'other')],
    ['no pod-name label', (p) => void delete p.metadata!.labels![podNameLabel]],
    ['a wrong pod-name label', (p) => void (p.metadata!.labels![podNameLabel] = 'foo-7')],
  ])('identity does not match with %s, and updateIdentity repairs it', (_n, breakIt) => {
    const set = newSet();
    const pod = newStatefulSetPod(set, 1);
    breakIt(pod);
    expect(identityMatches(set, pod)).toBe(false);
    if (pod.metadata!.name === 'bar-1') return;
    updateIdentity(set, pod);
    expect(identityMatches(set, pod)).toBe(true);
  });

  test.each<[string, (p: Pod) => void]>([
    [
      'the claim volume is missing',
      (p) => void (p.spec!.volumes = p.spec!.volumes!.filter((v) => v.name !== 'datadir')),
    ],
    [
      'the claim volume is not a PVC',
      (p) => void (p.spec!.volumes![0] = { name: 'datadir', emptyDir: {} }),
    ],
    [
      'the claim name is wrong',
      (p) => void (p.spec!.volumes![0]!.persistentVolumeClaim!.claimName = 'other'),
    ],
  ])('storage does not match when %s, and updateStorage repairs it', (_n, breakIt) => {
    const set = newSet();
    const pod = newStatefulSetPod(set, 2);
    breakIt(pod);
    expect(storageMatches(set, pod)).toBe(false);
    updateStorage(set, pod);
    expect(storageMatches(set, pod)).toBe(true);
    expect(pod.spec!.volumes!.filter((v) => v.name === 'datadir')).toHaveLength(1);
  });

  test('claims are named <template>-<set>-<ordinal> and labelled with the selector', () => {
    const set = newSet();
    set.spec!.volumeClaimTemplates![0]!.metadata!.labels = { tier: 'db' };
    const { claim } = persistentVolumeClaims(set, 4)[0]!;
    expect(claim.metadata).toMatchObject({
      name: 'datadir-foo-4',
      namespace: 'default',
      labels: { tier: 'db', app: 'foo' },
    });
    expect(claimName(set, 'datadir', 4)).toBe('datadir-foo-4');
  });

  test.each<[string, number, number | undefined, number, boolean]>([
    ['ordinal inside [0, 3)', 2, undefined, 3, true],
    ['ordinal at replicas', 3, undefined, 3, false],
    ['start ordinal 5, ordinal 5', 5, 5, 2, true],
    ['start ordinal 5, ordinal 4', 4, 5, 2, false],
    ['start ordinal 5, ordinal 7', 7, 5, 2, false],
  ])('inOrdinalRange: %s', (_n, ordinal, start, replicas, want) => {
    const set = newSet(replicas, start === undefined ? {} : { ordinals: { start } });
    expect(inOrdinalRange(named(`foo-${ordinal}`), set)).toBe(want);
  });

  test('membership is by name', () => {
    expect(isMemberOf(newSet(), named('foo-3'))).toBe(true);
    expect(isMemberOf(newSet(), named('foobar-3'))).toBe(false);
    expect(ordinalOf(named('foobar-3'))).toBe(3);
  });

  test.each<[string, object, number, 'current' | 'update']>([
    [
      'below the partition: current revision',
      { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      1,
      'current',
    ],
    [
      'at the partition: update revision',
      { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
      2,
      'update',
    ],
    ['no rollingUpdate, below currentReplicas: current', { type: 'RollingUpdate' }, 0, 'current'],
    ['no rollingUpdate, at currentReplicas: update', { type: 'RollingUpdate' }, 1, 'update'],
    ['OnDelete: update revision', { type: 'OnDelete' }, 0, 'update'],
  ])('newVersionedStatefulSetPod, %s', (_n, updateStrategy, ordinal, want) => {
    const current = newSet(3, { updateStrategy });
    current.status = { replicas: 3, currentReplicas: 1 };
    const update = structuredClone(current);
    update.spec!.template.spec!.containers[0]!.image = 'nginx:2';
    const pod = newVersionedStatefulSetPod(current, update, 'rev-current', 'rev-update', ordinal);
    expect(pod.metadata?.labels?.[revisionLabel]).toBe(`rev-${want}`);
    expect(pod.spec?.containers[0]?.image).toBe(want === 'current' ? 'nginx' : 'nginx:2');
  });
});

describe('PVC retention ownership', () => {
  const pod = (ordinal: number): Pod => ({
    metadata: { name: `foo-${ordinal}`, namespace: 'default', uid: `pod-uid-${ordinal}` },
  });
  const claimOwnedBy = (...refs: object[]): PersistentVolumeClaim => ({
    metadata: { name: 'datadir-foo-1', ownerReferences: refs as never },
  });
  const setRef = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    name: 'foo',
    uid: 'set-uid',
    controller: true,
    blockOwnerDeletion: true,
  };
  const podRef = (o: number) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    name: `foo-${o}`,
    uid: `pod-uid-${o}`,
    controller: true,
    blockOwnerDeletion: true,
  });
  const policySet = (whenScaled: string, whenDeleted: string) =>
    newSet(2, { persistentVolumeClaimRetentionPolicy: { whenScaled, whenDeleted } });

  test.each<[string, string, string, number, string[]]>([
    ['Retain/Retain, live ordinal: no owner', 'Retain', 'Retain', 1, []],
    ['Retain/Retain, scaled down: no owner', 'Retain', 'Retain', 3, []],
    ['Retain/Delete, live ordinal: the set', 'Retain', 'Delete', 1, ['StatefulSet']],
    ['Retain/Delete, scaled down: the set', 'Retain', 'Delete', 3, ['StatefulSet']],
    ['Delete/Retain, live ordinal: no owner', 'Delete', 'Retain', 1, []],
    ['Delete/Retain, scaled down: the pod', 'Delete', 'Retain', 3, ['Pod']],
    ['Delete/Delete, live ordinal: the set', 'Delete', 'Delete', 1, ['StatefulSet']],
    ['Delete/Delete, scaled down: the pod', 'Delete', 'Delete', 3, ['Pod']],
  ])('%s', (_n, whenScaled, whenDeleted, ordinal, owners) => {
    const set = policySet(whenScaled, whenDeleted);
    const claim = claimOwnedBy();
    const refs = claimOwnerRefsFor(claim, set, pod(ordinal));
    expect(refs.map((r) => r.kind)).toEqual(owners);
    const updated = claimOwnedBy(...refs);
    expect(isClaimOwnerUpToDate(updated, set, pod(ordinal))).toBe(true);
    const wrong = owners.length === 0 ? claimOwnedBy(setRef) : claimOwnedBy();
    expect(isClaimOwnerUpToDate(wrong, set, pod(ordinal))).toBe(false);
  });

  test('a non-controller reference of the set is out of date', () => {
    const set = policySet('Retain', 'Delete');
    expect(isClaimOwnerUpToDate(claimOwnedBy({ ...setRef, controller: false }), set, pod(1))).toBe(
      false,
    );
  });

  test('a reference to an older set of the same name (stale UID) is left alone', () => {
    const set = policySet('Delete', 'Delete');
    const stale = claimOwnedBy({ ...setRef, uid: 'old-uid' });
    expect(
      hasStaleOwnerRef(stale, set, {
        group: 'apps',
        version: 'v1',
        kind: 'StatefulSet',
        plural: 'statefulsets',
        namespaced: true,
      }),
    ).toBe(true);
    expect(isClaimOwnerUpToDate(stale, set, pod(1))).toBe(true);
  });

  test('another controller keeps the claim and our references are removed', () => {
    const set = policySet('Delete', 'Delete');
    const other = { apiVersion: 'v1', kind: 'Thing', name: 'x', uid: 'other', controller: true };
    const claim = claimOwnedBy(other, setRef);
    expect(isClaimOwnerUpToDate(claim, set, pod(1))).toBe(false);
    expect(claimOwnerRefsFor(claim, set, pod(1))).toEqual([other]);
    expect(isClaimOwnerUpToDate(claimOwnedBy(other), set, pod(1))).toBe(true);
  });

  test('scaling back up moves the claim from the pod to the set (Delete/Delete)', () => {
    const set = policySet('Delete', 'Delete');
    const claim = claimOwnedBy(podRef(1));
    expect(isClaimOwnerUpToDate(claim, set, pod(1))).toBe(false);
    expect(claimOwnerRefsFor(claim, set, pod(1))).toEqual([setRef]);
  });
});
