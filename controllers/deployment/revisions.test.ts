/**
 * Revisions, annotations, conditions and cleanup, from upstream's `deployment_util_test.go`
 * (`TestAnnotationUtils`, `TestDeploymentComplete`, `TestDeploymentProgressing`,
 * `TestDeploymentTimedOut`, `TestEqualIgnoreHash`) and `sync_test.go`
 * (`TestDeploymentController_cleanupDeployment`), and `progress_test.go` (`TestSyncRolloutStatus`,
 * `TestRequeueStuckDeployment`).
 */
import { rfc3339, type Deployment, type ReplicaSet } from '../../framework/index.js';
import {
  copyDeploymentAnnotationsToReplicaSet,
  lastRevision,
  maxRevision,
  setDeploymentAnnotationsTo,
  setNewReplicaSetAnnotations,
} from './annotations.js';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  type DeploymentStatus,
} from './conditions.js';
import { equalIgnoreHash, findNewReplicaSet } from './replicasets.js';
import { rolloutStatus, stuckRequeueMs } from './status.js';
import { replicaSetsToCleanup } from './sync.js';

const now = Date.UTC(2026, 0, 1, 12);
const at = (offsetS: number) => rfc3339(new Date(now + offsetS * 1000));

function deployment(
  replicas = 3,
  status: DeploymentStatus = {},
  extra: Partial<NonNullable<Deployment['spec']>> = {},
): Deployment {
  return {
    metadata: { name: 'web', namespace: 'ns', generation: 1, annotations: {} },
    spec: {
      replicas,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: 'web' } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
      },
      ...extra,
    },
    status,
  } as Deployment;
}

function rs(
  name: string,
  revision: string | undefined,
  replicas = 0,
  extra: Partial<ReplicaSet['metadata']> = {},
): ReplicaSet {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: name,
      generation: 1,
      creationTimestamp: at(Number(revision) || 0),
      annotations: revision === undefined ? {} : { 'deployment.kubernetes.io/revision': revision },
      ...extra,
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web', 'pod-template-hash': name } },
        spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
      },
    },
    status: { replicas, observedGeneration: 1 },
  } as ReplicaSet;
}

/** A status whose Progressing condition is True with `reason`, last updated `updatedS` from now. */
function progressing(reason: string, updatedS: number): DeploymentStatus {
  return {
    conditions: [
      {
        type: 'Progressing',
        status: 'True',
        reason,
        lastUpdateTime: at(updatedS),
        lastTransitionTime: at(updatedS),
      },
    ],
  };
}

describe('revisions', () => {
  test('MaxRevision and LastRevision skip unparsable revisions', () => {
    const rss = [rs('a', '1'), rs('b', '5'), rs('c', 'x'), rs('d', '3')];
    expect(maxRevision(rss)).toBe(5);
    expect(lastRevision(rss)).toBe(3);
  });

  test('a new ReplicaSet gets revision max+1 and the replicas annotations', () => {
    const d = deployment(4);
    const r = rs('n', undefined);
    expect(setNewReplicaSetAnnotations(d, r, '2', false, 2000, 1)).toBe(true);
    expect(r.metadata?.annotations).toEqual({
      'deployment.kubernetes.io/revision': '2',
      'deployment.kubernetes.io/desired-replicas': '4',
      'deployment.kubernetes.io/max-replicas': '5',
    });
  });

  test('rolling back to an old ReplicaSet raises its revision and records the old one in revision-history', () => {
    const r = rs('a', '1');
    setNewReplicaSetAnnotations(deployment(), r, '3', true, 2000, 1);
    expect(r.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(r.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    setNewReplicaSetAnnotations(deployment(), r, '5', true, 2000, 1);
    expect(r.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1,3');
  });

  test('a revision is never lowered', () => {
    const r = rs('a', '7');
    expect(setNewReplicaSetAnnotations(deployment(), r, '3', true, 2000, 1)).toBe(false);
    expect(r.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('7');
  });

  test('revision-history is trimmed from the oldest entry past the length limit', () => {
    const r = rs('a', '30');
    r.metadata!.annotations!['deployment.kubernetes.io/revision-history'] = '10,20';
    setNewReplicaSetAnnotations(deployment(), r, '40', true, 6, 1);
    expect(r.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('20,30');
  });

  test('annotations are copied to the ReplicaSet except the skip list', () => {
    const d = deployment();
    d.metadata!.annotations = {
      'kubernetes.io/change-cause': 'kubectl set image',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      'deployment.kubernetes.io/revision': '9',
      'deprecated.deployment.rollback.to': '1',
    };
    const r = rs('a', '1');
    expect(copyDeploymentAnnotationsToReplicaSet(d, r)).toBe(true);
    expect(r.metadata?.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'kubernetes.io/change-cause': 'kubectl set image',
    });
    expect(copyDeploymentAnnotationsToReplicaSet(d, r)).toBe(false);
  });

  test('a rollback gives the Deployment the ReplicaSet annotations but keeps its own skip-list ones', () => {
    const d = deployment();
    d.metadata!.annotations = {
      'deployment.kubernetes.io/revision': '4',
      'kubernetes.io/change-cause': 'new',
    };
    const r = rs('a', '1');
    r.metadata!.annotations!['kubernetes.io/change-cause'] = 'old';
    setDeploymentAnnotationsTo(d, r);
    expect(d.metadata?.annotations).toEqual({
      'deployment.kubernetes.io/revision': '4',
      'kubernetes.io/change-cause': 'old',
    });
  });
});

describe('EqualIgnoreHash and FindNewReplicaSet', () => {
  const t = (labels: Record<string, string>, cpu = '1', image = 'nginx:1') => ({
    metadata: { labels },
    spec: { containers: [{ name: 'c', image, resources: { requests: { cpu } } }] },
  });
  test.each([
    [
      'same template, different hash labels',
      t({ a: 'b', 'pod-template-hash': 'x' }),
      t({ a: 'b', 'pod-template-hash': 'y' }),
      true,
    ],
    [
      'one side without the hash label',
      t({ a: 'b' }),
      t({ a: 'b', 'pod-template-hash': 'y' }),
      true,
    ],
    ['quantities compared by value', t({ a: 'b' }, '1000m'), t({ a: 'b' }, '1'), true],
    ['different labels', t({ a: 'b' }), t({ a: 'c' }), false],
    ['different image', t({ a: 'b' }), t({ a: 'b' }, '1', 'nginx:2'), false],
  ])('%s: %p', (_name, a, b, expected) => {
    expect(equalIgnoreHash(a, b)).toBe(expected);
  });

  test('the oldest matching ReplicaSet is the new one', () => {
    const d = deployment();
    const older = rs('older', '1');
    const newer = rs('newer', '2');
    expect(findNewReplicaSet(d, [newer, older])?.metadata?.name).toBe('older');
  });
});

describe('DeploymentComplete, DeploymentProgressing, DeploymentTimedOut', () => {
  test.each([
    [
      'all updated, available and observed',
      { updatedReplicas: 3, replicas: 3, availableReplicas: 3, observedGeneration: 1 },
      true,
    ],
    [
      'not all available',
      { updatedReplicas: 3, replicas: 3, availableReplicas: 2, observedGeneration: 1 },
      false,
    ],
    [
      'old replicas remain',
      { updatedReplicas: 3, replicas: 4, availableReplicas: 3, observedGeneration: 1 },
      false,
    ],
    [
      'generation not observed',
      { updatedReplicas: 3, replicas: 3, availableReplicas: 3, observedGeneration: 0 },
      false,
    ],
  ])('complete: %s → %p', (_name, status, expected) => {
    expect(deploymentComplete(deployment(3), status)).toBe(expected);
  });

  test.each([
    ['more updated replicas', { updatedReplicas: 1 }, { updatedReplicas: 2 }, true],
    [
      'fewer old replicas',
      { replicas: 5, updatedReplicas: 2 },
      { replicas: 4, updatedReplicas: 2 },
      true,
    ],
    ['more ready replicas', { readyReplicas: 1 }, { readyReplicas: 2 }, true],
    ['more available replicas', { availableReplicas: 1 }, { availableReplicas: 2 }, true],
    [
      'nothing changed',
      { replicas: 3, updatedReplicas: 1 },
      { replicas: 3, updatedReplicas: 1 },
      false,
    ],
  ])('progressing: %s → %p', (_name, old, next, expected) => {
    expect(deploymentProgressing(deployment(3, old), next)).toBe(expected);
  });

  test.each([
    ['last update 601 s ago with a 600 s deadline', progressing('ReplicaSetUpdated', -601), true],
    ['last update 599 s ago', progressing('ReplicaSetUpdated', -599), false],
    ['already timed out', progressing('ProgressDeadlineExceeded', 0), true],
    ['completed rollouts never time out', progressing('NewReplicaSetAvailable', -9999), false],
    ['no Progressing condition', {}, false],
  ])('timed out: %s → %p', (_name, status, expected) => {
    expect(deploymentTimedOut(deployment(3), status, now)).toBe(expected);
  });

  test('no progress deadline (MaxInt32) never times out', () => {
    const d = deployment(3, {}, { progressDeadlineSeconds: 2147483647 });
    expect(deploymentTimedOut(d, progressing('ReplicaSetUpdated', -1e6), now)).toBe(false);
  });
});

describe('syncRolloutStatus', () => {
  const newRS = {
    ...rs('web-abc', '1', 3),
    status: { replicas: 3, availableReplicas: 3, readyReplicas: 3, observedGeneration: 1 },
  } as ReplicaSet;

  test('a complete rollout gets Progressing True NewReplicaSetAvailable and Available True', () => {
    const s = rolloutStatus([newRS], newRS, deployment(3, { observedGeneration: 1 }), now);
    expect(s.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      [
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        'ReplicaSet "web-abc" has successfully progressed.',
      ],
    ]);
  });

  test('progress refreshes lastUpdateTime and keeps lastTransitionTime of a True condition', () => {
    const partial = {
      ...newRS,
      status: { replicas: 2, availableReplicas: 1, readyReplicas: 1 },
    } as ReplicaSet;
    const d = deployment(3, {
      replicas: 1,
      ...progressing('NewReplicaSetCreated', -50),
    });
    const s = rolloutStatus([partial], partial, d, now);
    const c = s.conditions!.find((x) => x.type === 'Progressing')!;
    expect(c).toMatchObject({
      reason: 'ReplicaSetUpdated',
      message: 'ReplicaSet "web-abc" is progressing.',
      lastUpdateTime: at(0),
      lastTransitionTime: at(-50),
    });
  });

  test('no progress past the deadline: Progressing False ProgressDeadlineExceeded', () => {
    const stuck = { ...newRS, status: { replicas: 3 } } as ReplicaSet;
    const d = deployment(3, {
      replicas: 3,
      updatedReplicas: 3,
      ...progressing('ReplicaSetUpdated', -700),
    });
    const s = rolloutStatus([stuck], stuck, d, now);
    expect(s.conditions!.find((x) => x.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "web-abc" has timed out progressing.',
    });
  });

  test('a stuck rollout is requeued for the deadline plus 1 s; complete or timed-out ones are not', () => {
    const d = deployment(3, {
      ...progressing('ReplicaSetUpdated', -100),
    });
    expect(stuckRequeueMs(d, { replicas: 3 }, now)).toBe(501_000);
    expect(
      stuckRequeueMs(
        d,
        { replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 },
        now,
      ),
    ).toBeUndefined();
    expect(stuckRequeueMs(d, { replicas: 3 }, now + 499_500)).toBe(0);
  });
});

describe('cleanupDeployment (revisionHistoryLimit)', () => {
  test('the lowest revisions beyond the limit are deleted', () => {
    const old = ['1', '2', '3', '4', '5'].map((r) => rs(`rs-${r}`, r));
    expect(replicaSetsToCleanup(old, 2).map((r) => r.metadata?.name)).toEqual([
      'rs-1',
      'rs-2',
      'rs-3',
    ]);
  });

  test('ReplicaSets with replicas, unobserved changes or a deletion in progress are kept', () => {
    const withReplicas = rs('rs-1', '1', 1);
    const unobserved = rs('rs-2', '2', 0, { generation: 2 });
    const deleting = rs('rs-3', '3', 0, { deletionTimestamp: at(0) });
    const plain = rs('rs-4', '4');
    expect(
      replicaSetsToCleanup([withReplicas, unobserved, deleting, plain], 0).map(
        (r) => r.metadata?.name,
      ),
    ).toEqual(['rs-4']);
  });

  test('nothing to delete within the limit', () => {
    expect(replicaSetsToCleanup([rs('a', '1'), rs('b', '2')], 2)).toEqual([]);
  });
});
