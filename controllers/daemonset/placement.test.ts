/**
 * DaemonSet placement and planning, row by row from upstream's `daemon_controller_test.go`
 * (`TestNodeShouldRunDaemonPod`, `TestTaintedNode…`, `TestDaemonSetPodCreated…`,
 * `TestFailedPodsBackoff…`, `TestSurge…`), `update_test.go` (`TestDaemonSetUpdatesPods`,
 * `TestDaemonSetUpdatesPodsWithMaxSurge`, `TestGetUnavailableNumbers`) and
 * `util/daemonset_util_test.go` (`TestAddOrUpdateDaemonPodTolerations`,
 * `TestReplaceDaemonSetPodNodeNameNodeAffinity`, `TestGetTargetNodeName`, `TestIsPodUpdated`).
 */
import type { DaemonSet, Node, Pod } from '../../framework/index.js';
import type { PodSpec } from '../util/index.js';
import { Backoff } from './backoff.js';
import {
  taintKeys,
  templateGenerationAnnotation,
  templateGenerationLabel,
  uniqueLabelKey,
} from './defaults.js';
import { nodesToDaemonPods, planNodes } from './manage.js';
import {
  addDaemonTolerations,
  daemonPodTemplate,
  isPodUpdated,
  nodeShouldRunDaemonPod,
  pinToNode,
  targetNodeName,
} from './placement.js';
import { planRollingUpdate } from './rollingupdate.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function newDS(
  extra: Partial<NonNullable<DaemonSet['spec']>> = {},
  podSpec: Partial<PodSpec> = {},
): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'foo', namespace: 'default', uid: 'ds-uid', generation: 1 },
    spec: {
      selector: { matchLabels: { app: 'foo' } },
      template: {
        metadata: { labels: { app: 'foo' } },
        spec: { containers: [{ name: 'c', image: 'i' }], ...podSpec },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      ...extra,
    },
    status: { observedGeneration: 1 } as never,
  };
}

function node(name: string, labels: Record<string, string> = {}, taints: object[] = []): Node {
  return { metadata: { name, labels }, spec: { taints: taints as never } };
}

describe('NodeShouldRunDaemonPod', () => {
  test.each<[string, Partial<PodSpec>, Node, boolean, boolean]>([
    ['a plain node runs and keeps the pod', {}, node('n'), true, true],
    ['spec.nodeName of another node: neither', { nodeName: 'other' }, node('n'), false, false],
    ['spec.nodeName of this node: both', { nodeName: 'n' }, node('n'), true, true],
    [
      'a matching nodeSelector: both',
      { nodeSelector: { disk: 'ssd' } },
      node('n', { disk: 'ssd' }),
      true,
      true,
    ],
    [
      'a nodeSelector that does not match: neither',
      { nodeSelector: { disk: 'ssd' } },
      node('n'),
      false,
      false,
    ],
    [
      'required node affinity that does not match: neither',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
              ],
            },
          },
        },
      },
      node('n', { zone: 'b' }),
      false,
      false,
    ],
    [
      'an untolerated NoSchedule taint: do not create, keep',
      {},
      node('n', {}, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]),
      false,
      true,
    ],
    [
      'an untolerated NoExecute taint: neither',
      {},
      node('n', {}, [{ key: 'k', value: 'v', effect: 'NoExecute' }]),
      false,
      false,
    ],
    [
      'a PreferNoSchedule taint is ignored',
      {},
      node('n', {}, [{ key: 'k', effect: 'PreferNoSchedule' }]),
      true,
      true,
    ],
    [
      'a tolerated NoExecute taint: both',
      { tolerations: [{ key: 'k', operator: 'Exists' }] },
      node('n', {}, [{ key: 'k', value: 'v', effect: 'NoExecute' }]),
      true,
      true,
    ],
    [
      'not-ready NoExecute is tolerated by the daemon tolerations',
      {},
      node('n', {}, [{ key: taintKeys.notReady, effect: 'NoExecute' }]),
      true,
      true,
    ],
    [
      'unreachable NoExecute is tolerated',
      {},
      node('n', {}, [{ key: taintKeys.unreachable, effect: 'NoExecute' }]),
      true,
      true,
    ],
    [
      'unschedulable NoSchedule is tolerated',
      {},
      node('n', {}, [{ key: taintKeys.unschedulable, effect: 'NoSchedule' }]),
      true,
      true,
    ],
    [
      'memory-pressure NoSchedule is tolerated',
      {},
      node('n', {}, [{ key: taintKeys.memoryPressure, effect: 'NoSchedule' }]),
      true,
      true,
    ],
    [
      'network-unavailable is not tolerated without hostNetwork',
      {},
      node('n', {}, [{ key: taintKeys.networkUnavailable, effect: 'NoSchedule' }]),
      false,
      true,
    ],
    [
      'network-unavailable is tolerated with hostNetwork',
      { hostNetwork: true },
      node('n', {}, [{ key: taintKeys.networkUnavailable, effect: 'NoSchedule' }]),
      true,
      true,
    ],
  ])('%s', (_n, podSpec, n, shouldRun, shouldContinueRunning) => {
    expect(nodeShouldRunDaemonPod(n, newDS({}, podSpec))).toEqual({
      shouldRun,
      shouldContinueRunning,
    });
  });
});

describe('daemon pods', () => {
  test('the daemon tolerations: not-ready and unreachable NoExecute without tolerationSeconds, pressure and unschedulable NoSchedule', () => {
    const spec: PodSpec = {
      containers: [],
      tolerations: [
        {
          key: taintKeys.notReady,
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    };
    addDaemonTolerations(spec);
    expect(spec.tolerations).toEqual([
      { key: taintKeys.notReady, operator: 'Exists', effect: 'NoExecute' },
      { key: taintKeys.unreachable, operator: 'Exists', effect: 'NoExecute' },
      { key: taintKeys.diskPressure, operator: 'Exists', effect: 'NoSchedule' },
      { key: taintKeys.memoryPressure, operator: 'Exists', effect: 'NoSchedule' },
      { key: taintKeys.pidPressure, operator: 'Exists', effect: 'NoSchedule' },
      { key: taintKeys.unschedulable, operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });

  test('the pod template carries the hash and the template generation', () => {
    const ds = newDS();
    ds.metadata!.annotations = { [templateGenerationAnnotation]: '3' };
    const t = daemonPodTemplate(ds, 'h1');
    expect(t.metadata?.labels).toEqual({
      app: 'foo',
      [uniqueLabelKey]: 'h1',
      [templateGenerationLabel]: '3',
    });
    expect(ds.spec?.template.metadata?.labels).toEqual({ app: 'foo' });
  });

  test.each<[string, object | undefined]>([
    ['no affinity', undefined],
    [
      'node affinity with other required terms',
      {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }],
          },
        },
      },
    ],
    ['only pod anti-affinity', { podAntiAffinity: {} }],
  ])('pinning to a node with %s leaves exactly the metadata.name term', (_n, affinity) => {
    const spec = { containers: [], affinity } as PodSpec;
    pinToNode(spec, 'node-1');
    expect(spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
      nodeSelectorTerms: [
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] },
      ],
    });
    const pod: Pod = { spec };
    expect(targetNodeName(pod)).toBe('node-1');
  });

  test.each<[string, Pod, string | undefined]>([
    ['spec.nodeName wins', { spec: { containers: [], nodeName: 'a' } }, 'a'],
    ['no affinity: none', { spec: { containers: [] } }, undefined],
    [
      'two values: none',
      {
        spec: {
          containers: [],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] },
                ],
              },
            },
          },
        },
      },
      undefined,
    ],
  ])('GetTargetNodeName: %s', (_n, pod, want) => {
    expect(targetNodeName(pod)).toBe(want);
  });

  test.each<[string, Record<string, string>, string, number | undefined, boolean]>([
    ['same hash', { [uniqueLabelKey]: 'h' }, 'h', undefined, true],
    ['other hash', { [uniqueLabelKey]: 'x' }, 'h', undefined, false],
    [
      'other hash, same generation',
      { [uniqueLabelKey]: 'x', [templateGenerationLabel]: '2' },
      'h',
      2,
      true,
    ],
    ['no labels', {}, 'h', 2, false],
  ])('IsPodUpdated: %s', (_n, labels, hash, generation, want) => {
    expect(isPodUpdated({ metadata: { labels } }, hash, generation)).toBe(want);
  });
});

let podSeq = 0;
function pod(
  nodeName: string,
  o: {
    hash?: string;
    ready?: boolean;
    phase?: string;
    createdMs?: number;
    deleting?: boolean;
    readyMs?: number;
  } = {},
): Pod {
  const name = `foo-${++podSeq}`;
  return {
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'foo', [uniqueLabelKey]: o.hash ?? 'new' },
      creationTimestamp: iso(o.createdMs ?? NOW - 100_000 + podSeq * 1000),
      deletionTimestamp: o.deleting ? iso(NOW) : undefined,
    },
    spec: { containers: [], nodeName },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [
        {
          type: 'Ready',
          status: o.ready === false ? 'False' : 'True',
          lastTransitionTime: iso(o.readyMs ?? NOW - 60_000),
        },
      ],
    },
  };
}

describe('manage', () => {
  const nodes = [node('a'), node('b'), node('c')];
  const plan = (ds: DaemonSet, pods: Pod[], backoff = new Backoff(1000, 900_000), nowMs = NOW) =>
    planNodes({
      ds,
      nodes,
      nodeToDaemonPods: nodesToDaemonPods(pods),
      hash: 'new',
      nowMs,
      backoff,
    });

  test('nodes without a pod get one', () => {
    const p = plan(newDS(), [pod('a')]);
    expect(p.nodesNeedingDaemonPods).toEqual(['b', 'c']);
    expect(p.podsToDelete).toEqual([]);
  });

  test('without surge, all but the oldest pod of a node are deleted', () => {
    const oldest = pod('a', { createdMs: NOW - 50_000 });
    const newer = pod('a', { createdMs: NOW - 10_000 });
    expect(plan(newDS(), [newer, oldest, pod('b'), pod('c')]).podsToDelete).toEqual([
      newer.metadata!.name,
    ]);
  });

  test('a node that must not run the pod loses it', () => {
    const ds = newDS({}, { nodeSelector: { keep: 'yes' } });
    const p = plan(ds, [pod('a')]);
    expect(p.podsToDelete).toHaveLength(1);
    expect(p.nodesNeedingDaemonPods).toEqual([]);
  });

  test('unscheduled pods aimed at a node that is gone are deleted', () => {
    const orphan = pod('gone');
    delete orphan.spec!.nodeName;
    orphan.spec!.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['gone'] }] },
          ],
        },
      },
    };
    expect(plan(newDS(), [orphan, pod('a'), pod('b'), pod('c')]).podsToDelete).toEqual([
      orphan.metadata!.name,
    ]);
  });

  test('a succeeded pod is deleted with a SucceededDaemonPod event', () => {
    const done = pod('a', { phase: 'Succeeded' });
    const p = plan(newDS(), [done, pod('b'), pod('c')]);
    expect(p.podsToDelete).toEqual([done.metadata!.name]);
    expect(p.events[0]).toMatchObject({ type: 'Normal', reason: 'SucceededDaemonPod' });
  });

  test('failed pods are deleted once per back-off window, 1 s doubling', () => {
    const backoff = new Backoff(1000, 900_000);
    const failed = () => pod('a', { phase: 'Failed' });
    const first = plan(newDS(), [failed(), pod('b'), pod('c')], backoff, NOW);
    expect(first.podsToDelete).toHaveLength(1);
    expect(first.events[0]).toMatchObject({ type: 'Warning', reason: 'FailedDaemonPod' });
    expect(first.events[0]!.message).toMatch(
      /^Found failed daemon pod default\/foo-\d+ on node a, will try to kill it$/,
    );
    const inWindow = plan(newDS(), [failed(), pod('b'), pod('c')], backoff, NOW + 500);
    expect(inWindow.podsToDelete).toEqual([]);
    expect(inWindow.requeueAfterMs).toBe(1000);
    expect(
      plan(newDS(), [failed(), pod('b'), pod('c')], backoff, NOW + 1000).podsToDelete,
    ).toHaveLength(1);
    const doubled = plan(newDS(), [failed(), pod('b'), pod('c')], backoff, NOW + 2500);
    expect(doubled.podsToDelete).toEqual([]);
    expect(doubled.requeueAfterMs).toBe(2000);
  });

  test.each<[string, { newReady: boolean; oldReady: boolean }, 'old' | 'none']>([
    ['new available: the old pod goes', { newReady: true, oldReady: true }, 'old'],
    ['new not available, old ready: both stay', { newReady: false, oldReady: true }, 'none'],
    ['old not ready: the old pod goes', { newReady: false, oldReady: false }, 'old'],
  ])('with surge, %s', (_n, o, want) => {
    const ds = newDS({
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    });
    const old = pod('a', { hash: 'old', ready: o.oldReady, createdMs: NOW - 90_000 });
    const fresh = pod('a', { hash: 'new', ready: o.newReady, createdMs: NOW - 10_000 });
    const p = plan(ds, [old, fresh, pod('b'), pod('c')]);
    expect(p.podsToDelete).toEqual(want === 'old' ? [old.metadata!.name] : []);
  });
});

describe('RollingUpdate', () => {
  const nodes = ['a', 'b', 'c', 'd', 'e'].map((n) => node(n));
  const rolling = (ru: object) =>
    newDS({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: ru as never } });
  const planFor = (ds: DaemonSet, pods: Pod[]) =>
    planRollingUpdate(ds, nodes, nodesToDaemonPods(pods), 'new', NOW);

  test.each<[string, object, number]>([
    ['maxUnavailable 1 replaces one old pod', { maxUnavailable: 1, maxSurge: 0 }, 1],
    ['maxUnavailable 2 replaces two', { maxUnavailable: 2, maxSurge: 0 }, 2],
    ['maxUnavailable 50% of 5 rounds up to 3', { maxUnavailable: '50%', maxSurge: 0 }, 3],
    ['both 0 fall back to 1', { maxUnavailable: 0, maxSurge: 0 }, 1],
  ])('%s', (_n, ru, deletions) => {
    const pods = nodes.map((n) => pod(n.metadata!.name!, { hash: 'old' }));
    const p = planFor(rolling(ru), pods);
    expect(p.oldPodsToDelete).toHaveLength(deletions);
    expect(p.newNodesToCreate).toEqual([]);
  });

  test('unavailable nodes use up maxUnavailable; unavailable old pods are replaced anyway', () => {
    const pods = [
      pod('a', { hash: 'new', ready: false }),
      pod('b', { hash: 'old', ready: false }),
      pod('c', { hash: 'old' }),
      pod('d', { hash: 'old' }),
      pod('e', { hash: 'old' }),
    ];
    const p = planFor(rolling({ maxUnavailable: 2, maxSurge: 0 }), pods);
    expect(p.oldPodsToDelete).toEqual([pods[1]!.metadata!.name]);
  });

  test('minReadySeconds: a new pod ready for less than it counts as unavailable', () => {
    const ds = rolling({ maxUnavailable: 1, maxSurge: 0 });
    ds.spec!.minReadySeconds = 30;
    const pods = [
      pod('a', { hash: 'new', readyMs: NOW - 10_000 }),
      ...['b', 'c', 'd', 'e'].map((n) => pod(n, { hash: 'old' })),
    ];
    expect(planFor(ds, pods).oldPodsToDelete).toEqual([]);
  });

  test('maxSurge creates new pods beside available old ones, up to the surge', () => {
    const pods = nodes.map((n) => pod(n.metadata!.name!, { hash: 'old' }));
    const p = planFor(rolling({ maxUnavailable: 0, maxSurge: 2 }), pods);
    expect(p.newNodesToCreate).toEqual(['a', 'b']);
    expect(p.oldPodsToDelete).toEqual([]);
  });

  test('maxSurge deletes an old pod once the new one beside it is available', () => {
    const pods = [
      pod('a', { hash: 'old' }),
      pod('a', { hash: 'new' }),
      pod('b', { hash: 'old' }),
      pod('b', { hash: 'new', ready: false }),
      pod('c', { hash: 'old' }),
      pod('d', { hash: 'old' }),
      pod('e', { hash: 'old' }),
    ];
    const p = planFor(rolling({ maxUnavailable: 0, maxSurge: 2 }), pods);
    expect(p.oldPodsToDelete).toEqual([pods[0]!.metadata!.name]);
    // b still surges, so one more surge slot is left.
    expect(p.newNodesToCreate).toEqual(['c']);
  });

  test('maxSurge replaces an unavailable old pod at once, outside the surge budget', () => {
    const pods = [
      pod('a', { hash: 'old', ready: false }),
      ...['b', 'c', 'd', 'e'].map((n) => pod(n, { hash: 'old' })),
    ];
    const p = planFor(rolling({ maxUnavailable: 0, maxSurge: 1 }), pods);
    expect(p.newNodesToCreate).toEqual(['a', 'b']);
  });
});
