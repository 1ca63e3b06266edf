/**
 * Table tests of the Job controller's helpers, rows from upstream's `indexed_job_utils_test.go`
 * (`TestCalculateSucceededIndexes`, `TestFirstPendingIndexes`, interval strings),
 * `backoff_utils_test.go` (`TestGetRemainingBackoffTime`, `TestNewBackoffRecord`),
 * `pod_failure_policy_test.go` and `success_policy_test.go`.
 */
import { rfc3339, type Pod } from '../../framework/index.js';
import { BackoffStore, finishedTime, remainingBackoffMs } from './backoff.js';
import {
  duplicatedIndexPodsForRemoval,
  firstPendingIndexes,
  formatIntervals,
  hasIndex,
  parseIndexes,
  podGenerateNameWithIndex,
  totalIndexes,
  withIndexes,
} from './indexes.js';
import { matchPodFailurePolicy, matchSuccessPolicy } from './policies.js';

const t0 = Date.UTC(2026, 0, 1);

function pod(
  name: string,
  extra: {
    index?: number;
    phase?: string;
    exitCode?: number;
    finishedAt?: number;
    conditions?: Array<{ type: string; status: string }>;
    container?: string;
  } = {},
): Pod {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: name,
      creationTimestamp: rfc3339(new Date(t0)),
      annotations:
        extra.index === undefined
          ? {}
          : { 'batch.kubernetes.io/job-completion-index': String(extra.index) },
    },
    spec: { containers: [{ name: extra.container ?? 'main' }] },
    status: {
      phase: extra.phase ?? 'Running',
      conditions: extra.conditions,
      containerStatuses:
        extra.exitCode === undefined
          ? undefined
          : [
              {
                name: extra.container ?? 'main',
                image: 'i',
                imageID: '',
                ready: false,
                restartCount: 0,
                state: {
                  terminated: {
                    exitCode: extra.exitCode,
                    finishedAt: rfc3339(new Date(extra.finishedAt ?? t0)),
                  },
                },
              },
            ],
    },
  } as Pod;
}

describe('completion index intervals', () => {
  test.each([
    [[], ''],
    [[0], '0'],
    [[0, 1], '0,1'],
    [[0, 1, 2], '0-2'],
    [[1, 3, 4, 5, 7], '1,3-5,7'],
    [[0, 2, 3, 4, 6, 7, 10], '0,2-4,6,7,10'],
  ])('indexes %p print as %p', (indexes, text) => {
    const oi = withIndexes([], indexes);
    expect(formatIntervals(oi)).toBe(text);
    expect(totalIndexes(oi)).toBe(indexes.length);
    expect(parseIndexes(text, 100)).toEqual(oi);
  });

  test.each([
    ['1,3-5,7', 6, '1,3-5'],
    ['0-10', 5, '0-4'],
    ['x,2,3', 10, '2,3'],
    ['4-5,1-2', 10, '4,5,1,2'],
  ])('parsing %p with %p completions keeps %p', (text, completions, expected) => {
    expect(formatIntervals(parseIndexes(text, completions))).toBe(expected);
  });

  test('adding indexes merges adjacent intervals', () => {
    expect(formatIntervals(withIndexes(parseIndexes('0-2,5', 10), [3, 4, 8]))).toBe('0-5,8');
  });

  test('hasIndex finds indexes by binary search', () => {
    const oi = parseIndexes('1,3-5,7', 10);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].filter((i) => hasIndex(oi, i))).toEqual([1, 3, 4, 5, 7]);
  });
});

describe('firstPendingIndexes', () => {
  test.each([
    ['none active or succeeded', [], '', 3, 5, [0, 1, 2]],
    ['skips active pods', [0, 2], '', 3, 5, [1, 3, 4]],
    ['skips succeeded indexes', [], '0-2', 2, 5, [3, 4]],
    ['skips both', [3], '0,1', 5, 6, [2, 4, 5]],
    ['never reaches completions', [], '0', 5, 3, [1, 2]],
  ])('%s', (_name, activeIdx, succeeded, count, completions, expected) => {
    const activePods = activeIdx.map((i) => pod(`p${i}`, { index: i }));
    const pending = firstPendingIndexes(
      {
        activePods,
        pods: activePods,
        succeededIndexes: parseIndexes(succeeded, completions),
        onlyReplaceFailedPods: false,
      },
      count,
      completions,
    );
    expect(pending).toEqual(expected);
  });
});

describe('duplicate indexes are removed, keeping one pod per index', () => {
  test('pods without or beyond an index and repeated indexes are removed', () => {
    const pods = [
      pod('a', { index: 0 }),
      pod('b', { index: 0, phase: 'Pending' }),
      pod('c'),
      pod('d', { index: 9 }),
      pod('e', { index: 1 }),
    ];
    const { rm, left } = duplicatedIndexPodsForRemoval(pods, 3);
    expect(rm.map((p) => p.metadata!.name).sort()).toEqual(['b', 'c', 'd']);
    expect(left.map((p) => p.metadata!.name).sort()).toEqual(['a', 'e']);
  });

  test('generateName is <job>-<index>- cut to 58 characters', () => {
    expect(podGenerateNameWithIndex('pi', 3)).toBe('pi-3-');
    const long = 'x'.repeat(60);
    expect(podGenerateNameWithIndex(long, 12)).toBe(`${'x'.repeat(54)}-12-`);
  });
});

describe('pod failure backoff', () => {
  test.each([
    [0, 0, 0],
    [1, 0, 10_000],
    [2, 0, 20_000],
    [3, 0, 40_000],
    [1, 4_000, 6_000],
    [2, 25_000, 0],
    [7, 0, 600_000],
    [30, 0, 600_000],
    [7, 100_000, 500_000],
  ])('%p failures, %p ms after the last one: wait %p ms', (failures, elapsed, remaining) => {
    expect(remainingBackoffMs(failures, t0, t0 + elapsed, 10_000, 600_000)).toBe(remaining);
  });

  test('a success resets the count; failures after it count from it', () => {
    const store = new BackoffStore();
    const failedAt = (n: number, s: number) =>
      pod(`f${n}`, { phase: 'Failed', exitCode: 1, finishedAt: t0 + s * 1000 });
    let r = store.next('j', [], [failedAt(1, 1), failedAt(2, 2)]);
    expect(r).toEqual({ key: 'j', failuresAfterLastSuccess: 2, lastFailureTime: t0 + 2000 });
    store.update(r);
    r = store.next(
      'j',
      [pod('s', { phase: 'Succeeded', exitCode: 0, finishedAt: t0 + 5000 })],
      [failedAt(3, 4), failedAt(4, 6), failedAt(5, 7)],
    );
    expect(r).toEqual({ key: 'j', failuresAfterLastSuccess: 2, lastFailureTime: t0 + 7000 });
  });

  test('the finish time comes from containers, else the Ready=False transition, else deletion, else creation', () => {
    expect(finishedTime(pod('a', { exitCode: 1, finishedAt: t0 + 3000 }))).toBe(t0 + 3000);
    const readyFalse = pod('b', { conditions: [{ type: 'Ready', status: 'False' }] });
    readyFalse.status!.conditions![0]!.lastTransitionTime = rfc3339(new Date(t0 + 9000));
    expect(finishedTime(readyFalse)).toBe(t0 + 9000);
    const deleted = pod('c');
    deleted.metadata!.deletionTimestamp = rfc3339(new Date(t0 + 60_000));
    deleted.metadata!.deletionGracePeriodSeconds = 30;
    expect(finishedTime(deleted)).toBe(t0 + 30_000);
    expect(finishedTime(pod('d'))).toBe(t0);
  });
});

describe('podFailurePolicy', () => {
  const policy = {
    rules: [
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1, 2] } },
      { action: 'FailIndex', onExitCodes: { operator: 'In', values: [2] } },
    ],
  } as never;
  test.each([
    [
      'a DisruptionTarget condition is ignored',
      pod('p', {
        phase: 'Failed',
        exitCode: 42,
        conditions: [{ type: 'DisruptionTarget', status: 'True' }],
      }),
      { countFailed: false, action: 'Ignore' },
    ],
    [
      'exit 42 in main fails the Job',
      pod('p', { phase: 'Failed', exitCode: 42 }),
      {
        countFailed: true,
        action: 'FailJob',
        failJobMessage:
          'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1',
      },
    ],
    [
      'exit 42 in another container is counted (NotIn rule)',
      pod('p', { phase: 'Failed', exitCode: 42, container: 'side' }),
      { countFailed: true, action: 'Count' },
    ],
    [
      'exit 2 fails the index',
      pod('p', { phase: 'Failed', exitCode: 2 }),
      { countFailed: true, action: 'FailIndex' },
    ],
    [
      'exit 1 matches nothing and counts',
      pod('p', { phase: 'Failed', exitCode: 1 }),
      { countFailed: true },
    ],
    [
      'exit 0 never matches an exit-code rule',
      pod('p', { phase: 'Failed', exitCode: 0 }),
      { countFailed: true },
    ],
  ])('%s', (_name, p, expected) => {
    expect(matchPodFailurePolicy(policy, p)).toEqual(expected);
  });

  test('without a policy every failure counts', () => {
    expect(matchPodFailurePolicy(undefined, pod('p', { phase: 'Failed' }))).toEqual({
      countFailed: true,
    });
  });
});

describe('successPolicy', () => {
  test.each([
    [
      'all listed indexes succeeded',
      [{ succeededIndexes: '0-2' }],
      '0-3',
      'Matched rules at index 0',
    ],
    ['not all listed indexes succeeded', [{ succeededIndexes: '0-2' }], '0,2', undefined],
    [
      'enough of the listed indexes (succeededCount)',
      [{ succeededIndexes: '0-4', succeededCount: 2 }],
      '1,3',
      'Matched rules at index 0',
    ],
    [
      'a count alone',
      [{ succeededIndexes: '9' }, { succeededCount: 3 }],
      '0-2',
      'Matched rules at index 1',
    ],
    ['nothing succeeded yet', [{ succeededCount: 1 }], '', undefined],
  ])('%s', (_name, rules, succeeded, expected) => {
    expect(matchSuccessPolicy({ rules } as never, 10, parseIndexes(succeeded, 10))).toBe(expected);
  });
});
