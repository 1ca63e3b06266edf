import { makeNode, makePod } from '../../fixtures.js';
import { StaticListers } from '../../listers.js';
import { PodInfo } from '../../podinfo.js';
import { SchedulerCache } from '../../cache/cache.js';
import { cacheWith, filterAll, scoreAll } from '../testutil.js';
import { InterPodAffinity } from './index.js';

type Term = {
  labelSelector?: object;
  topologyKey: string;
  namespaces?: string[];
  namespaceSelector?: object;
};
const sel = (key: string, operator: string, values?: string[]) => ({
  matchExpressions: [{ key, operator, values }],
});
const affinity = (kind: 'podAffinity' | 'podAntiAffinity', ...terms: Term[]) => ({
  affinity: { [kind]: { requiredDuringSchedulingIgnoredDuringExecution: terms } },
});
const preferred = (kind: 'podAffinity' | 'podAntiAffinity', weight: number, term: Term) => ({
  affinity: {
    [kind]: {
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: term }],
    },
  },
});

const msgAffinity = "Unresolvable: node(s) didn't match pod affinity rules";
const msgAnti = "Unschedulable: node(s) didn't match pod anti-affinity rules";
const msgExisting = "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules";

describe('InterPodAffinity filter, one node (filtering_test.go TestRequiredAffinitySingleNode)', () => {
  const node = makeNode('node1', { labels: { region: 'r1', zone: 'z11' } });
  const securityscan = makePod('e', { nodeName: 'node1', labels: { service: 'securityscan' } });
  test.each([
    ['no required affinity, no existing pods', makePod('p'), [], ''],
    [
      'affinity In matches an existing pod in the region',
      makePod('p', {
        spec: affinity('podAffinity', {
          labelSelector: sel('service', 'In', ['securityscan', 'value2']),
          topologyKey: 'region',
        }),
      }),
      [securityscan],
      '',
    ],
    [
      'affinity NotIn excludes the only pod, and the pod does not match its own term',
      makePod('p', {
        labels: { service: 'securityscan' },
        spec: affinity('podAffinity', {
          labelSelector: sel('service', 'NotIn', ['securityscan']),
          topologyKey: 'region',
        }),
      }),
      [securityscan],
      msgAffinity,
    ],
    [
      'affinity NotIn excludes the only pod, but the pod matches its own term (first of its group)',
      makePod('p', {
        spec: affinity('podAffinity', {
          labelSelector: sel('service', 'NotIn', ['securityscan']),
          topologyKey: 'region',
        }),
      }),
      [securityscan],
      '',
    ],
    [
      'affinity to pods in another namespace (namespaces list) does not match the default namespace',
      makePod('p', {
        spec: affinity('podAffinity', {
          labelSelector: sel('service', 'In', ['securityscan']),
          topologyKey: 'region',
          namespaces: ['DiffNameSpace'],
        }),
      }),
      [securityscan],
      msgAffinity,
    ],
    [
      'the first pod of a group with affinity to itself can be placed',
      makePod('p', {
        labels: { service: 'securityscan' },
        spec: affinity('podAffinity', {
          labelSelector: sel('service', 'In', ['securityscan']),
          topologyKey: 'region',
        }),
      }),
      [],
      '',
    ],
    [
      'affinity needs the topology key on the node',
      makePod('p', {
        labels: { service: 'securityscan' },
        spec: affinity('podAffinity', {
          labelSelector: sel('service', 'In', ['securityscan']),
          topologyKey: 'rack',
        }),
      }),
      [],
      msgAffinity,
    ],
    [
      'anti-affinity to an existing pod in the zone',
      makePod('p', {
        spec: affinity('podAntiAffinity', {
          labelSelector: sel('service', 'In', ['securityscan']),
          topologyKey: 'zone',
        }),
      }),
      [securityscan],
      msgAnti,
    ],
    [
      "an existing pod's anti-affinity rejects the incoming pod",
      makePod('p', { labels: { service: 'web' } }),
      [
        makePod('e', {
          nodeName: 'node1',
          spec: affinity('podAntiAffinity', {
            labelSelector: sel('service', 'In', ['web']),
            topologyKey: 'zone',
          }),
        }),
      ],
      msgExisting,
    ],
    [
      "an existing pod's anti-affinity with a topology key the node lacks does not apply",
      makePod('p', { labels: { service: 'web' } }),
      [
        makePod('e', {
          nodeName: 'node1',
          spec: affinity('podAntiAffinity', {
            labelSelector: sel('service', 'In', ['web']),
            topologyKey: 'rack',
          }),
        }),
      ],
      '',
    ],
  ])('%s', (_name, pod, existing, expected) => {
    const cache = cacheWith([node], existing);
    expect(filterAll(new InterPodAffinity(cache), cache, pod)).toEqual({ node1: expected });
  });
});

describe('InterPodAffinity filter, several nodes (TestRequiredAffinityMultipleNodes)', () => {
  const nodes = [
    makeNode('node1', { labels: { zone: 'a' } }),
    makeNode('node2', { labels: { zone: 'a' } }),
    makeNode('node3', { labels: { zone: 'b' } }),
  ];
  const existing = [makePod('e', { nodeName: 'node1', labels: { app: 'db' } })];
  test('anti-affinity on zone keeps the pod out of the whole zone', () => {
    const cache = cacheWith(nodes, existing);
    const pod = makePod('p', {
      spec: affinity('podAntiAffinity', {
        labelSelector: sel('app', 'In', ['db']),
        topologyKey: 'zone',
      }),
    });
    expect(filterAll(new InterPodAffinity(cache), cache, pod)).toEqual({
      node1: msgAnti,
      node2: msgAnti,
      node3: '',
    });
  });

  test('affinity on zone admits every node of the zone', () => {
    const cache = cacheWith(nodes, existing);
    const pod = makePod('p', {
      spec: affinity('podAffinity', {
        labelSelector: sel('app', 'In', ['db']),
        topologyKey: 'zone',
      }),
    });
    expect(filterAll(new InterPodAffinity(cache), cache, pod)).toEqual({
      node1: '',
      node2: '',
      node3: msgAffinity,
    });
  });

  test('a namespaceSelector term matches pods of the selected namespaces (TestPreFilterStateAddRemovePod ns selector)', () => {
    const listers = new StaticListers();
    listers.namespaceMap.set('team-a', { team: 'a' });
    listers.namespaceMap.set('default', {});
    const cache = cacheWith(
      nodes,
      [makePod('e', { nodeName: 'node3', namespace: 'team-a', labels: { app: 'db' } })],
      listers,
    );
    const pod = makePod('p', {
      spec: affinity('podAntiAffinity', {
        labelSelector: sel('app', 'In', ['db']),
        topologyKey: 'zone',
        namespaceSelector: { matchLabels: { team: 'a' } },
      }),
    });
    expect(filterAll(new InterPodAffinity(cache), cache, pod)).toEqual({
      node1: '',
      node2: '',
      node3: msgAnti,
    });
  });

  test('an empty namespaceSelector selects every namespace', () => {
    const listers = new StaticListers();
    const cache = cacheWith(
      nodes,
      [makePod('e', { nodeName: 'node3', namespace: 'other', labels: { app: 'db' } })],
      listers,
    );
    const pod = makePod('p', {
      spec: affinity('podAntiAffinity', {
        labelSelector: sel('app', 'In', ['db']),
        topologyKey: 'zone',
        namespaceSelector: {},
      }),
    });
    expect(filterAll(new InterPodAffinity(cache), cache, pod)).toEqual({
      node1: '',
      node2: '',
      node3: msgAnti,
    });
  });

  test("existing pods' anti-affinity is checked against the incoming pod's namespace labels", () => {
    const listers = new StaticListers();
    listers.namespaceMap.set('prod', { env: 'prod' });
    const guard = makePod('g', {
      nodeName: 'node1',
      spec: affinity('podAntiAffinity', {
        labelSelector: {},
        topologyKey: 'zone',
        namespaceSelector: { matchLabels: { env: 'prod' } },
      }),
    });
    const cache = cacheWith(nodes, [guard], listers);
    expect(
      filterAll(new InterPodAffinity(cache), cache, makePod('p', { namespace: 'prod' })),
    ).toEqual({
      node1: msgExisting,
      node2: msgExisting,
      node3: '',
    });
    expect(
      filterAll(new InterPodAffinity(cache), cache, makePod('p', { namespace: 'dev' })),
    ).toEqual({
      node1: '',
      node2: '',
      node3: '',
    });
  });
});

describe('InterPodAffinity score (scoring_test.go TestPreferredAffinity)', () => {
  const nodes = [
    makeNode('node1', { labels: { region: 'China' } }),
    makeNode('node2', { labels: { region: 'China' } }),
    makeNode('node3', { labels: { region: 'India' } }),
  ];
  const existing = [makePod('e', { nodeName: 'node1', labels: { security: 'S1' } })];

  test('preferred affinity favours the whole topology domain of matching pods', () => {
    const cache = cacheWith(nodes, existing);
    const pod = makePod('p', {
      spec: preferred('podAffinity', 5, {
        labelSelector: sel('security', 'In', ['S1']),
        topologyKey: 'region',
      }),
    });
    expect(scoreAll(new InterPodAffinity(cache), cache, pod)).toEqual({
      node1: 100,
      node2: 100,
      node3: 0,
    });
  });

  test('preferred anti-affinity favours the other domains', () => {
    const cache = cacheWith(nodes, existing);
    const pod = makePod('p', {
      spec: preferred('podAntiAffinity', 5, {
        labelSelector: sel('security', 'In', ['S1']),
        topologyKey: 'region',
      }),
    });
    expect(scoreAll(new InterPodAffinity(cache), cache, pod)).toEqual({
      node1: 0,
      node2: 0,
      node3: 100,
    });
  });

  test("an existing pod's required affinity to the incoming pod attracts it (hardPodAffinityWeight 1)", () => {
    const hard = makePod('h', {
      nodeName: 'node3',
      spec: affinity('podAffinity', {
        labelSelector: sel('app', 'In', ['web']),
        topologyKey: 'region',
      }),
    });
    const cache = cacheWith(nodes, [hard]);
    expect(
      scoreAll(new InterPodAffinity(cache), cache, makePod('p', { labels: { app: 'web' } })),
    ).toEqual({
      node1: 0,
      node2: 0,
      node3: 100,
    });
  });

  test('nothing to score: PreScore skips', () => {
    const cache = cacheWith(nodes, existing);
    expect(scoreAll(new InterPodAffinity(cache), cache, makePod('p'))).toBe('skip');
  });
});

test('the cache lists only nodes with pods with (anti-)affinity for the fast paths', () => {
  const cache = new SchedulerCache(new StaticListers());
  cache.addOrUpdateNode(makeNode('a'));
  cache.addOrUpdateNode(makeNode('b'));
  const anti = makePod('x', {
    nodeName: 'b',
    spec: affinity('podAntiAffinity', { labelSelector: sel('app', 'Exists'), topologyKey: 'zone' }),
  });
  cache.addPod(new PodInfo(anti));
  expect(cache.nodesWithRequiredAntiAffinityPods().map((n) => n.name)).toEqual(['b']);
  expect(cache.nodesWithPodsWithAffinity().map((n) => n.name)).toEqual(['b']);
  cache.removePod(anti.metadata!.uid!);
  expect(cache.nodesWithRequiredAntiAffinityPods()).toEqual([]);
});
