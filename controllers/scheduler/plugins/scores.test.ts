import { makeNode, makePod } from '../fixtures.js';
import { NodeAffinity } from './nodeaffinity.js';
import { BalancedAllocation, NodeResourcesFit } from './noderesources.js';
import { TaintToleration } from './tainttoleration.js';
import { cacheWith, scoreAll } from './testutil.js';

const containers = (...reqs: Array<[string, string]>) => ({
  containers: reqs.map(([cpu, memory], i) => ({
    name: `c${i}`,
    resources: { requests: { cpu, memory } },
  })),
});
const cpuAndMemory = containers(['1000m', '2000'], ['2000m', '3000']);
const cpuOnly = containers(['1000m', '0'], ['2000m', '0']);

describe('NodeResourcesFit LeastAllocated score (least_allocated_test.go)', () => {
  test.each([
    [
      'nothing scheduled, nothing requested',
      makePod('p', { spec: { containers: [] } }),
      [],
      { node1: 100, node2: 100 },
    ],
    [
      'nothing scheduled, resources requested, differently sized nodes',
      makePod('p', { spec: cpuAndMemory }),
      [],
      { node1: 37, node2: 50 },
    ],
    [
      'no resources requested, pods scheduled with resources',
      makePod('p', { spec: { containers: [] } }),
      [
        makePod('e1', { nodeName: 'node1', spec: cpuOnly }),
        makePod('e2', { nodeName: 'node2', spec: cpuAndMemory }),
      ],
      { node1: 62, node2: 50 },
    ],
  ])('%s', (_name, pod, existing, expected) => {
    const cache = cacheWith(
      [
        makeNode('node1', { cpu: '4', memory: '10000' }),
        makeNode('node2', { cpu: '6', memory: '10000' }),
      ],
      existing,
    );
    expect(scoreAll(new NodeResourcesFit(), cache, pod)).toEqual(expected);
  });

  test('a pod without requests counts 100m/200Mi, so an emptier node wins (LeastAllocated rule)', () => {
    const cache = cacheWith(
      [
        makeNode('busy', { cpu: '1', memory: '1Gi' }),
        makeNode('idle', { cpu: '1', memory: '1Gi' }),
      ],
      [makePod('e', { nodeName: 'busy' })],
    );
    const s = scoreAll(new NodeResourcesFit(), cache, makePod('p')) as Record<string, number>;
    expect(s.idle).toBeGreaterThan(s.busy!);
    // idle: cpu (1000-100)*100/1000 = 90, memory (1024-200)*100/1024 = 80 → 85
    expect(s.idle).toBe(85);
  });
});

describe('BalancedAllocation score (balanced_allocation_test.go)', () => {
  test('fractions close to each other score higher; best-effort pods skip', () => {
    const cache = cacheWith([
      makeNode('node1', { cpu: '4', memory: '10000' }),
      makeNode('node2', { cpu: '6', memory: '10000' }),
    ]);
    // node1: cpu 3000/4000 = 0.75, mem 5000/10000 = 0.5 → std 0.125 → 87
    // node2: cpu 3000/6000 = 0.5, mem 0.5 → 100
    expect(scoreAll(new BalancedAllocation(), cache, makePod('p', { spec: cpuAndMemory }))).toEqual(
      {
        node1: 87,
        node2: 100,
      },
    );
    expect(scoreAll(new BalancedAllocation(), cache, makePod('p'))).toBe('skip');
  });
});

describe('TaintToleration score (taint_toleration_test.go TestTaintTolerationScore)', () => {
  const prefer = (key: string, value: string) => ({ key, value, effect: 'PreferNoSchedule' });
  test('fewer intolerable PreferNoSchedule taints score higher', () => {
    const cache = cacheWith([
      makeNode('none'),
      makeNode('one', { taints: [prefer('cpu-type', 'arm64')] }),
      makeNode('two', { taints: [prefer('cpu-type', 'arm64'), prefer('disk-type', 'ssd')] }),
    ]);
    const pod = makePod('p', {
      spec: {
        tolerations: [
          { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
        ],
      },
    });
    expect(scoreAll(new TaintToleration(), cache, pod)).toEqual({ none: 100, one: 0, two: 0 });
  });

  test('a toleration without effect tolerates PreferNoSchedule taints too', () => {
    const cache = cacheWith([makeNode('none'), makeNode('one', { taints: [prefer('k', 'v')] })]);
    const pod = makePod('p', { spec: { tolerations: [{ key: 'k', operator: 'Exists' }] } });
    expect(scoreAll(new TaintToleration(), cache, pod)).toEqual({ none: 100, one: 100 });
  });

  test('no PreferNoSchedule taint anywhere: the plugin skips (every node would score 100)', () => {
    expect(scoreAll(new TaintToleration(), cacheWith([makeNode('a')]), makePod('p'))).toBe('skip');
  });
});

describe('NodeAffinity preferred score (node_affinity_test.go TestNodeAffinityPriority)', () => {
  const preferred = (...terms: Array<[number, string, string]>) => ({
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: terms.map(([weight, key, value]) => ({
          weight,
          preference: { matchExpressions: [{ key, operator: 'In', values: [value] }] },
        })),
      },
    },
  });
  test('weights of matching terms add up and are normalised to 100', () => {
    const cache = cacheWith([
      makeNode('machine1', { labels: { foo: 'bar' } }),
      makeNode('machine2', { labels: { key: 'value' } }),
      makeNode('machine3', { labels: { foo: 'bar', key: 'value', az: 'az1' } }),
    ]);
    const pod = makePod('p', {
      spec: preferred([2, 'foo', 'bar'], [4, 'key', 'value'], [5, 'az', 'az1']) as never,
    });
    expect(scoreAll(new NodeAffinity(), cache, pod)).toEqual({
      machine1: 18,
      machine2: 36,
      machine3: 100,
    });
  });

  test('no preferred terms: PreScore skips', () => {
    expect(scoreAll(new NodeAffinity(), cacheWith([makeNode('a')]), makePod('p'))).toBe('skip');
  });
});
