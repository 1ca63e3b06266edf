import { statefulSets } from './statefulsets.js';
import { controllerRevisions, daemonSets } from './daemonsets.js';
import { create, podTemplate, row, update } from '../testing/harness.js';

const sts = (spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'db' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: podTemplate(),
    serviceName: 'db',
    ...spec,
  },
});

describe('statefulsets (SetDefaults_StatefulSet, ValidateStatefulSet)', () => {
  test('defaults', () => {
    const { obj, errors } = create(
      statefulSets,
      sts({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] }),
    );
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      replicas: 1,
      revisionHistoryLimit: 10,
      volumeClaimTemplates: [{ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }],
    });
  });

  test.each([
    [
      'names are DNS labels',
      { metadata: { name: 'a.b' }, spec: sts().spec },
      /^metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label/,
    ],
    [
      'podManagementPolicy is OrderedReady or Parallel',
      sts({ podManagementPolicy: 'Random' }),
      /^spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'$/,
    ],
    [
      'an empty selector is invalid',
      sts({ selector: {} }),
      /^spec.selector: Invalid value: \{\}: empty selector is invalid for statefulset$/,
    ],
    [
      'OnDelete takes no rollingUpdate',
      sts({ updateStrategy: { type: 'OnDelete', rollingUpdate: {} } }),
      /^spec.updateStrategy.rollingUpdate: Invalid value: \{\}: only allowed for updateStrategy 'RollingUpdate'$/,
    ],
  ])('%s', (_rule, input, message) => {
    expect(create(statefulSets, input).errors[0]).toMatch(message);
  });

  test('only some spec fields may change', () => {
    const { obj: old } = create(statefulSets, sts());
    const scaled = structuredClone(old);
    (scaled.spec as any).replicas = 3;
    expect(update(statefulSets, scaled, old).errors).toEqual([]);
    const renamed = structuredClone(old);
    (renamed.spec as any).serviceName = 'other';
    expect(update(statefulSets, renamed, old).errors).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  test('the table is NAME READY AGE', () => {
    const { obj } = create(statefulSets, sts({ replicas: 3 }));
    obj.status = { readyReplicas: 2 };
    expect(row(statefulSets, obj)).toMatchObject({ Name: 'db', Ready: '2/3', Age: '60m' });
  });
});

describe('daemonsets', () => {
  const ds = (spec: Record<string, unknown> = {}) => ({
    metadata: { name: 'agent' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate(), ...spec },
  });

  test('defaults RollingUpdate with maxUnavailable 1 and maxSurge 0', () => {
    const { obj, errors } = create(daemonSets, ds());
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
  });

  test.each([
    [
      'both maxSurge and maxUnavailable non-zero',
      {
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 1, maxSurge: 1 },
        },
      },
      'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero',
    ],
    [
      'both zero',
      {
        updateStrategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 0, maxSurge: 0 },
        },
      },
      'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
    ],
    [
      'an empty selector',
      { selector: {} },
      'spec.selector: Invalid value: {}: empty selector is invalid for daemonset',
    ],
  ])('%s is invalid', (_rule, spec, message) => {
    expect(create(daemonSets, ds(spec)).errors).toContain(message);
  });

  test('the table shows desired/current/ready/up-to-date/available and the node selector', () => {
    const { obj } = create(
      daemonSets,
      ds({
        template: {
          ...podTemplate(),
          spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'i' }] },
        },
      }),
    );
    obj.status = {
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 2,
      updatedNumberScheduled: 3,
      numberAvailable: 2,
    };
    expect(row(daemonSets, obj)).toMatchObject({
      Desired: 3,
      Current: 3,
      Ready: 2,
      'Up-to-date': 3,
      Available: 2,
      'Node Selector': 'disk=ssd',
    });
  });
});

describe('controllerrevisions', () => {
  test('data is mandatory and immutable; the controller is printed as kind.group/name', () => {
    expect(create(controllerRevisions, { metadata: { name: 'r' }, revision: 1 }).errors).toEqual([
      'data: Required value: data is mandatory',
    ]);
    const { obj: old } = create(controllerRevisions, {
      metadata: {
        name: 'r',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true },
        ],
      },
      data: { a: 1 },
      revision: 1,
    });
    expect(update(controllerRevisions, { ...old, data: { a: 2 } }, old).errors).toEqual([
      'data: Invalid value: {"a":2}: field is immutable',
    ]);
    expect(row(controllerRevisions, old)).toMatchObject({
      Controller: 'statefulset.apps/db',
      Revision: 1,
    });
  });
});

describe('status updates keep labels only where upstream resets them', () => {
  test('a ReplicaSet /status update may change labels (rsStatusStrategy resets spec only)', async () => {
    const { replicaSets } = await import('./replicasets.js');
    const { updateStatus } = await import('../testing/harness.js');
    const { obj: old } = create(replicaSets, {
      metadata: { name: 'rs' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate() },
    });
    const next = {
      ...structuredClone(old),
      metadata: { ...old.metadata, labels: { x: 'y' } },
      status: { replicas: 1 },
    };
    expect(updateStatus(replicaSets, next, old).obj.metadata!.labels).toEqual({ x: 'y' });
  });
});
