/**
 * The order in which a ReplicaSet deletes pods (`TestSortingActivePodsWithRanks` in upstream's
 * `controller_utils_test.go`): each row is a pair where the first pod must be deleted first.
 */
import { rfc3339, type Pod } from '../../framework/index.js';
import {
  compareActivePods,
  compareForDeletion,
  logarithmicRankDiff,
  podDeletionCost,
  rankByRelatedPodsOnSameNode,
} from './ranking.js';
import { isPodActive } from './pods.js';

const now = Date.UTC(2026, 0, 1, 12);
const ago = (s: number) => rfc3339(new Date(now - s * 1000));

interface P {
  node?: string;
  phase?: string;
  ready?: number;
  cost?: string;
  restarts?: number;
  created?: number;
  uid?: string;
}

function pod(name: string, p: P): Pod {
  return {
    metadata: {
      name,
      uid: p.uid ?? name,
      creationTimestamp: p.created === undefined ? undefined : ago(p.created),
      annotations:
        p.cost === undefined ? {} : { 'controller.kubernetes.io/pod-deletion-cost': p.cost },
    },
    spec: { nodeName: p.node, containers: [] },
    status: {
      phase: p.phase ?? 'Running',
      conditions:
        p.ready === undefined
          ? []
          : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(p.ready) }],
      containerStatuses: [
        { name: 'c', image: 'i', imageID: '', ready: true, restartCount: p.restarts ?? 0 },
      ],
    },
  } as Pod;
}

const base: P = { node: 'n1', phase: 'Running', ready: 1000, restarts: 0, created: 10_000 };

describe('ActivePodsWithRanks: the first pod of each pair is deleted first', () => {
  test.each([
    ['unassigned before assigned', { ...base, node: undefined }, 0, base, 0],
    [
      'Pending before Unknown',
      { ...base, phase: 'Pending', ready: undefined },
      0,
      { ...base, phase: 'Unknown', ready: undefined },
      0,
    ],
    ['Unknown before Running', { ...base, phase: 'Unknown' }, 0, base, 0],
    ['not ready before ready', { ...base, ready: undefined }, 0, base, 0],
    ['lower deletion cost first', { ...base, cost: '-10' }, 0, { ...base, cost: '5' }, 0],
    ['deletion cost beats ranks', { ...base, cost: '1' }, 0, { ...base, cost: '2' }, 5],
    ['doubled up (higher rank) first', base, 3, base, 1],
    [
      'ready more recently first (different log2 buckets)',
      { ...base, ready: 10 },
      0,
      { ...base, ready: 100_000 },
      0,
    ],
    ['more restarts first', { ...base, restarts: 5 }, 0, { ...base, restarts: 1 }, 0],
    [
      'created more recently first',
      { ...base, ready: 1000, created: 100 },
      0,
      { ...base, ready: 1000, created: 100_000 },
      0,
    ],
    ['unknown creation time first', { ...base, created: undefined }, 0, base, 0],
  ])('%s', (_name, a, rankA, b, rankB) => {
    const pa = { pod: pod('a', a), rank: rankA };
    const pb = { pod: pod('b', b), rank: rankB };
    expect(compareForDeletion(pa, pb, now)).toBeLessThan(0);
    expect(compareForDeletion(pb, pa, now)).toBeGreaterThan(0);
  });

  test('times in the same log2 bucket fall back to the UID', () => {
    const a = { pod: pod('a', { ...base, ready: 1000, uid: 'aaa' }), rank: 0 };
    const b = { pod: pod('b', { ...base, ready: 1001, uid: 'bbb' }), rank: 0 };
    expect(logarithmicRankDiff(now - 1_000_000, now - 1_001_000, now)).toBe(0);
    expect(compareForDeletion(a, b, now)).toBeLessThan(0);
    expect(compareForDeletion(b, a, now)).toBeGreaterThan(0);
  });

  test('sorting a mixed set puts unscheduled, pending, not ready, then ready pods', () => {
    const pods = [
      pod('ready-old', { ...base, ready: 100_000 }),
      pod('not-ready', { ...base, ready: undefined }),
      pod('ready-new', { ...base, ready: 10 }),
      pod('pending', { ...base, phase: 'Pending', ready: undefined }),
      pod('unscheduled', { ...base, node: undefined, phase: 'Pending', ready: undefined }),
    ];
    const order = pods
      .map((p) => ({ pod: p, rank: 0 }))
      .sort((a, b) => compareForDeletion(a, b, now))
      .map((r) => r.pod.metadata!.name);
    expect(order).toEqual(['unscheduled', 'pending', 'not-ready', 'ready-new', 'ready-old']);
  });

  test('ranks count active related pods on the same node', () => {
    const related = [
      pod('x', base),
      pod('y', base),
      pod('z', { ...base, node: 'n2' }),
      pod('done', { ...base, phase: 'Succeeded' }),
    ];
    const ranked = rankByRelatedPodsOnSameNode(
      [pod('a', base), pod('b', { ...base, node: 'n2' })],
      related,
      isPodActive,
    );
    expect(ranked.map((r) => r.rank)).toEqual([2, 1]);
  });
});

describe('pod-deletion-cost annotation', () => {
  test.each([
    ['100', 100],
    ['-5', -5],
    ['0', 0],
    ['+5', 0],
    ['007', 0],
    ['abc', 0],
    ['2147483648', 0],
  ])('%p counts as %p', (value, cost) => {
    expect(podDeletionCost(pod('p', { ...base, cost: value }))).toBe(cost);
  });
});

test('ActivePods (Job) ignores deletion cost', () => {
  const a = pod('a', { ...base, cost: '100', restarts: 3 });
  const b = pod('b', { ...base, cost: '-100', restarts: 1 });
  expect(compareActivePods(a, b)).toBeLessThan(0);
});
