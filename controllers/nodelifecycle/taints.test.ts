import type { Node } from '../../framework/index.js';
import {
  conditionTaints,
  isConditionTaint,
  matchingTolerations,
  minTolerationTime,
  swapTaints,
  tolerates,
  type Taint,
  type Toleration,
} from './taints.js';

const node = (conditions: Record<string, string>, unschedulable = false): Node => ({
  spec: { unschedulable },
  status: { conditions: Object.entries(conditions).map(([type, status]) => ({ type, status })) },
});

test.each([
  [{ Ready: 'True' }, false, []],
  [{ Ready: 'False' }, false, ['node.kubernetes.io/not-ready']],
  [{ Ready: 'Unknown' }, false, ['node.kubernetes.io/unreachable']],
  [{ Ready: 'True', MemoryPressure: 'True' }, false, ['node.kubernetes.io/memory-pressure']],
  [{ Ready: 'True', DiskPressure: 'True' }, false, ['node.kubernetes.io/disk-pressure']],
  [{ Ready: 'True', PIDPressure: 'True' }, false, ['node.kubernetes.io/pid-pressure']],
  [
    { Ready: 'True', NetworkUnavailable: 'True' },
    false,
    ['node.kubernetes.io/network-unavailable'],
  ],
  [{ Ready: 'True', MemoryPressure: 'False' }, false, []],
  [{ Ready: 'True' }, true, ['node.kubernetes.io/unschedulable']],
])('TaintNodesByCondition: conditions %j, unschedulable %s → NoSchedule %j', (c, u, keys) => {
  const taints = conditionTaints(node(c, u));
  expect(taints.map((t) => t.key)).toEqual(keys);
  expect(taints.every((t) => t.effect === 'NoSchedule' && isConditionTaint(t))).toBe(true);
});

test('taints the NoSchedule pass does not own are never its business', () => {
  expect(isConditionTaint({ key: 'dedicated', effect: 'NoSchedule' })).toBe(false);
  expect(isConditionTaint({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' })).toBe(
    false,
  );
});

const taint: Taint = { key: 'k', value: 'v', effect: 'NoExecute' };
test.each<[string, Toleration, boolean]>([
  [
    'Equal with the same value',
    { key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute' },
    true,
  ],
  ['Equal by default', { key: 'k', value: 'v' }, true],
  ['Equal with another value', { key: 'k', value: 'w' }, false],
  ['Exists on the key', { key: 'k', operator: 'Exists' }, true],
  ['Exists without a key (tolerates everything)', { operator: 'Exists' }, true],
  ['another effect', { key: 'k', operator: 'Exists', effect: 'NoSchedule' }, false],
  ['another key', { key: 'x', operator: 'Exists' }, false],
])('a toleration (%s) → tolerates: %s', (_, toleration, expected) => {
  expect(tolerates(toleration, taint)).toBe(expected);
});

test.each<[string, Toleration[], number]>([
  ['none', [], 0],
  ['300 s', [{ tolerationSeconds: 300 }], 300_000],
  ['the smallest', [{ tolerationSeconds: 300 }, { tolerationSeconds: 5 }], 5_000],
  ['without seconds: forever', [{}], -1],
  ['forever and 60 s: 60 s', [{}, { tolerationSeconds: 60 }], 60_000],
  ['negative counts as 0', [{ tolerationSeconds: -5 }], 0],
])('minTolerationTime of %s is %i ms', (_, used, ms) => {
  expect(minTolerationTime(used)).toBe(ms);
});

test('a pod must tolerate every taint; the first matching toleration of each is used', () => {
  const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const tol: Toleration = { key: unreachable.key, operator: 'Exists', tolerationSeconds: 300 };
  expect(matchingTolerations([unreachable], [tol])).toEqual({ allTolerated: true, used: [tol] });
  expect(matchingTolerations([unreachable, taint], [tol]).allTolerated).toBe(false);
});

test('swapping taints adds NoExecute ones with timeAdded and leaves others alone', () => {
  const other: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const notReady: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
  const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const swapped = swapTaints([other, notReady], [unreachable], [notReady], 'T');
  expect(swapped).toEqual([other, { ...unreachable, timeAdded: 'T' }]);
  expect(swapTaints(swapped, [unreachable], [notReady], 'T2')).toBeUndefined();
});
