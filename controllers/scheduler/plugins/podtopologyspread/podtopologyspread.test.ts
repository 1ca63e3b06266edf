import { makeNode, makePod } from '../../fixtures.js';
import { StaticListers } from '../../listers.js';
import { cacheWith, filterAll, scoreAll } from '../testutil.js';
import { PodTopologySpread } from './index.js';

/** Two zones of two nodes; `zone` for explicit constraints, the well-known key for defaults. */
const zoneNodes = () =>
  [
    ['node-a', 'zone1'],
    ['node-b', 'zone1'],
    ['node-x', 'zone2'],
    ['node-y', 'zone2'],
  ].map(([name, zone]) =>
    makeNode(name!, { labels: { zone: zone!, 'topology.kubernetes.io/zone': zone! } }),
  );
const foo = (name: string, nodeName: string, extra: Record<string, string> = {}) =>
  makePod(name, { nodeName, labels: { foo: '', ...extra } });

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: string;
  labelSelector?: object;
  minDomains?: number;
  nodeAffinityPolicy?: string;
  nodeTaintsPolicy?: string;
  matchLabelKeys?: string[];
}
const spread = (
  c: Partial<Constraint>,
  extra: object = {},
  labels: Record<string, string> = { foo: '' },
) =>
  makePod('p', {
    labels,
    spec: {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] },
          ...c,
        },
      ],
      ...extra,
    } as never,
  });

const skew = "Unschedulable: node(s) didn't match pod topology spread constraints";
const missing =
  "Unresolvable: node(s) didn't match pod topology spread constraints (missing required label)";

describe('PodTopologySpread filter (filtering_test.go TestSingleConstraint)', () => {
  test('pods spread 2/1 over zones: only the emptier zone fits with maxSkew 1', () => {
    const cache = cacheWith(zoneNodes(), [
      foo('a1', 'node-a'),
      foo('b1', 'node-b'),
      foo('x1', 'node-x'),
    ]);
    expect(filterAll(new PodTopologySpread(cache), cache, spread({}))).toEqual({
      'node-a': skew,
      'node-b': skew,
      'node-x': '',
      'node-y': '',
    });
  });

  test('a node without the topology key is unresolvable', () => {
    const cache = cacheWith([...zoneNodes(), makeNode('node-nozone')], []);
    expect(filterAll(new PodTopologySpread(cache), cache, spread({}))['node-nozone']).toBe(missing);
  });

  test('a pod not matching its own selector does not count itself', () => {
    const cache = cacheWith(zoneNodes(), [foo('a1', 'node-a')]);
    expect(filterAll(new PodTopologySpread(cache), cache, spread({}, {}, { other: '' }))).toEqual({
      'node-a': '',
      'node-b': '',
      'node-x': '',
      'node-y': '',
    });
  });

  test('pods of other namespaces and terminating pods are not counted', () => {
    const cache = cacheWith(zoneNodes(), [
      makePod('o', { nodeName: 'node-a', namespace: 'other', labels: { foo: '' } }),
      makePod('t', {
        nodeName: 'node-a',
        labels: { foo: '' },
        deletionTimestamp: '2026-01-01T00:00:00Z',
      }),
    ]);
    expect(Object.values(filterAll(new PodTopologySpread(cache), cache, spread({})))).toEqual([
      '',
      '',
      '',
      '',
    ]);
  });

  test('minDomains above the number of domains makes the global minimum 0 (TestMinDomains)', () => {
    const cache = cacheWith(zoneNodes(), [
      foo('a1', 'node-a'),
      foo('a2', 'node-a'),
      foo('x1', 'node-x'),
    ]);
    // zone1=2, zone2=1; with minDomains 3 the minimum is 0: zone2 → 1+1-0 = 2 ≤ 2, zone1 → 3 > 2
    expect(
      filterAll(new PodTopologySpread(cache), cache, spread({ maxSkew: 2, minDomains: 3 })),
    ).toEqual({
      'node-a': skew,
      'node-b': skew,
      'node-x': '',
      'node-y': '',
    });
    // with the default minDomains 1 the minimum is 1 and both zones fit maxSkew 2
    expect(
      Object.values(filterAll(new PodTopologySpread(cache), cache, spread({ maxSkew: 2 }))),
    ).toEqual(['', '', '', '']);
  });

  test.each([
    ['Honor (default): zones outside the node selector are not domains', undefined, ''],
    ['Ignore: every zone is a domain, zone1 with 0 pods is the minimum', 'Ignore', skew],
  ])('nodeAffinityPolicy %s', (_name, policy, expected) => {
    const cache = cacheWith(zoneNodes(), [foo('x1', 'node-x'), foo('x2', 'node-y')]);
    const pod = spread({ nodeAffinityPolicy: policy }, { nodeSelector: { zone: 'zone2' } });
    expect(filterAll(new PodTopologySpread(cache), cache, pod)['node-x']).toBe(expected);
  });

  test.each([
    ['Ignore (default): the tainted zone is a domain with 0 pods', undefined, skew],
    ['Honor: the tainted zone is not a domain', 'Honor', ''],
  ])('nodeTaintsPolicy %s', (_name, policy, expected) => {
    const nodes = [
      makeNode('node-a', {
        labels: { zone: 'zone1' },
        taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }],
      }),
      makeNode('node-x', { labels: { zone: 'zone2' } }),
    ];
    const cache = cacheWith(nodes, [foo('x1', 'node-x')]);
    expect(
      filterAll(new PodTopologySpread(cache), cache, spread({ nodeTaintsPolicy: policy }))[
        'node-x'
      ],
    ).toBe(expected);
  });

  test('matchLabelKeys count only pods with the same value (KEP-3243)', () => {
    const cache = cacheWith(zoneNodes(), [
      foo('old1', 'node-a', { version: 'v1' }),
      foo('old2', 'node-b', { version: 'v1' }),
    ]);
    const pod = spread({ matchLabelKeys: ['version'] }, {}, { foo: '', version: 'v2' });
    expect(Object.values(filterAll(new PodTopologySpread(cache), cache, pod))).toEqual([
      '',
      '',
      '',
      '',
    ]);
    const same = spread({ matchLabelKeys: ['version'] }, {}, { foo: '', version: 'v1' });
    expect(filterAll(new PodTopologySpread(cache), cache, same)['node-a']).toBe(skew);
  });

  test('ScheduleAnyway constraints never filter', () => {
    const cache = cacheWith(zoneNodes(), [foo('a1', 'node-a'), foo('a2', 'node-b')]);
    const pod = spread({ whenUnsatisfiable: 'ScheduleAnyway' });
    expect(Object.values(filterAll(new PodTopologySpread(cache), cache, pod))).toEqual([
      '',
      '',
      '',
      '',
    ]);
  });
});

describe('PodTopologySpread score (scoring_test.go TestPodTopologySpreadScore)', () => {
  test('ScheduleAnyway on zones: the empty zone scores 100, the loaded one 0', () => {
    const cache = cacheWith(zoneNodes(), [foo('a1', 'node-a'), foo('b1', 'node-b')]);
    const pod = spread({ whenUnsatisfiable: 'ScheduleAnyway' });
    expect(scoreAll(new PodTopologySpread(cache), cache, pod)).toEqual({
      'node-a': 0,
      'node-b': 0,
      'node-x': 100,
      'node-y': 100,
    });
  });

  test('system default constraints spread the pods of a ReplicaSet over hosts and zones', () => {
    const listers = new StaticListers();
    listers.replicaSets.set('default/web-rs', { matchLabels: { app: 'web' } });
    const owner = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-rs', uid: 'rs', controller: true },
    ];
    const web = (name: string, nodeName?: string) =>
      makePod(name, { nodeName, labels: { app: 'web' }, ownerReferences: owner });
    const cache = cacheWith(zoneNodes(), [web('w1', 'node-a'), web('w2', 'node-a')], listers);
    // hostname weight ln(4+2), zone weight ln(2+2): node-a 12, node-b 9, node-x/y 6
    expect(scoreAll(new PodTopologySpread(cache), cache, web('w3'))).toEqual({
      'node-a': 50,
      'node-b': 75,
      'node-x': 100,
      'node-y': 100,
    });
  });

  test('a Service selecting the pod gives it the default constraints too (DefaultSelector)', () => {
    const listers = new StaticListers();
    listers.services.set('default', [{ app: 'api' }]);
    const cache = cacheWith(
      zoneNodes(),
      [makePod('a1', { nodeName: 'node-a', labels: { app: 'api' } })],
      listers,
    );
    const s = scoreAll(
      new PodTopologySpread(cache),
      cache,
      makePod('p', { labels: { app: 'api' } }),
    );
    expect(s).not.toBe('skip');
    expect((s as Record<string, number>)['node-a']).toBeLessThan(
      (s as Record<string, number>)['node-b']!,
    );
  });

  test('a bare pod with no constraints and no owner is not scored', () => {
    const cache = cacheWith(zoneNodes(), []);
    expect(
      scoreAll(new PodTopologySpread(cache), cache, makePod('p', { labels: { app: 'x' } })),
    ).toBe('skip');
  });
});
