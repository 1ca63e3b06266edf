import { makePod } from './fixtures.js';
import { computePodResources, podRequests } from './resources.js';

type Container = {
  name: string;
  resources?: { requests?: Record<string, string> };
  restartPolicy?: string;
};

function pod(
  containers: Container[],
  initContainers: Container[] = [],
  overhead?: Record<string, string>,
) {
  return makePod('p', { spec: { containers, initContainers, overhead } as never });
}

const c = (name: string, cpu?: string, memory?: string, restartPolicy?: string): Container => {
  const requests: Record<string, string> = {};
  if (cpu) requests.cpu = cpu;
  if (memory) requests.memory = memory;
  return { name, resources: { requests }, restartPolicy };
};

describe('pod requests (component-helpers resource.PodRequests)', () => {
  test.each([
    [
      'regular containers add up',
      pod([c('a', '100m', '1Mi'), c('b', '200m', '2Mi')]),
      300,
      3 * 1024 * 1024,
    ],
    [
      'an init container larger than the sum wins (TestPodRequests "init container larger")',
      pod([c('a', '100m', '1Mi')], [c('i', '1', '10Mi')]),
      1000,
      10 * 1024 * 1024,
    ],
    [
      'the sum wins over a smaller init container',
      pod([c('a', '500m', '8Mi'), c('b', '500m', '8Mi')], [c('i', '600m', '10Mi')]),
      1000,
      16 * 1024 * 1024,
    ],
    [
      'a sidecar (restartable init container) adds to the regular containers',
      pod([c('a', '100m')], [c('s', '200m', undefined, 'Always')]),
      300,
      0,
    ],
    [
      'a sidecar adds to later init containers (KEP-753 InitContainerUse)',
      pod([c('a', '100m')], [c('s', '200m', undefined, 'Always'), c('i', '500m')]),
      700,
      0,
    ],
    [
      'an init container before the sidecar does not see it',
      pod([c('a', '100m')], [c('i', '500m'), c('s', '200m', undefined, 'Always')]),
      500,
      0,
    ],
    [
      'pod overhead is added on top',
      pod([c('a', '100m', '1Mi')], [], { cpu: '250m', memory: '1Mi' }),
      350,
      2 * 1024 * 1024,
    ],
  ])('%s', (_name, p, cpu, memory) => {
    const r = computePodResources(p);
    expect(r.milliCPU).toBe(cpu);
    expect(r.memory).toBe(memory);
  });

  test.each([
    ['no requests count 100m and 200Mi for scoring', pod([c('a')]), 100, 200 * 1024 * 1024],
    [
      'each container without requests counts the defaults',
      pod([c('a'), c('b')]),
      200,
      400 * 1024 * 1024,
    ],
    [
      'a container missing only memory gets only the memory default',
      pod([c('a', '1')]),
      1000,
      200 * 1024 * 1024,
    ],
    ['an explicit zero stays zero', pod([c('a', '0', '0')]), 0, 0],
  ])(
    'non-zero requests (schedutil.DefaultMilliCPURequest / DefaultMemoryRequest): %s',
    (_n, p, cpu, mem) => {
      const r = computePodResources(p);
      expect(r.nonZeroMilliCPU).toBe(cpu);
      expect(r.nonZeroMemory).toBe(mem);
    },
  );

  test('quantities round up to whole millicores and bytes (MilliValue / Value)', () => {
    expect(podRequests(pod([c('a', '1500u', '1.5')])).get('cpu')).toBe(2);
    expect(podRequests(pod([c('a', '1500u', '1.5')])).get('memory')).toBe(2);
  });

  test('extended resources are kept as scalar resources', () => {
    const p = makePod('p', {
      spec: { containers: [{ name: 'a', resources: { requests: { 'nvidia.com/gpu': '2' } } }] },
    });
    expect(computePodResources(p).scalar).toEqual(new Map([['nvidia.com/gpu', 2]]));
  });

  test('an invalid quantity counts as zero instead of throwing', () => {
    expect(computePodResources(pod([c('a', 'lots')])).milliCPU).toBe(0);
  });
});
