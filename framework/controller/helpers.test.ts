import { FakeClock } from '../../common/index.js';
import type { Client, KubernetesObject } from '../client/index.js';
import { Expectations } from './expectations.js';
import { finalizer } from './finalizer.js';
import {
  and,
  annotationsChanged,
  generationChanged,
  labelSelectorPredicate,
  labelsChanged,
  not,
  or,
  resourceVersionChanged,
  type Predicate,
} from './predicates.js';

const meta = (m: Record<string, unknown>): KubernetesObject => ({ metadata: { name: 'x', ...m } });
const update = (p: Predicate, oldM: Record<string, unknown>, newM: Record<string, unknown>) =>
  p.update!({ objectOld: meta(oldM), objectNew: meta(newM) });

describe('predicates', () => {
  test.each([
    [
      'generationChanged: generation 1 → 2 passes',
      generationChanged,
      { generation: 1 },
      { generation: 2 },
      true,
    ],
    [
      'generationChanged: status-only change is filtered',
      generationChanged,
      { generation: 1, resourceVersion: '1' },
      { generation: 1, resourceVersion: '2' },
      false,
    ],
    [
      'resourceVersionChanged: a resync is filtered',
      resourceVersionChanged,
      { resourceVersion: '5' },
      { resourceVersion: '5' },
      false,
    ],
    [
      'labelsChanged: a new label passes',
      labelsChanged,
      { labels: { a: '1' } },
      { labels: { a: '1', b: '2' } },
      true,
    ],
    [
      'labelsChanged: same labels are filtered',
      labelsChanged,
      { labels: { a: '1' } },
      { labels: { a: '1' } },
      false,
    ],
    [
      'annotationsChanged: a removed annotation passes',
      annotationsChanged,
      { annotations: { a: '1' } },
      {},
      true,
    ],
  ])('%s', (_name, p, oldM, newM, expected) => {
    expect(update(p, oldM, newM)).toBe(expected);
  });

  test('a predicate without an answer for an event kind lets it through', () => {
    expect(generationChanged.create).toBeUndefined();
    expect(and(generationChanged).create!({ object: meta({}), isInInitialList: false })).toBe(true);
  });

  test('and / or / not combine per event kind', () => {
    const both = and(generationChanged, labelsChanged);
    const either = or(generationChanged, labelsChanged);
    const changeGenOnly = [{ generation: 1 }, { generation: 2 }] as const;
    expect(update(both, ...changeGenOnly)).toBe(false);
    expect(update(either, ...changeGenOnly)).toBe(true);
    expect(update(not(generationChanged), ...changeGenOnly)).toBe(false);
  });

  test('labelSelectorPredicate filters every event kind by labels', () => {
    const p = labelSelectorPredicate('app=web');
    expect(p.create!({ object: meta({ labels: { app: 'web' } }), isInInitialList: true })).toBe(
      true,
    );
    expect(p.delete!({ object: meta({ labels: { app: 'db' } }), deleteStateUnknown: false })).toBe(
      false,
    );
  });
});

describe('Expectations', () => {
  test('satisfied once every expected creation was observed', () => {
    const e = new Expectations({ clock: new FakeClock() });
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    e.creationObserved('ns/rs'); // never below zero
    expect(e.get('ns/rs')).toEqual({ adds: 0, dels: 0 });
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  test('an expectation older than 5 minutes counts as satisfied', () => {
    const clock = new FakeClock();
    const e = new Expectations({ clock });
    e.expectDeletions('k', 3);
    clock.step(5 * 60 * 1000);
    expect(e.satisfied('k')).toBe(false);
    clock.step(1);
    expect(e.satisfied('k')).toBe(true);
  });
});

describe('finalizer', () => {
  function fakeClient() {
    const patches: unknown[] = [];
    const client = {
      patch: async (_k: unknown, _n: string, p: any) => {
        patches.push(p);
        return { ...obj({}), metadata: { ...obj({}).metadata, ...p.metadata } };
      },
    };
    return { client: client as unknown as Client, patches };
  }
  const obj = (m: Record<string, unknown>): KubernetesObject => ({
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'c', namespace: 'ns', resourceVersion: '7', ...m },
  });

  test.each([
    [
      'a live object without the finalizer gets it first, then apply runs',
      {},
      ['apply'],
      [{ metadata: { finalizers: ['f'], resourceVersion: '7' } }],
    ],
    ['a live object with the finalizer runs apply', { finalizers: ['f'] }, ['apply'], []],
    [
      'a deleted object with the finalizer runs cleanup, then loses the finalizer',
      { finalizers: ['other', 'f'], deletionTimestamp: 'now' },
      ['cleanup'],
      [{ metadata: { finalizers: ['other'], resourceVersion: '7' } }],
    ],
    [
      'a deleted object without the finalizer runs nothing',
      { finalizers: ['other'], deletionTimestamp: 'now' },
      [],
      [],
    ],
  ])('%s', async (_name, m, runs, patches) => {
    const { client, patches: sent } = fakeClient();
    const ran: string[] = [];
    await finalizer(client, 'f', obj(m), (e) => void ran.push(e.type));
    expect(ran).toEqual(runs);
    expect(sent).toEqual(patches);
  });

  test('a failing cleanup keeps the finalizer', async () => {
    const { client, patches } = fakeClient();
    await expect(
      finalizer(client, 'f', obj({ finalizers: ['f'], deletionTimestamp: 'now' }), () => {
        throw new Error('cloud API down');
      }),
    ).rejects.toThrow('cloud API down');
    expect(patches).toEqual([]);
  });
});
