import { FakeClock, Node, Pod, isNotFound, type ApiClient } from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import type { ControllerDescriptor } from '../registry.js';
import { startClusterHarness, testPod, type ClusterHarness } from '../testharness.js';
import {
  registerPodGC,
  terminatedPodsToDelete,
  terminatingOutOfServicePods,
  unscheduledTerminatingPods,
} from './podgc.js';

function pod(
  name: string,
  phase: string,
  created: number,
  opts: { reason?: string; node?: string; deleting?: boolean } = {},
): Pod {
  return {
    metadata: {
      name,
      namespace: 'ns',
      creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, created)).toISOString(),
      deletionTimestamp: opts.deleting ? '2026-01-01T01:00:00Z' : undefined,
    },
    spec: { nodeName: opts.node, containers: [] },
    status: { phase, reason: opts.reason },
  };
}

describe('gcTerminated (upstream TestGCTerminated)', () => {
  test.each<[string, Pod[], number, string[]]>([
    [
      'below the threshold nothing is deleted',
      [pod('a', 'Failed', 1), pod('b', 'Succeeded', 2)],
      2,
      [],
    ],
    [
      'the oldest terminated pods above the threshold go',
      [pod('a', 'Failed', 3), pod('b', 'Succeeded', 1), pod('c', 'Failed', 2)],
      1,
      ['b', 'c'],
    ],
    [
      'running, pending and unknown pods do not count',
      [
        pod('a', 'Running', 1),
        pod('b', 'Pending', 2),
        pod('c', 'Unknown', 3),
        pod('d', 'Failed', 4),
      ],
      0,
      [],
    ],
    ['a threshold of 0 disables it', [pod('a', 'Failed', 1)], 0, []],
    [
      'evicted pods go first',
      [pod('a', 'Failed', 1), pod('b', 'Failed', 9, { reason: 'Evicted' })],
      1,
      ['b'],
    ],
    [
      'equal creation times are ordered by name',
      [pod('b', 'Failed', 1), pod('a', 'Failed', 1), pod('c', 'Failed', 1)],
      1,
      ['a', 'b'],
    ],
  ])('%s', (_n, pods, threshold, want) => {
    expect(terminatedPodsToDelete(pods, threshold).map((p) => p.metadata?.name)).toEqual(want);
  });
});

test('terminating pods on a not-ready out-of-service node are collected (upstream TestGCTerminating)', () => {
  const nodes: Record<string, Node> = {
    oos: {
      metadata: { name: 'oos' },
      spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] },
      status: { conditions: [{ type: 'Ready', status: 'False' }] },
    },
    readyOos: {
      metadata: { name: 'readyOos' },
      spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    },
    notReady: {
      metadata: { name: 'notReady' },
      status: { conditions: [{ type: 'Ready', status: 'False' }] },
    },
  };
  const pods = [
    pod('on-oos', 'Running', 1, { node: 'oos', deleting: true }),
    pod('on-oos-not-deleting', 'Running', 1, { node: 'oos' }),
    pod('on-ready-oos', 'Running', 1, { node: 'readyOos', deleting: true }),
    pod('on-not-ready', 'Running', 1, { node: 'notReady', deleting: true }),
  ];
  expect(terminatingOutOfServicePods(pods, (n) => nodes[n]).map((p) => p.metadata?.name)).toEqual([
    'on-oos',
  ]);
});

test('terminating unscheduled pods are collected (upstream TestGCUnscheduledTerminating)', () => {
  const pods = [
    pod('unscheduled-deleting', 'Pending', 1, { deleting: true }),
    pod('scheduled-deleting', 'Running', 1, { node: 'n', deleting: true }),
    pod('unscheduled', 'Pending', 1),
  ];
  expect(unscheduledTerminatingPods(pods).map((p) => p.metadata?.name)).toEqual([
    'unscheduled-deleting',
  ]);
});

describe('PodGC against the API server, with a fake clock', () => {
  let h: ClusterHarness;
  let api: ApiClient;
  const clock = new FakeClock(Date.now());
  const podgc: ControllerDescriptor = {
    name: 'podgc',
    defaultConcurrency: 1,
    register: (c) => void registerPodGC(c),
  };

  beforeAll(async () => {
    h = await startClusterHarness({
      descriptors: [podgc],
      clock,
      terminatedPodGCThreshold: 1,
      setup: async (env) => {
        await env.client.create({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'default', namespace: 'default' },
        });
        await env.client.create(
          { apiVersion: 'v1', kind: 'Node', metadata: { name: 'real' } },
          { kind: Node },
        );
      },
    });
    api = h.env.client;
  });
  afterAll(() => h.stop());

  const exists = async (name: string) => {
    try {
      return await api.get(Pod, name, { namespace: 'default' });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  /** Moves the fake clock to the next 20 s pass. */
  const tick = async () => {
    await clock.advance(20_000);
  };

  test('pods on a node that stays missing for 40 s are deleted; pods on a live node are not', async () => {
    await api.create(testPod('default', 'on-ghost', { nodeName: 'ghost' }), { kind: Pod });
    await api.create(testPod('default', 'on-real', { nodeName: 'real' }), { kind: Pod });
    await eventually(async () => (await h.manager.client.list(Pod)).length === 2, 'pods cached');
    await tick(); // t=20 s: the node was first seen missing at t≤20 s; still in quarantine
    await new Promise((r) => setTimeout(r, 50));
    expect(await exists('on-ghost')).toBeDefined();
    await tick(); // t=40 s
    await tick(); // t=60 s: quarantine over for certain
    await eventually(async () => (await exists('on-ghost')) === undefined, 'orphaned pod deleted');
    expect(await exists('on-real')).toBeDefined();
  });

  test('a terminating unscheduled pod is marked Failed and force-deleted', async () => {
    await api.create(
      {
        ...testPod('default', 'stuck'),
        metadata: { name: 'stuck', namespace: 'default', finalizers: ['example.com/hold'] },
      },
      { kind: Pod },
    );
    await api.delete(Pod, 'stuck', { namespace: 'default' });
    await eventually(
      async () =>
        !!(await h.manager.client.get(Pod, 'stuck', { namespace: 'default' })).metadata
          ?.deletionTimestamp,
      'deletion cached',
    );
    await tick();
    await eventually(
      async () => (await exists('stuck'))?.status?.phase === 'Failed',
      'marked Failed',
    );
    await api.patch(Pod, 'stuck', { metadata: { finalizers: null } }, { namespace: 'default' });
  });

  test('terminated pods beyond the threshold (1) are deleted, oldest first', async () => {
    for (const name of ['done-1', 'done-2']) {
      await api.create(testPod('default', name), { kind: Pod });
      const p = await api.get(Pod, name, { namespace: 'default' });
      await api.updateStatus({ ...p, status: { phase: 'Succeeded' } }, { kind: Pod });
    }
    await eventually(
      async () =>
        (await h.manager.client.list(Pod)).filter((p) => p.status?.phase === 'Succeeded').length ===
        2,
      'cached',
    );
    await tick();
    await eventually(
      async () => (await exists('done-1')) === undefined,
      'oldest terminated pod deleted',
    );
    expect(await exists('done-2')).toBeDefined();
  });
});
