import { FakeClock } from '../../common/index.js';
import { Lessor } from './lessor.js';

function lessor(clock = new FakeClock()) {
  const expired: bigint[] = [];
  const l = new Lessor({ clock, onExpired: (id) => expired.push(id) });
  return { l, clock, expired };
}

describe('Lessor', () => {
  test('a grant below the minimum TTL is raised to 2 s, like etcd', () => {
    const { l } = lessor();
    expect(l.grant(1n, 1).ttl).toBe(2);
    expect(l.grant(2n, 30).ttl).toBe(30);
  });

  test('a lease expires exactly after its TTL unless renewed, and is reported once', () => {
    const { l, clock, expired } = lessor();
    l.grant(1n, 10);
    l.grant(2n, 10);
    clock.step(6000);
    expect(l.renew(2n)).toBe(10);
    clock.step(3999);
    expect(expired).toEqual([]);
    clock.step(1);
    expect(expired).toEqual([1n]);
    clock.step(6000);
    expect(expired).toEqual([1n, 2n]);
  });

  test('a lease past its expiry cannot be renewed even before the expiry callback ran', () => {
    // A clock whose timers never fire: the expiry callback is late.
    let now = 0;
    const clock = { now: () => now, setTimeout: () => ({ cancel() {} }), sleep: async () => {} };
    const l = new Lessor({ clock, onExpired: () => {} });
    l.grant(1n, 5);
    now += 5000;
    expect(() => l.renew(1n)).toThrow('etcdserver: requested lease not found');
  });

  test('time to live counts down in whole seconds', () => {
    const { l, clock } = lessor();
    const lease = l.grant(1n, 10);
    clock.step(2500);
    expect(l.remainingSeconds(lease)).toBe(7);
  });

  test('IDs are positive, increasing, unused and below 2^53', () => {
    const { l } = lessor();
    const a = l.newId();
    l.grant(a, 10);
    const b = l.newId();
    expect(a).toBeGreaterThan(0n);
    expect(b).toBeGreaterThan(a);
    expect(b).toBeLessThan(2n ** 53n);
  });

  test('grants of a taken ID or an over-long TTL fail with etcd errors', () => {
    const { l } = lessor();
    l.grant(7n, 10);
    expect(() => l.grant(7n, 10)).toThrow('etcdserver: lease already exists');
    expect(() => l.grant(8n, 9_000_000_001)).toThrow('etcdserver: too large lease TTL');
  });

  test('removing a lease returns its keys in byte order', () => {
    const { l } = lessor();
    l.grant(1n, 10);
    for (const k of ['b', 'a', 'c']) l.attach(1n, k);
    l.detach(1n, 'c');
    expect(l.remove(1n)).toEqual(['a', 'b']);
    expect(() => l.remove(1n)).toThrow('etcdserver: requested lease not found');
  });
});
