/**
 * The scheduling predicates, row by row from upstream's tables (`api/core/v1/toleration_test.go`
 * `TestTolerationToleratesTaint`, `component-helpers/.../nodeaffinity_test.go`,
 * `v1helper` `TestAddOrUpdateTolerationInPodSpec`).
 */
import type { Node } from '../../framework/index.js';
import {
  addOrUpdateToleration,
  findMatchingUntoleratedTaint,
  matchesRequiredNodeAffinity,
  toleratesTaint,
  type PodSpec,
  type Taint,
  type Toleration,
} from './scheduling.js';

const taint: Taint = { key: 'foo', value: 'bar', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  test.each<[string, Toleration, boolean]>([
    [
      'same key, value and effect tolerate (Equal)',
      { key: 'foo', value: 'bar', effect: 'NoSchedule', operator: 'Equal' },
      true,
    ],
    ['an empty operator means Equal', { key: 'foo', value: 'bar', effect: 'NoSchedule' }, true],
    [
      'a different value does not tolerate',
      { key: 'foo', value: 'baz', effect: 'NoSchedule' },
      false,
    ],
    ['Exists ignores the value', { key: 'foo', operator: 'Exists', effect: 'NoSchedule' }, true],
    ['an empty effect matches every effect', { key: 'foo', operator: 'Exists' }, true],
    [
      'a different effect does not tolerate',
      { key: 'foo', operator: 'Exists', effect: 'NoExecute' },
      false,
    ],
    ['an empty key with Exists matches every key', { operator: 'Exists' }, true],
    ['a different key does not tolerate', { key: 'other', operator: 'Exists' }, false],
    ['an unknown operator tolerates nothing', { key: 'foo', operator: 'Gt', value: 'bar' }, false],
  ])('%s', (_name, toleration, want) => {
    expect(toleratesTaint(toleration, taint)).toBe(want);
  });
});

describe('findMatchingUntoleratedTaint', () => {
  const taints: Taint[] = [
    { key: 'a', effect: 'NoSchedule' },
    { key: 'b', effect: 'NoExecute' },
  ];
  test('returns the first taint the filter accepts that nothing tolerates', () => {
    expect(findMatchingUntoleratedTaint(taints, [], () => true)).toEqual(taints[0]);
  });
  test('skips taints the filter rejects (NoExecute only)', () => {
    expect(findMatchingUntoleratedTaint(taints, [], (t) => t.effect === 'NoExecute')).toEqual(
      taints[1],
    );
  });
  test('returns nothing when every accepted taint is tolerated', () => {
    expect(
      findMatchingUntoleratedTaint(
        taints,
        [{ key: 'b', operator: 'Exists' }],
        (t) => t.effect === 'NoExecute',
      ),
    ).toBeUndefined();
  });
});

const node: Node = {
  metadata: { name: 'node-1', labels: { zone: 'a', cpus: '8', gpu: 'yes' } },
};

describe('matchesRequiredNodeAffinity', () => {
  const terms = (...t: object[]): PodSpec =>
    ({
      containers: [],
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: t } },
      },
    }) as PodSpec;
  test.each<[string, PodSpec | undefined, boolean]>([
    ['no constraints match every node', undefined, true],
    ['a matching nodeSelector', { containers: [], nodeSelector: { zone: 'a' } }, true],
    ['a nodeSelector with another value', { containers: [], nodeSelector: { zone: 'b' } }, false],
    ['a nodeSelector on a missing label', { containers: [], nodeSelector: { disk: 'ssd' } }, false],
    [
      'In matches a listed value',
      terms({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }),
      true,
    ],
    [
      'NotIn on an absent label matches',
      terms({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['1'] }] }),
      true,
    ],
    [
      'Exists on a present label',
      terms({ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }),
      true,
    ],
    [
      'DoesNotExist on a present label',
      terms({ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }),
      false,
    ],
    [
      'Gt compares as integers',
      terms({ matchExpressions: [{ key: 'cpus', operator: 'Gt', values: ['4'] }] }),
      true,
    ],
    [
      'Lt compares as integers',
      terms({ matchExpressions: [{ key: 'cpus', operator: 'Lt', values: ['4'] }] }),
      false,
    ],
    [
      'Gt without an integer matches nothing',
      terms({ matchExpressions: [{ key: 'cpus', operator: 'Gt', values: ['x'] }] }),
      false,
    ],
    [
      'matchFields metadata.name In the node',
      terms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }),
      true,
    ],
    [
      'matchFields metadata.name In another node',
      terms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }),
      false,
    ],
    [
      'matchFields on another field matches nothing',
      terms({ matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['x'] }] }),
      false,
    ],
    ['an empty term matches nothing', terms({}), false],
    ['no terms match nothing', terms(), false],
    [
      'terms are ORed',
      terms(
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
        { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] },
      ),
      true,
    ],
    [
      'expressions and fields of one term are ANDed',
      terms({
        matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }],
        matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }],
      }),
      false,
    ],
    [
      'an unknown operator matches nothing',
      terms({ matchExpressions: [{ key: 'zone', operator: 'Like', values: ['a'] }] }),
      false,
    ],
  ])('%s', (_name, spec, want) => {
    expect(matchesRequiredNodeAffinity(spec, node)).toBe(want);
  });

  test('nodeSelector and affinity must both match', () => {
    const spec = terms({ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] });
    spec.nodeSelector = { zone: 'b' };
    expect(matchesRequiredNodeAffinity(spec, node)).toBe(false);
  });
});

describe('addOrUpdateToleration', () => {
  test('appends a toleration that is not there', () => {
    const spec: PodSpec = { containers: [], tolerations: [{ key: 'a', operator: 'Exists' }] };
    addOrUpdateToleration(spec, { key: 'b', operator: 'Exists', effect: 'NoSchedule' });
    expect(spec.tolerations).toHaveLength(2);
  });
  test('replaces one with the same key, operator, value and effect', () => {
    const spec: PodSpec = {
      containers: [],
      tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    };
    addOrUpdateToleration(spec, { key: 'a', operator: 'Exists', effect: 'NoExecute' });
    expect(spec.tolerations).toEqual([{ key: 'a', operator: 'Exists', effect: 'NoExecute' }]);
  });
  test('creates the list when the spec has none', () => {
    const spec: PodSpec = { containers: [] };
    addOrUpdateToleration(spec, { key: 'a', operator: 'Exists' });
    expect(spec.tolerations).toEqual([{ key: 'a', operator: 'Exists' }]);
  });
});
