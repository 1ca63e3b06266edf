/**
 * Shared controller helpers: semantic equality (`apiequality.Semantic`), the pod-template-hash,
 * `GetScaledValueFromIntOrPercent`, slow-start batches, pod availability, the event spam filter,
 * which owners hear of a child's add or update.
 */
import { FakeClock, rfc3339, type EventRecorder, type Pod } from '../../framework/index.js';
import { ownersOfChild } from './controllerref.js';
import { semanticEqual } from './equality.js';
import { SpamFilteredRecorder } from './events.js';
import { computeHash, safeEncodeString } from './hash.js';
import { getScaledValueFromIntOrPercent } from './intstr.js';
import { isPodAvailable } from './pods.js';
import { slowStartBatch } from './slowstart.js';

describe('semantic equality', () => {
  test.each([
    ['absent and empty maps', { labels: {} }, {}, true],
    [
      'absent and empty lists',
      { containers: [{ name: 'a', env: [] }] },
      { containers: [{ name: 'a' }] },
      true,
    ],
    ['null and absent', { a: null }, {}, true],
    [
      'quantities by value',
      { resources: { limits: { cpu: '1000m', memory: '1Gi' } } },
      { resources: { limits: { cpu: '1', memory: '1073741824' } } },
      true,
    ],
    [
      'different quantities',
      { resources: { requests: { cpu: '500m' } } },
      { resources: { requests: { cpu: '1' } } },
      false,
    ],
    ['quantity-like strings elsewhere compare exactly', { image: '1000m' }, { image: '1' }, false],
    ['times as instants', { t: '2026-01-01T00:00:00Z' }, { t: '2026-01-01T01:00:00+01:00' }, true],
    ['list order matters', { a: [1, 2] }, { a: [2, 1] }, false],
    ['0 is not absent', { replicas: 0 }, {}, false],
  ])('%s: %p', (_name, a, b, expected) => {
    expect(semanticEqual(a, b)).toBe(expected);
  });
});

describe('pod-template-hash', () => {
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  };
  test('deterministic, independent of key order, on the safe alphabet', () => {
    const reordered = {
      spec: { containers: [{ image: 'nginx', name: 'c' }] },
      metadata: { labels: { app: 'web' } },
    };
    expect(computeHash(template)).toBe(computeHash(reordered));
    expect(computeHash(template)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
  test('changes with the template and with collisionCount', () => {
    const other = { ...template, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } };
    expect(computeHash(other)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template, 2));
  });
  test('SafeEncodeString maps each character onto the alphabet', () => {
    expect(safeEncodeString('0123456789')).toBe(safeEncodeString('0123456789'));
    expect(safeEncodeString('a')).toBe('bcdfghjklmnpqrstvwxz2456789'['a'.charCodeAt(0) % 27]);
  });
});

describe('GetScaledValueFromIntOrPercent', () => {
  test.each([
    [5, 10, true, 5],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['39%', 10, true, 4],
    ['39%', 10, false, 3],
    ['0%', 10, true, 0],
    ['100%', 7, false, 7],
  ])('%p of %p (round up %p) is %p', (value, total, up, expected) => {
    expect(getScaledValueFromIntOrPercent(value, total, up)).toBe(expected);
  });
  test.each([
    ['10', 'invalid value for IntOrString: invalid type: string is not a percentage'],
    ['x%', 'invalid value for IntOrString: invalid value "x%"'],
  ])('%p is an error', (value, message) => {
    expect(() => getScaledValueFromIntOrPercent(value, 10, true)).toThrow(message);
  });
});

describe('slowStartBatch', () => {
  test('batches of 1, 2, 4, … until count', async () => {
    const batches: number[] = [];
    let inFlight = 0;
    const { successes, error } = await slowStartBatch(10, 1, async () => {
      if (inFlight++ === 0) batches.push(0);
      batches[batches.length - 1] = Math.max(batches.at(-1)!, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
    });
    expect(batches).toEqual([1, 2, 4, 3]);
    expect(successes).toBe(10);
    expect(error).toBeUndefined();
  });

  test('stops after the first batch with a failure', async () => {
    let calls = 0;
    const { successes, error } = await slowStartBatch(100, 1, async (i) => {
      calls++;
      if (i === 4) throw new Error('quota');
    });
    expect(calls).toBe(7);
    expect(successes).toBe(6);
    expect((error as Error).message).toBe('quota');
  });
});

test('a pod is available once ready for strictly longer than minReadySeconds', () => {
  const t = Date.UTC(2026, 0, 1);
  const pod = {
    status: {
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(new Date(t)) }],
    },
  } as Pod;
  expect(isPodAvailable(pod, 0, t)).toBe(true);
  expect(isPodAvailable(pod, 10, t + 10_000)).toBe(false);
  expect(isPodAvailable(pod, 10, t + 10_001)).toBe(true);
});

test('the event spam filter lets 25 events of an object through, then one per 5 minutes', async () => {
  const clock = new FakeClock();
  const written: string[] = [];
  const inner: EventRecorder = { event: async (_o, _t, reason) => void written.push(reason) };
  const r = new SpamFilteredRecorder(inner, { clock });
  const obj = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'a', namespace: 'n', uid: 'u' },
  };
  for (let i = 0; i < 30; i++) await r.event(obj, 'Normal', `e${i}`, 'm');
  expect(written).toHaveLength(25);
  await r.event(
    { ...obj, metadata: { ...obj.metadata, name: 'b', uid: 'v' } },
    'Normal',
    'other',
    'm',
  );
  expect(written).toHaveLength(26);
  clock.step(5 * 60_000);
  await r.event(obj, 'Normal', 'later', 'm');
  await r.event(obj, 'Normal', 'later2', 'm');
  expect(written.slice(26)).toEqual(['later']);
});

describe('owners of a child', () => {
  const ref = (uid: string) => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: uid,
    uid,
    controller: true,
  });
  const child = (labels: Record<string, string>, owner?: string): Pod => ({
    metadata: { namespace: 'n', name: 'p', labels, ownerReferences: owner ? [ref(owner)] : [] },
  });
  const owners = ['a', 'b', 'gone'];
  const names = (cur: Pod, old?: Pod) => {
    const o = ownersOfChild(
      cur,
      old,
      (_ns, r) => owners.find((n) => n === r.uid && n !== 'gone'),
      () => ['x', 'y'],
    );
    return { previous: o.previous, current: o.current, orphan: o.orphan, adopters: o.adopters };
  };
  test.each([
    [
      'a new owned child wakes its owner',
      child({ app: 'a' }, 'a'),
      undefined,
      { current: 'a', orphan: false, adopters: [] },
    ],
    [
      'a new orphan wakes the selecting owners',
      child({ app: 'a' }),
      undefined,
      { orphan: true, adopters: ['x', 'y'] },
    ],
    [
      'an owner that does not resolve wakes nobody',
      child({}, 'gone'),
      undefined,
      { orphan: false, adopters: [] },
    ],
    [
      'an update under the same owner',
      child({ v: '2' }, 'a'),
      child({ v: '1' }, 'a'),
      { current: 'a', orphan: false, adopters: [] },
    ],
    [
      'a change of owner wakes both',
      child({}, 'b'),
      child({}, 'a'),
      { previous: 'a', current: 'b', orphan: false, adopters: [] },
    ],
    [
      'a released child wakes its former owner and the selecting ones',
      child({}),
      child({}, 'a'),
      { previous: 'a', orphan: true, adopters: ['x', 'y'] },
    ],
    [
      'an orphan relabelled is offered again',
      child({ v: '2' }),
      child({ v: '1' }),
      { orphan: true, adopters: ['x', 'y'] },
    ],
    [
      'an orphan otherwise unchanged is not',
      child({ v: '1' }),
      child({ v: '1' }),
      { orphan: true, adopters: [] },
    ],
  ])('%s', (_name, cur, old, expected) => {
    expect(names(cur, old)).toEqual({ previous: undefined, current: undefined, ...expected });
  });
});
