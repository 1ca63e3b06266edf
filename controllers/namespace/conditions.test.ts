import type { Namespace } from '../../framework/index.js';
import { NamespaceConditionUpdater } from './conditions.js';

let now = '2026-01-01T00:00:00Z';
const updater = () => new NamespaceConditionUpdater(() => now);

describe('namespace deletion conditions (upstream status_condition_utils_test.go)', () => {
  test('a clean pass writes all five conditions in their ok state', () => {
    const status: NonNullable<Namespace['status']> = { phase: 'Terminating' };
    expect(updater().update(status)).toBe(true);
    expect(status.conditions).toEqual([
      {
        type: 'NamespaceDeletionDiscoveryFailure',
        status: 'False',
        lastTransitionTime: now,
        reason: 'ResourcesDiscovered',
        message: 'All resources successfully discovered',
      },
      {
        type: 'NamespaceDeletionGroupVersionParsingFailure',
        status: 'False',
        lastTransitionTime: now,
        reason: 'ParsedGroupVersions',
        message: 'All legacy kube types successfully parsed',
      },
      {
        type: 'NamespaceDeletionContentFailure',
        status: 'False',
        lastTransitionTime: now,
        reason: 'ContentDeleted',
        message: 'All content successfully deleted, may be waiting on finalization',
      },
      {
        type: 'NamespaceContentRemaining',
        status: 'False',
        lastTransitionTime: now,
        reason: 'ContentRemoved',
        message: 'All content successfully removed',
      },
      {
        type: 'NamespaceFinalizersRemaining',
        status: 'False',
        lastTransitionTime: now,
        reason: 'ContentHasNoFinalizers',
        message: 'All content-preserving finalizers finished',
      },
    ]);
  });

  test('the same result again changes nothing', () => {
    const status: NonNullable<Namespace['status']> = {};
    updater().update(status);
    expect(updater().update(status)).toBe(false);
  });

  test.each([
    [
      'remaining content and finalizers',
      (u: NamespaceConditionUpdater) =>
        u.processContentTotals({
          remainingByResource: new Map([
            ['pods.', 2],
            ['widgets.example.com', 1],
          ]),
          remainingByFinalizer: new Map([['example.com/hold', 3]]),
        }),
      {
        NamespaceContentRemaining: [
          'SomeResourcesRemain',
          'Some resources are remaining: pods. has 2 resource instances, widgets.example.com has 1 resource instances',
        ],
        NamespaceFinalizersRemaining: [
          'SomeFinalizersRemain',
          'Some content in the namespace has finalizers remaining: example.com/hold in 3 resource instances',
        ],
      },
    ],
    [
      'a discovery failure',
      (u: NamespaceConditionUpdater) =>
        u.processDiscoveryError('Discovery failed for some groups, 1 failing: x'),
      {
        NamespaceDeletionDiscoveryFailure: [
          'DiscoveryFailed',
          'Discovery failed for some groups, 1 failing: x',
        ],
      },
    ],
    [
      'content deletion failures',
      (u: NamespaceConditionUpdater) => u.processDeleteContentErrors(['a', 'b']),
      {
        NamespaceDeletionContentFailure: [
          'ContentDeletionFailed',
          'Failed to delete all resource types, 2 remaining: a, b',
        ],
      },
    ],
  ])('%s set True conditions with upstream reasons', (_n, act, want) => {
    const u = updater();
    act(u);
    const status: NonNullable<Namespace['status']> = {};
    u.update(status);
    const failing = Object.fromEntries(
      (status.conditions ?? [])
        .filter((c) => c.status === 'True')
        .map((c) => [c.type, [c.reason, c.message]]),
    );
    expect(failing).toEqual(want);
  });

  test('lastTransitionTime changes only when the status flips', () => {
    const status: NonNullable<Namespace['status']> = {};
    now = '2026-01-01T00:00:00Z';
    const failing = updater();
    failing.processDeleteContentErrors(['boom']);
    failing.update(status);
    now = '2026-01-01T00:01:00Z';
    const failingAgain = updater();
    failingAgain.processDeleteContentErrors(['boom again']);
    failingAgain.update(status);
    const c = () => status.conditions!.find((x) => x.type === 'NamespaceDeletionContentFailure')!;
    expect(c().lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(c().message).toBe('Failed to delete all resource types, 1 remaining: boom again');
    now = '2026-01-01T00:02:00Z';
    updater().update(status);
    expect(c()).toMatchObject({ status: 'False', lastTransitionTime: '2026-01-01T00:02:00Z' });
  });
});
