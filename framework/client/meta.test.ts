import {
  AlreadyOwnedError,
  addFinalizer,
  getControllerOf,
  isControlledBy,
  removeFinalizer,
  setControllerReference,
  setOwnerReference,
  setStatusCondition,
  type Condition,
} from './meta.js';
import { deepEqual, mergePatch } from './mutate.js';
import type { KubernetesObject } from './types.js';

const owner = (uid = 'u1', ns = 'ns'): KubernetesObject => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name: 'cron', namespace: ns, uid },
});
const child = (): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'cron', namespace: 'ns' },
});

describe('owner references', () => {
  test('setControllerReference adds a blocking controller reference', () => {
    const obj = child();
    setControllerReference(owner(), obj);
    expect(obj.metadata?.ownerReferences).toEqual([
      {
        apiVersion: 'stable.example.com/v1',
        kind: 'CronTab',
        name: 'cron',
        uid: 'u1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(isControlledBy(obj, owner())).toBe(true);
  });

  test('setting the same controller twice keeps one reference', () => {
    const obj = child();
    setControllerReference(owner(), obj);
    setControllerReference(owner(), obj);
    expect(obj.metadata?.ownerReferences).toHaveLength(1);
  });

  test('another controller is refused with AlreadyOwnedError', () => {
    const obj = child();
    setControllerReference(owner('u1'), obj);
    expect(() => setControllerReference(owner('u2'), obj)).toThrow(AlreadyOwnedError);
    expect(getControllerOf(obj)?.uid).toBe('u1');
  });

  test('an owner in another namespace is refused (upstream wording)', () => {
    expect(() => setOwnerReference(owner('u1', 'other'), child())).toThrow(
      "cross-namespace owner references are disallowed, owner's namespace other, obj's namespace ns",
    );
  });

  test('an owner without uid is refused', () => {
    expect(() =>
      setOwnerReference({ ...owner(), metadata: { name: 'x', namespace: 'ns' } }, child()),
    ).toThrow('metadata.uid');
  });
});

describe('finalizers', () => {
  test('add and remove report whether they changed anything', () => {
    const obj = child();
    expect(addFinalizer(obj, 'x/y')).toBe(true);
    expect(addFinalizer(obj, 'x/y')).toBe(false);
    expect(obj.metadata?.finalizers).toEqual(['x/y']);
    expect(removeFinalizer(obj, 'x/y')).toBe(true);
    expect(removeFinalizer(obj, 'x/y')).toBe(false);
    expect(obj.metadata?.finalizers).toEqual([]);
  });
});

describe('setStatusCondition (meta.SetStatusCondition)', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const t1 = new Date('2026-01-01T01:00:00Z');
  const ready = (
    status: string,
    reason = 'R',
    message = 'm',
  ): Omit<Condition, 'lastTransitionTime'> => ({
    type: 'Ready',
    status,
    reason,
    message,
  });

  test.each([
    [
      'a new condition is added with lastTransitionTime now',
      [],
      ready('True'),
      t0,
      true,
      '2026-01-01T00:00:00Z',
    ],
    [
      'a status change moves lastTransitionTime',
      [ready('False')],
      ready('True'),
      t1,
      true,
      '2026-01-01T01:00:00Z',
    ],
    [
      'a reason change keeps lastTransitionTime',
      [ready('True', 'Old')],
      ready('True', 'New'),
      t1,
      true,
      '2026-01-01T00:00:00Z',
    ],
    [
      'an identical condition changes nothing',
      [ready('True')],
      ready('True'),
      t1,
      false,
      '2026-01-01T00:00:00Z',
    ],
  ])('%s', (_name, initial, next, now, changed, transition) => {
    const conditions: Condition[] = initial.map((c) => ({
      ...c,
      lastTransitionTime: '2026-01-01T00:00:00Z',
    }));
    expect(setStatusCondition(conditions, next, now)).toBe(changed);
    expect(conditions).toHaveLength(1);
    expect(conditions[0]!.status).toBe(next.status);
    expect(conditions[0]!.reason).toBe(next.reason);
    expect(conditions[0]!.lastTransitionTime).toBe(transition);
  });
});

describe('mergePatch (RFC 7386)', () => {
  test.each([
    ['equal documents need no patch', { a: 1 }, { a: 1 }, undefined],
    ['a changed field', { a: 1, b: 2 }, { a: 1, b: 3 }, { b: 3 }],
    ['a removed field is null', { a: 1, b: 2 }, { a: 1 }, { b: null }],
    ['nested changes stay nested', { s: { x: 1, y: 1 } }, { s: { x: 1, y: 2 } }, { s: { y: 2 } }],
    ['arrays are replaced whole', { l: [1, 2] }, { l: [1, 3] }, { l: [1, 3] }],
  ])('%s', (_name, from, to, expected) => {
    expect(mergePatch(from, to)).toEqual(expected);
  });

  test('deepEqual compares structure, not identity', () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: [1] }, { a: { 0: 1 } })).toBe(false);
  });
});
