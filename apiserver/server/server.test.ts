import { progressNotifyReliable } from './server.js';

describe('progressNotifyReliable', () => {
  test.each([
    ['3.4.23', false, 'Debian etcd 3.4.23 has etcd-io/etcd#15220'],
    ['3.4.31', true, 'fixed in 3.4.31'],
    ['3.5.12', false, 'before the 3.5 fix'],
    ['3.5.13', true, 'the embedded store emulates 3.5.13'],
    ['3.6.0', true, '3.6 has the fix'],
    ['4.0.0', true, 'later majors'],
    ['garbage', false, 'an unknown version is not trusted'],
  ])('%s → %s (%s)', (version, expected) => {
    expect(progressNotifyReliable(version)).toBe(expected);
  });
});
