import { leases } from './leases.js';
import { create, row } from '../testing/harness.js';

describe('leases (ValidateLease)', () => {
  test.each([
    ['a valid lease', { holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 }, []],
    [
      'the duration must be positive',
      { leaseDurationSeconds: 0 },
      ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'],
    ],
    [
      'transitions are non-negative',
      { leaseTransitions: -1 },
      ['spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0'],
    ],
  ])('%s', (_rule, spec, errors) => {
    expect(create(leases, { metadata: { name: 'l' }, spec }).errors).toEqual(errors);
  });

  test('the table is NAME HOLDER AGE', () => {
    expect(
      row(leases, {
        metadata: { name: 'l', creationTimestamp: '2024-01-01T00:00:00Z' },
        spec: { holderIdentity: 'me' },
      }),
    ).toEqual({ Name: 'l', Holder: 'me', Age: '60m' });
  });
});
