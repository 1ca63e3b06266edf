/**
 * PDB arithmetic, row by row from upstream's `disruption_test.go` (`TestNoSelector`,
 * `TestUnavailable`, `TestIntegerMaxUnavailable`, `TestNakedPod`, `TestReplicaSet`,
 * `TestUpdateDisruptedPods`, `TestBasicFinderFunctions`) and
 * `TestNonTerminatingPodHasStaleDisruptionCondition`.
 */
import type { Pod, PodDisruptionBudget } from '../../framework/index.js';
import {
  buildDisruptedPodMap,
  countHealthyPods,
  desiredHealthy,
  disruptionsAllowed,
  statusUpToDate,
  updateDisruptionAllowedCondition,
  type PDBStatus,
} from './budget.js';
import { deletionTimeoutMs, stalePodDisruptionTimeoutMs } from './defaults.js';
import { staleDisruptionCondition } from './stalepods.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pdb(
  spec: NonNullable<PodDisruptionBudget['spec']>,
  status?: PDBStatus,
): PodDisruptionBudget {
  return { metadata: { name: 'pdb', namespace: 'default', generation: 1 }, spec, status };
}

function pod(name: string, o: { ready?: boolean; deleting?: boolean } = {}): Pod {
  return {
    metadata: { name, namespace: 'default', deletionTimestamp: o.deleting ? iso(NOW) : undefined },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

describe('desired and expected counts', () => {
  test.each<[string, NonNullable<PodDisruptionBudget['spec']>, number, number, number]>([
    // [name, spec, pods selected, the controllers' scale, desired healthy]
    ['minAvailable 3 (integer): expected is the pods selected', { minAvailable: 3 }, 4, 4, 3],
    ['minAvailable 28% of a scale of 10 rounds up to 3', { minAvailable: '28%' }, 4, 10, 3],
    ['maxUnavailable 1 of 10: desired 9', { maxUnavailable: 1 }, 4, 10, 9],
    ['maxUnavailable 25% of 10 rounds up to 3: desired 7', { maxUnavailable: '25%' }, 4, 10, 7],
    ['maxUnavailable above the scale floors at 0', { maxUnavailable: 20 }, 4, 10, 0],
    ['neither: nothing expected', {}, 4, 10, 0],
  ])('%s', async (_n, spec, selected, scale, desired) => {
    const pods = Array.from({ length: selected }, (_, i) => pod(`p${i}`));
    let asked = false;
    const r = await desiredHealthy(pdb(spec), pods, async () => {
      asked = true;
      return scale;
    });
    expect(r.desiredHealthy).toBe(desired);
    const usesScale = spec.maxUnavailable !== undefined || typeof spec.minAvailable === 'string';
    expect(asked).toBe(usesScale);
    expect(r.expectedCount).toBe(
      usesScale ? scale : spec.minAvailable !== undefined ? selected : 0,
    );
  });

  test('a scale error is passed on', async () => {
    await expect(
      desiredHealthy(pdb({ maxUnavailable: 1 }), [], async () => {
        throw new Error('daemonsets.apps does not implement the scale subresource');
      }),
    ).rejects.toThrow('does not implement the scale subresource');
  });
});

describe('healthy pods and allowed disruptions', () => {
  test.each<[string, number, number, number, number]>([
    ['more healthy than desired', 4, 3, 4, 1],
    ['exactly desired', 3, 3, 4, 0],
    ['fewer than desired', 2, 3, 4, 0],
    ['no pods expected yet', 5, 0, 0, 0],
  ])('%s', (_n, current, desired, expected, want) => {
    expect(disruptionsAllowed(current, desired, expected)).toBe(want);
  });

  test('Ready pods count; not ready, deleting and freshly disrupted pods do not', () => {
    const pods = [
      pod('a'),
      pod('b', { ready: false }),
      pod('c', { deleting: true }),
      pod('d'),
      pod('e'),
    ];
    expect(
      countHealthyPods(pods, { d: iso(NOW - 10_000), e: iso(NOW - deletionTimeoutMs - 1000) }, NOW),
    ).toBe(2);
  });
});

describe('disruptedPods', () => {
  test('entries are kept 2 minutes, dropped after, and the earliest expiry is the recheck time', () => {
    const budget = pdb({ minAvailable: 1 }, {
      disruptedPods: {
        fresh: iso(NOW - 30_000),
        older: iso(NOW - 60_000),
        stale: iso(NOW - 150_000),
        gone: iso(NOW),
      },
    } as PDBStatus);
    const pods = [
      pod('fresh'),
      pod('older'),
      pod('stale'),
      pod('deleting', { deleting: true }),
      pod('other'),
    ];
    const r = buildDisruptedPodMap(pods, budget, NOW);
    expect(Object.keys(r.disrupted).sort()).toEqual(['fresh', 'older']);
    expect(r.expired).toEqual(['stale']);
    expect(r.recheckAtMs).toBe(NOW - 60_000 + deletionTimeoutMs);
  });

  test('a pod being deleted leaves the map', () => {
    const budget = pdb({ minAvailable: 1 }, { disruptedPods: { p: iso(NOW) } } as PDBStatus);
    expect(buildDisruptedPodMap([pod('p', { deleting: true })], budget, NOW).disrupted).toEqual({});
  });
});

describe('the DisruptionAllowed condition', () => {
  test.each<[number, string, string]>([
    [2, 'True', 'SufficientPods'],
    [0, 'False', 'InsufficientPods'],
  ])(
    'disruptionsAllowed %d → %s %s, and then the status is up to date',
    (allowed, status, reason) => {
      const s: PDBStatus = {
        currentHealthy: 3,
        desiredHealthy: 3 - allowed,
        expectedPods: 3,
        disruptionsAllowed: allowed,
        observedGeneration: 1,
        disruptedPods: {},
      };
      updateDisruptionAllowedCondition(s, iso(NOW));
      expect(s.conditions).toEqual([
        {
          type: 'DisruptionAllowed',
          status,
          reason,
          message: '',
          observedGeneration: 1,
          lastTransitionTime: iso(NOW),
        },
      ]);
      const b = pdb({ minAvailable: 1 }, s);
      expect(statusUpToDate(b, { ...s, conditions: undefined })).toBe(true);
      expect(statusUpToDate(b, { ...s, currentHealthy: 4 })).toBe(false);
      expect(statusUpToDate({ ...b, metadata: { ...b.metadata, generation: 2 } }, s)).toBe(false);
    },
  );

  test('the transition time moves only when the status changes', () => {
    const s: PDBStatus = { disruptionsAllowed: 1, observedGeneration: 1 } as PDBStatus;
    updateDisruptionAllowedCondition(s, iso(NOW));
    s.observedGeneration = 2;
    updateDisruptionAllowedCondition(s, iso(NOW + 5000));
    expect(s.conditions![0]!.lastTransitionTime).toBe(iso(NOW));
    expect(s.conditions![0]!.observedGeneration).toBe(2);
    s.disruptionsAllowed = 0;
    updateDisruptionAllowedCondition(s, iso(NOW + 9000));
    expect(s.conditions![0]).toMatchObject({
      status: 'False',
      lastTransitionTime: iso(NOW + 9000),
    });
  });
});

describe('stale DisruptionTarget conditions', () => {
  const withCondition = (o: {
    status?: string;
    reason?: string;
    sinceMs: number;
    deleting?: boolean;
    phase?: string;
  }): Pod => ({
    metadata: { name: 'p', deletionTimestamp: o.deleting ? iso(NOW) : undefined },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [
        {
          type: 'DisruptionTarget',
          status: o.status ?? 'True',
          reason: o.reason ?? 'EvictionByEvictionAPI',
          lastTransitionTime: iso(o.sinceMs),
        },
      ],
    },
  });
  test.each<[string, Pod, boolean, number]>([
    [
      'fresh: cleaned when 2 minutes have passed',
      withCondition({ sinceMs: NOW - 30_000 }),
      true,
      stalePodDisruptionTimeoutMs - 30_000,
    ],
    ['older than 2 minutes: cleaned now', withCondition({ sinceMs: NOW - 200_000 }), true, 0],
    [
      'being deleted: not stale',
      withCondition({ sinceMs: NOW - 200_000, deleting: true }),
      false,
      0,
    ],
    [
      'set by the kubelet: never stale',
      withCondition({ sinceMs: NOW - 200_000, reason: 'TerminationByKubelet' }),
      false,
      0,
    ],
    [
      'on a finished pod: not stale',
      withCondition({ sinceMs: NOW - 200_000, phase: 'Failed' }),
      false,
      0,
    ],
    [
      'False already: nothing',
      withCondition({ sinceMs: NOW - 200_000, status: 'False' }),
      false,
      0,
    ],
  ])('%s', (_n, p, has, after) => {
    expect(staleDisruptionCondition(p, NOW)).toEqual({ has, cleanAfterMs: after });
  });
});
