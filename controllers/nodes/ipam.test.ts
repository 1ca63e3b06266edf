import { nodeIPFor, podCIDRFor, PodIPAllocator } from './ipam.js';
import { nodeSpecs } from './specs.js';

test.each([
  [1, '10.64.0.0/24', '172.18.0.3'],
  [2, '10.64.1.0/24', '172.18.0.4'],
  [256, '10.64.255.0/24', '172.18.1.8'],
  [257, '10.65.0.0/24', '172.18.1.9'],
  [5000, '10.83.135.0/24', '172.18.20.2'],
])('node number %i gets pod CIDR %s and IP %s', (i, cidr, ip) => {
  expect(podCIDRFor(i)).toBe(cidr);
  expect(nodeIPFor(i)).toBe(ip);
});

test('node numbers outside the CIDR space are refused', () => {
  expect(() => podCIDRFor(0)).toThrow(RangeError);
  expect(() => podCIDRFor(16_385)).toThrow('outside 1-16384');
});

test('pod IPs skip addresses in use and are not reused until released', () => {
  const ips = new PodIPAllocator('10.64.3.0/24');
  expect(ips.allocate(new Set(['10.64.3.2']))).toBe('10.64.3.3');
  expect(ips.allocate()).toBe('10.64.3.4');
  ips.release('10.64.3.3');
  expect(ips.allocate()).toBe('10.64.3.5');
});

test('a full pod CIDR hands out nothing', () => {
  const ips = new PodIPAllocator('10.64.3.0/24');
  for (let i = 0; i < 253; i++) expect(ips.allocate()).toBeDefined();
  expect(ips.allocate()).toBeUndefined();
});

test('a pod CIDR that is not an IPv4 /24 is refused', () => {
  expect(() => new PodIPAllocator('10.64.0.0/16')).toThrow('not an IPv4 /24');
});

test('node specs spread over the zones with the flags given', () => {
  const specs = nodeSpecs({
    count: 3,
    zones: ['a', 'b'],
    cpu: '2',
    memory: '8Gi',
    namePrefix: 'n-',
  });
  expect(specs.map((s) => [s.name, s.zone, s.cpu, s.memory, s.pods])).toEqual([
    ['n-1', 'a', '2', '8Gi', 110],
    ['n-2', 'b', '2', '8Gi', 110],
    ['n-3', 'a', '2', '8Gi', 110],
  ]);
});

test.each([
  [{ count: 1, cpu: 'lots' }, '--cpu "lots" is not a quantity'],
  [{ count: 1, namePrefix: 'Bad_' }, 'node name prefix "Bad_"'],
  [{ count: 1, pods: 0 }, '--pods must be a whole number >= 1'],
  [{ count: 20_000 }, 'at most 16384 simulated nodes'],
])('node specs %j are refused with a clear message', (options, message) => {
  expect(() => nodeSpecs(options)).toThrow(message);
});
