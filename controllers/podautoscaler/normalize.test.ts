/**
 * Stabilization and limits, after upstream's `horizontal_test.go` (`TestNormalizeDesiredReplicas`,
 * `TestNormalizeDesiredReplicasWithBehavior`, `TestScalingWithRules`, `TestStoreScaleEvents`,
 * `TestConvertDesiredReplicasWithRules`): each row gives the current size, the metrics'
 * recommendation, the bounds, earlier recommendations or rescales, and what the controller sets.
 */
import { Normalizer, type NormalizeArgs, type ScalingRules } from './normalize.js';

const NOW = Date.UTC(2026, 0, 1, 12);

const defaultUp: ScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const defaultDown: ScalingRules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

interface Row {
  name: string;
  current: number;
  desired: number;
  min?: number;
  max?: number;
  behavior?: NormalizeArgs['behavior'];
  /** Earlier recommendations: [value, seconds ago]. */
  recommendations?: Array<[number, number]>;
  /** Earlier rescales: [from, to, seconds ago]. */
  rescales?: Array<[number, number, number]>;
  want: number;
  able: string;
  limited: [string, string];
}

function run(row: Row) {
  let now = NOW;
  const n = new Normalizer(() => now, 300_000);
  const args = (current: number, desired: number): NormalizeArgs => ({
    key: 'ns/hpa',
    currentReplicas: current,
    desiredReplicas: desired,
    minReplicas: row.min ?? 1,
    maxReplicas: row.max ?? 100,
    behavior: row.behavior,
  });
  const history: Array<[number, () => void]> = [
    ...(row.recommendations ?? []).map(([value, ago]): [number, () => void] => [
      ago,
      () => void n.normalize(args(value, value)),
    ]),
    ...(row.rescales ?? []).map(([from, to, ago]): [number, () => void] => [
      ago,
      () => n.storeScaleEvent({ key: 'ns/hpa', behavior: row.behavior }, from, to),
    ]),
  ];
  for (const [ago, act] of history.sort((a, b) => b[0] - a[0])) {
    now = NOW - ago * 1000;
    act();
  }
  now = NOW;
  return n.normalize(args(row.current, row.desired));
}

const withinRange: [string, string] = ['False', 'DesiredWithinRange'];

describe('without a behavior', () => {
  test.each<Row>([
    {
      name: 'within range',
      current: 4,
      desired: 6,
      want: 6,
      able: 'ReadyForNewScale',
      limited: withinRange,
    },
    {
      name: 'scale-up limit max(2 × 4, 4) = 8',
      current: 4,
      desired: 12,
      want: 8,
      able: 'ReadyForNewScale',
      limited: ['True', 'ScaleUpLimit'],
    },
    {
      name: 'scale-up limit from 1 is 4',
      current: 1,
      desired: 10,
      want: 4,
      able: 'ReadyForNewScale',
      limited: ['True', 'ScaleUpLimit'],
    },
    {
      name: 'maxReplicas below the scale-up limit',
      current: 4,
      desired: 12,
      max: 6,
      want: 6,
      able: 'ReadyForNewScale',
      limited: ['True', 'TooManyReplicas'],
    },
    {
      name: 'below minReplicas',
      current: 3,
      desired: 1,
      min: 2,
      want: 2,
      able: 'ReadyForNewScale',
      limited: ['True', 'TooFewReplicas'],
    },
    {
      name: 'a higher recommendation 100 s ago holds the scale-down',
      current: 6,
      desired: 3,
      recommendations: [[6, 100]],
      want: 6,
      able: 'ScaleDownStabilized',
      limited: withinRange,
    },
    {
      name: 'a recommendation older than 5 min does not',
      current: 6,
      desired: 3,
      recommendations: [[6, 301]],
      want: 3,
      able: 'ReadyForNewScale',
      limited: withinRange,
    },
  ])('$name', (row) => {
    const r = run(row);
    expect(r.replicas).toBe(row.want);
    expect(r.ableToScale.reason).toBe(row.able);
    expect([r.scalingLimited.status, r.scalingLimited.reason]).toEqual(row.limited);
  });
});

describe('with a behavior', () => {
  const defaults = { scaleUp: defaultUp, scaleDown: defaultDown };
  test.each<Row>([
    {
      name: 'default scale-up from 1: max(1 + 4 pods, 1 × 200%) = 5',
      current: 1,
      desired: 10,
      behavior: defaults,
      want: 5,
      able: 'ReadyForNewScale',
      limited: ['True', 'ScaleUpLimit'],
    },
    {
      name: 'default scale-up from 10: max(14, 20) = 20',
      current: 10,
      desired: 50,
      behavior: defaults,
      want: 20,
      able: 'ReadyForNewScale',
      limited: ['True', 'ScaleUpLimit'],
    },
    {
      name: 'rescales within the period count against it: 1 → 5 five seconds ago leaves 5',
      current: 5,
      desired: 10,
      behavior: defaults,
      rescales: [[1, 5, 5]],
      want: 5,
      able: 'ReadyForNewScale',
      limited: ['True', 'ScaleUpLimit'],
    },
    {
      name: 'a rescale older than the period no longer counts',
      current: 5,
      desired: 10,
      behavior: defaults,
      rescales: [[1, 5, 20]],
      want: 10,
      able: 'ReadyForNewScale',
      limited: withinRange,
    },
    {
      name: 'Min policy takes the smaller change: min(14, 20) = 14',
      current: 10,
      desired: 50,
      behavior: { scaleUp: { ...defaultUp, selectPolicy: 'Min' }, scaleDown: defaultDown },
      want: 14,
      able: 'ReadyForNewScale',
      limited: ['True', 'ScaleUpLimit'],
    },
    {
      name: 'Disabled scale-up keeps the current size',
      current: 3,
      desired: 10,
      behavior: { scaleUp: { ...defaultUp, selectPolicy: 'Disabled' }, scaleDown: defaultDown },
      want: 3,
      able: 'ReadyForNewScale',
      limited: ['True', 'ScaleUpLimit'],
    },
    {
      name: 'maxReplicas below the policy limit',
      current: 10,
      desired: 50,
      max: 15,
      behavior: defaults,
      want: 15,
      able: 'ReadyForNewScale',
      limited: ['True', 'TooManyReplicas'],
    },
    {
      name: 'scale-down 50% per 15 s from 10 → 5',
      current: 10,
      desired: 1,
      behavior: {
        scaleUp: defaultUp,
        scaleDown: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 50, periodSeconds: 15 }],
        },
      },
      want: 5,
      able: 'ReadyForNewScale',
      limited: ['True', 'ScaleDownLimit'],
    },
    {
      name: 'scale-down by 2 pods and 10%: Max takes 2 pods (8)',
      current: 10,
      desired: 1,
      behavior: {
        scaleUp: defaultUp,
        scaleDown: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Pods', value: 2, periodSeconds: 15 },
            { type: 'Percent', value: 10, periodSeconds: 15 },
          ],
        },
      },
      want: 8,
      able: 'ReadyForNewScale',
      limited: ['True', 'ScaleDownLimit'],
    },
    {
      name: 'minReplicas above the scale-down limit',
      current: 10,
      desired: 1,
      min: 7,
      behavior: {
        scaleUp: defaultUp,
        scaleDown: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 50, periodSeconds: 15 }],
        },
      },
      want: 7,
      able: 'ReadyForNewScale',
      limited: ['True', 'TooFewReplicas'],
    },
    {
      name: 'scale-down window 300 s holds a recent higher recommendation',
      current: 6,
      desired: 2,
      behavior: defaults,
      recommendations: [[6, 60]],
      want: 6,
      able: 'ScaleDownStabilized',
      limited: withinRange,
    },
    {
      name: 'an unset scale-down window takes the controller default (5 min)',
      current: 6,
      desired: 2,
      behavior: {
        scaleUp: defaultUp,
        scaleDown: { ...defaultDown, stabilizationWindowSeconds: null },
      },
      recommendations: [[6, 200]],
      want: 6,
      able: 'ScaleDownStabilized',
      limited: withinRange,
    },
    {
      name: 'a scale-up window holds a recent lower recommendation',
      current: 3,
      desired: 10,
      behavior: {
        scaleUp: { ...defaultUp, stabilizationWindowSeconds: 60 },
        scaleDown: defaultDown,
      },
      recommendations: [[3, 30]],
      want: 3,
      able: 'ScaleUpStabilized',
      limited: withinRange,
    },
  ])('$name', (row) => {
    const r = run(row);
    expect(r.replicas).toBe(row.want);
    expect(r.ableToScale.reason).toBe(row.able);
    expect([r.scalingLimited.status, r.scalingLimited.reason]).toEqual(row.limited);
  });
});

test('without a behavior, no scale events are stored', () => {
  let now = NOW;
  const n = new Normalizer(() => now, 300_000);
  n.storeScaleEvent({ key: 'k', behavior: undefined }, 1, 10);
  now += 1000;
  const behavior = { scaleUp: defaultUp, scaleDown: defaultDown };
  const r = n.normalize({
    key: 'k',
    currentReplicas: 10,
    desiredReplicas: 40,
    minReplicas: 1,
    maxReplicas: 100,
    behavior,
  });
  expect(r.replicas).toBe(20);
});
