import { podDisruptionBudgets } from './poddisruptionbudgets.js';
import { create, row } from '../testing/harness.js';
import { endpointSlices } from '../discovery/endpointslices.js';
import { storageClasses } from '../storage/storageclasses.js';
import { priorityClasses, systemPriorityClasses } from '../scheduling/priorityclasses.js';
import { update } from '../testing/harness.js';

describe('poddisruptionbudgets', () => {
  test.each([
    [
      'both bounds set',
      { minAvailable: 1, maxUnavailable: 1 },
      'spec: Invalid value: {"minAvailable":1,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set',
    ],
    [
      'over 100%',
      { minAvailable: '120%' },
      'spec.minAvailable: Invalid value: "120%": must not be greater than 100%',
    ],
    [
      'an unknown eviction policy',
      { minAvailable: 1, unhealthyPodEvictionPolicy: 'Sometimes' },
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"',
    ],
  ])('%s is invalid', (_rule, spec, message) => {
    expect(create(podDisruptionBudgets, { metadata: { name: 'p' }, spec }).errors).toContain(
      message,
    );
  });

  test('the table shows N/A for an unset bound', () => {
    expect(
      row(podDisruptionBudgets, {
        metadata: { name: 'p' },
        spec: { minAvailable: '50%' },
        status: { disruptionsAllowed: 1 },
      }),
    ).toMatchObject({ 'Min Available': '50%', 'Max Unavailable': 'N/A', 'Allowed Disruptions': 1 });
  });
});

describe('endpointslices', () => {
  const slice = (body: Record<string, unknown>) => ({
    metadata: { name: 's' },
    addressType: 'IPv4',
    ...body,
  });

  test('ports default to TCP with an empty name; addresses match the address type', () => {
    const { obj, errors } = create(
      endpointSlices,
      slice({ endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] }),
    );
    expect(errors).toEqual([]);
    expect((obj.ports as any)[0]).toEqual({ port: 80, name: '', protocol: 'TCP' });
    expect(create(endpointSlices, slice({ endpoints: [{ addresses: ['::1'] }] })).errors).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "::1": must be a valid IPv4 address',
    ]);
    expect(create(endpointSlices, slice({ addressType: 'IPX' })).errors).toEqual([
      'addressType: Unsupported value: "IPX": supported values: "FQDN", "IPv4", "IPv6"',
    ]);
  });

  test('the address type is immutable', () => {
    const { obj: old } = create(endpointSlices, slice({}));
    expect(update(endpointSlices, { ...old, addressType: 'IPv6' }, old).errors).toEqual([
      'addressType: Invalid value: "IPv6": field is immutable',
    ]);
  });

  test('the table lists ports and endpoints, three at most', () => {
    const obj = slice({
      endpoints: [{ addresses: ['1.1.1.1', '1.1.1.2'] }, { addresses: ['1.1.1.3', '1.1.1.4'] }],
      ports: [{ port: 80 }, { name: 'x' }],
    });
    expect(row(endpointSlices, obj)).toMatchObject({
      AddressType: 'IPv4',
      Ports: '80,x',
      Endpoints: '1.1.1.1,1.1.1.2,1.1.1.3 + 1 more...',
    });
    expect(row(endpointSlices, slice({}))).toMatchObject({
      Ports: '<unset>',
      Endpoints: '<unset>',
    });
  });
});

describe('storageclasses', () => {
  test('defaults, immutability and the (default) marker', () => {
    const { obj: old, errors } = create(storageClasses, {
      metadata: {
        name: 'fast',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      provisioner: 'kubernetes.io/no-provisioner',
    });
    expect(errors).toEqual([]);
    expect([old.reclaimPolicy, old.volumeBindingMode]).toEqual(['Delete', 'Immediate']);
    expect(update(storageClasses, { ...old, parameters: { a: 'b' } }, old).errors).toEqual([
      'parameters: Forbidden: updates to parameters are forbidden.',
    ]);
    expect(row(storageClasses, old)).toMatchObject({
      Name: 'fast (default)',
      Provisioner: 'kubernetes.io/no-provisioner',
      ReclaimPolicy: 'Delete',
      VolumeBindingMode: 'Immediate',
      AllowVolumeExpansion: false,
    });
    expect(create(storageClasses, { metadata: { name: 's' } }).errors).toEqual([
      'provisioner: Required value',
    ]);
  });
});

describe('priorityclasses', () => {
  test('user classes are at most 10^9; the system- prefix is reserved', () => {
    expect(
      create(priorityClasses, { metadata: { name: 'high' }, value: 2_000_000_000 }).errors,
    ).toEqual(['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
    expect(create(priorityClasses, { metadata: { name: 'system-mine' }, value: 1 }).errors).toEqual(
      [
        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
      ],
    );
  });

  test('the two system classes are valid manifests with upstream values', () => {
    const classes = systemPriorityClasses();
    expect(classes.map((c) => [c.metadata!.name, c.value])).toEqual([
      ['system-node-critical', 2000001000],
      ['system-cluster-critical', 2000000000],
    ]);
    for (const c of classes) expect(create(priorityClasses, c).errors).toEqual([]);
  });

  test('value cannot change; preemptionPolicy defaults', () => {
    const { obj: old } = create(priorityClasses, { metadata: { name: 'p' }, value: 10 });
    expect(old.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(update(priorityClasses, { ...old, value: 11 }, old).errors).toEqual([
      'value: Forbidden: may not be changed in an update.',
    ]);
    expect(row(priorityClasses, { ...old, globalDefault: true })).toMatchObject({
      Value: 10,
      'Global-Default': true,
      PreemptionPolicy: 'PreemptLowerPriority',
    });
  });
});
