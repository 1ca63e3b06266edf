/**
 * Table tests of the Deployment controller's arithmetic, rows taken from upstream's unit tests
 * (`deployment_util_test.go`, `rolling_test.go`, `sync_test.go`).
 */
import type { Deployment, ReplicaSet } from '../../framework/index.js';
import { maxSurge, maxUnavailable, newRSNewReplicas, resolveFenceposts } from './fenceposts.js';
import { newReplicaSetTarget, oldReplicaSetsPlan } from './rollingplan.js';
import { planScale } from './scale.js';

type IntOrString = number | string | undefined;

function deployment(
  replicas: number,
  maxSurgeValue: IntOrString,
  maxUnavailableValue: IntOrString,
  type = 'RollingUpdate',
): Deployment {
  return {
    metadata: { name: 'foo', namespace: 'ns', generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'foo' } },
      template: {
        metadata: { labels: { app: 'foo' } },
        spec: { containers: [{ name: 'c', image: 'i' }] },
      },
      strategy:
        type === 'RollingUpdate'
          ? {
              type,
              rollingUpdate: { maxSurge: maxSurgeValue, maxUnavailable: maxUnavailableValue },
            }
          : { type },
    },
  } as Deployment;
}

let clock = Date.UTC(2026, 0, 1);
function rs(
  name: string,
  replicas: number,
  available = 0,
  annotations: Record<string, string> = {},
): ReplicaSet {
  clock += 1000;
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      creationTimestamp: new Date(clock).toISOString(),
      annotations,
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'foo' } },
      template: { metadata: { labels: { app: 'foo' } } },
    },
    status: { replicas, availableReplicas: available, readyReplicas: available },
  } as ReplicaSet;
}

describe('ResolveFenceposts', () => {
  test.each([
    ['0%', '0%', 0, 0, 1],
    ['39%', '39%', 10, 4, 3],
    [undefined, '39%', 10, 0, 3],
    ['39%', undefined, 10, 4, 0],
    [undefined, undefined, 10, 0, 1],
    [3, 2, 10, 3, 2],
    ['25%', '25%', 1, 1, 0],
    ['0%', '10%', 3, 0, 1],
  ])(
    'maxSurge %p, maxUnavailable %p of %p replicas resolve to surge %p, unavailable %p',
    (s, u, desired, surge, unavailable) => {
      expect(resolveFenceposts(s, u, desired)).toEqual({ surge, unavailable });
    },
  );

  test.each([
    ['oops', '39%'],
    ['55%', 'urg'],
  ])('a malformed value (%p, %p) is an error', (s, u) => {
    expect(() => resolveFenceposts(s, u, 10)).toThrow(/invalid value for IntOrString/);
  });
});

describe('MaxUnavailable and MaxSurge', () => {
  test.each([
    ['RollingUpdate 10 replicas, maxUnavailable 5', deployment(10, 0, 5), 5],
    ['RollingUpdate 10 replicas, maxUnavailable 25%', deployment(10, 0, '25%'), 2],
    ['maxUnavailable above replicas is capped at replicas', deployment(10, 0, 20), 10],
    ['0 replicas', deployment(0, 1, 1), 0],
    ['Recreate', deployment(10, undefined, undefined, 'Recreate'), 0],
    ['maxSurge and maxUnavailable both 0 resolve unavailable to 1', deployment(10, 0, 0), 1],
  ])('%s: maxUnavailable %p', (_name, d, expected) => {
    expect(maxUnavailable(d)).toBe(expected);
  });

  test('Recreate has no surge; maxSurge rounds up', () => {
    expect(maxSurge(deployment(10, undefined, undefined, 'Recreate'))).toBe(0);
    expect(maxSurge(deployment(10, '25%', '25%'))).toBe(3);
  });
});

describe('NewRSNewReplicas', () => {
  test.each([
    ['can scale up to the surge', deployment(10, 3, 2), [10], 0, 3],
    ['at the surge limit no scale up', deployment(10, 3, 2), [10], 3, 3],
    ['never past replicas', deployment(10, 3, 2), [2], 8, 10],
    ['1 replica with 25%/25% surges by 1', deployment(1, '25%', '25%'), [1], 0, 1],
    ['Recreate wants all replicas', deployment(5, undefined, undefined, 'Recreate'), [5], 0, 5],
  ])('%s', (_name, d, oldSizes, newSize, expected) => {
    const newRS = rs('new', newSize);
    const olds = oldSizes.map((n, i) => rs(`old${i}`, n, n));
    expect(newRSNewReplicas(d, [...olds, newRS], newRS)).toBe(expected);
  });
});

describe('reconcileNewReplicaSet', () => {
  test.each([
    ['maxSurge 0: no scale up', 10, 0, 10, 0, undefined],
    ['maxSurge 2: new grows to 2', 10, 2, 10, 0, 2],
    ['maxSurge 2, old 5: new grows to 7', 10, 2, 5, 0, 7],
    ['maxSurge 2, already surged: no change', 10, 2, 10, 2, undefined],
    ['new above replicas: scaled down to replicas', 10, 2, 2, 11, 10],
  ])('%s', (_name, replicas, surge, oldSize, newSize, expected) => {
    const d = deployment(replicas, surge, 0);
    const newRS = rs('new', newSize);
    const old = rs('old', oldSize, oldSize);
    expect(newReplicaSetTarget([old, newRS], newRS, d)).toBe(expected);
  });
});

describe('reconcileOldReplicaSets', () => {
  test.each([
    ['maxUnavailable 0 (resolves to 1): old 10 → 9', 0, 10, 0, 10, 0, 9],
    ['maxUnavailable 2: old 10 → 8', 2, 10, 0, 10, 0, 8],
    ['unhealthy old replicas are cleaned up first', 2, 10, 0, 8, 0, 8],
    ['1 unhealthy cleaned up, then 1 ready scaled down', 2, 10, 0, 9, 0, 8],
    ['unavailable new pods do not let old ones shrink', 2, 8, 2, 8, 0, undefined],
  ])('%s', (_name, maxUnavail, oldSize, newSize, oldReady, newReady, expectedOld) => {
    const d = deployment(10, undefined, maxUnavail);
    const old = rs('old', oldSize, oldReady);
    const newRS = rs('new', newSize, newReady);
    const steps = oldReplicaSetsPlan([old, newRS], [old], newRS, d);
    expect(steps.at(-1)?.replicas).toBe(expectedOld);
  });
});

describe('a rolling update never exceeds its bounds (replicas 10, maxSurge 3, maxUnavailable 2)', () => {
  test('with new pods that never become available it settles at new 5 / old 8', () => {
    const d = deployment(10, 3, 2);
    const sizes = { old: 10, new: 0 };
    const snapshot = () => [rs('old', sizes.old, sizes.old), rs('new', sizes.new, 0)] as const;
    // the new ReplicaSet is created at its first size, then each sync takes one step
    sizes.new = newRSNewReplicas(d, [snapshot()[0]], rs('new', 0));
    expect(sizes.new).toBe(3);
    for (let sync = 0; sync < 10; sync++) {
      const [old, newRS] = snapshot();
      const target = newReplicaSetTarget([old, newRS], newRS, d);
      if (target !== undefined) sizes.new = target;
      else {
        const steps = oldReplicaSetsPlan([old, newRS], [old], newRS, d);
        if (steps.length > 0) sizes.old = steps.at(-1)!.replicas;
      }
      expect(sizes.old + sizes.new).toBeLessThanOrEqual(13);
      expect(sizes.old).toBeGreaterThanOrEqual(8);
    }
    expect(sizes).toEqual({ old: 8, new: 5 });
  });
});

describe('proportional scaling (TestScale; maxSurge 0, maxUnavailable 0)', () => {
  const annotated = (n: number) => ({
    'deployment.kubernetes.io/desired-replicas': String(n),
    'deployment.kubernetes.io/max-replicas': String(n),
  });
  test.each([
    ['proportional scaling: 5 -> 10', 5, 10, [3], 2, [6], 4],
    ['proportional scaling: 5 -> 3', 5, 3, [3], 2, [2], 1],
    ['proportional scaling: 9 -> 4', 9, 4, [1], 8, [0], 4],
    ['proportional scaling: 7 -> 10', 7, 10, [2, 3], 2, [3, 4], 3],
    ['proportional scaling: 13 -> 8', 13, 8, [3, 8], 2, [2, 5], 1],
    ['leftover distribution: 3 -> 4', 3, 4, [1, 1], 1, [1, 1], 2],
    ['leftover distribution: 3 -> 2', 3, 2, [1, 1], 1, [0, 1], 1],
  ])('%s', (_name, oldReplicas, newReplicas, oldSizes, newSize, expectedOld, expectedNew) => {
    const d = deployment(newReplicas, 0, 0);
    d.status = { replicas: oldReplicas };
    const olds = oldSizes.map((n, i) => rs(`v${i + 1}`, n, n, annotated(oldReplicas)));
    const newRS = rs('new', newSize, newSize, annotated(oldReplicas));
    const sizes = new Map([...olds, newRS].map((r) => [r.metadata!.name!, r.spec!.replicas!]));
    for (const step of planScale(d, newRS, olds)) sizes.set(step.rs.metadata!.name!, step.replicas);
    expect(olds.map((o) => sizes.get(o.metadata!.name!))).toEqual(expectedOld);
    expect(sizes.get('new')).toBe(expectedNew);
  });

  test('a single active ReplicaSet takes all replicas', () => {
    const d = deployment(7, 0, 1);
    const steps = planScale(d, rs('new', 3, 3), [rs('old', 0)]);
    expect(steps.map((s) => [s.rs.metadata!.name, s.replicas, s.operation])).toEqual([
      ['new', 7, 'up'],
    ]);
  });

  test('a saturated new ReplicaSet scales every old one to 0', () => {
    const d = deployment(4, 1, 1);
    const newRS = rs('new', 4, 4, annotated(4));
    const steps = planScale(d, newRS, [rs('old', 2, 2, annotated(4))]);
    expect(steps.map((s) => [s.rs.metadata!.name, s.replicas])).toEqual([['old', 0]]);
  });
});
