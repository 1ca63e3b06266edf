import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../registry/types.js';
import { priorityAdmission } from './priority.js';
import { attrsFor, FakeLookup, pod } from './testing/fake.js';

type Obj = Record<string, any>;

const pc = (name: string, value: number, extra: Obj = {}): KubeObject => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name },
  value,
  preemptionPolicy: 'PreemptLowerPriority',
  ...extra,
});

async function admit(lookup: FakeLookup, p: KubeObject) {
  const attrs = attrsFor('', 'pods', 'CREATE', { object: p });
  await priorityAdmission({ lookup }).admit!(attrs);
  return (attrs.object as Obj).spec;
}

describe('Priority admission', () => {
  test('a named class resolves to its value and preemption policy', async () => {
    const lookup = new FakeLookup().add(
      'scheduling.k8s.io',
      'priorityclasses',
      pc('high', 1000, { preemptionPolicy: 'Never' }),
    );
    const spec = await admit(lookup, pod('web', { priorityClassName: 'high' }));
    expect(spec.priority).toBe(1000);
    expect(spec.preemptionPolicy).toBe('Never');
  });

  test('without a default class a pod gets priority 0 and PreemptLowerPriority', async () => {
    const spec = await admit(new FakeLookup(), pod('web'));
    expect(spec).toMatchObject({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
    expect(spec.priorityClassName).toBeUndefined();
  });

  test('the global default class (the lowest valued one) names the pod class', async () => {
    const lookup = new FakeLookup()
      .add('scheduling.k8s.io', 'priorityclasses', pc('a', 500, { globalDefault: true }))
      .add('scheduling.k8s.io', 'priorityclasses', pc('b', 100, { globalDefault: true }));
    const spec = await admit(lookup, pod('web'));
    expect(spec).toMatchObject({ priorityClassName: 'b', priority: 100 });
  });

  test('system classes resolve even when they are not stored', async () => {
    const spec = await admit(
      new FakeLookup(),
      pod('web', { priorityClassName: 'system-node-critical' }),
    );
    expect(spec.priority).toBe(2000001000);
  });

  test.each([
    [
      'an unknown class',
      pod('web', { priorityClassName: 'nope' }),
      'pods "web" is forbidden: no PriorityClass with name nope was found',
    ],
    [
      'a priority that differs from the class value',
      pod('web', { priorityClassName: 'high', priority: 5 }),
      'the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    ],
    [
      'a preemption policy that differs from the class',
      pod('web', { priorityClassName: 'high', preemptionPolicy: 'Never' }),
      'the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
    ],
  ])('%s is refused with 403', async (_c, p, message) => {
    const lookup = new FakeLookup().add('scheduling.k8s.io', 'priorityclasses', pc('high', 1000));
    await expect(admit(lookup, p)).rejects.toThrow(message);
  });

  test('an update keeps the stored priority when it omits it', async () => {
    const old = pod('web', { priority: 7, preemptionPolicy: 'Never' });
    const attrs = attrsFor('', 'pods', 'UPDATE', { object: pod('web'), oldObject: old });
    await priorityAdmission({ lookup: new FakeLookup() }).admit!(attrs);
    expect((attrs.object as Obj).spec).toMatchObject({ priority: 7, preemptionPolicy: 'Never' });
  });

  test('a second global default class is refused', async () => {
    const lookup = new FakeLookup().add(
      'scheduling.k8s.io',
      'priorityclasses',
      pc('a', 1, { globalDefault: true }),
    );
    const plugin = priorityAdmission({ lookup });
    const create = attrsFor('scheduling.k8s.io', 'priorityclasses', 'CREATE', {
      object: pc('b', 2, { globalDefault: true }),
    });
    await expect(plugin.validate!(create)).rejects.toThrow(
      'priorityclasses.scheduling.k8s.io "b" is forbidden: PriorityClass a is already marked as default. Only one default can exist',
    );
    const self = attrsFor('scheduling.k8s.io', 'priorityclasses', 'UPDATE', {
      object: pc('a', 1, { globalDefault: true, description: 'x' }),
      oldObject: pc('a', 1, { globalDefault: true }),
    });
    await expect(plugin.validate!(self)).resolves.toBeUndefined();
  });
});
