import { pods } from './pods.js';
import { row } from '../testing/harness.js';

describe('pods: table (printPod)', () => {
  const base = (
    status: Record<string, unknown>,
    spec: Record<string, unknown> = {},
    meta: Record<string, unknown> = {},
  ) => ({
    metadata: {
      name: 'web',
      namespace: 'default',
      creationTimestamp: '2024-01-01T00:00:00Z',
      ...meta,
    },
    spec: { containers: [{ name: 'a' }, { name: 'b' }], ...spec },
    status,
  });
  const running = { running: {} };

  test('column names and priorities are upstream', () => {
    expect(pods.table!.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
  });

  test.each([
    ['a pending pod', { phase: 'Pending' }, {}, {}, '0/2', 'Pending'],
    [
      'a running pod with both containers ready',
      {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: true, state: running },
          { name: 'b', ready: true, state: running },
        ],
      },
      {},
      {},
      '2/2',
      'Running',
    ],
    [
      'a crash-looping container',
      {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'a',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ],
      },
      {},
      {},
      '0/2',
      'CrashLoopBackOff',
    ],
    [
      'a completed pod',
      {
        phase: 'Succeeded',
        containerStatuses: [
          { name: 'a', state: { terminated: { reason: 'Completed', exitCode: 0 } } },
        ],
      },
      {},
      {},
      '0/2',
      'Completed',
    ],
    [
      'an exit code without reason',
      {
        phase: 'Failed',
        containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }],
      },
      {},
      {},
      '0/2',
      'ExitCode:2',
    ],
    [
      'a signal without reason',
      {
        phase: 'Failed',
        containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 137, signal: 9 } } }],
      },
      {},
      {},
      '0/2',
      'Signal:9',
    ],
    [
      'a running init container',
      { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: running }] },
      { initContainers: [{ name: 'i' }] },
      {},
      '0/2',
      'Init:0/1',
    ],
    [
      'a failing init container',
      {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
      { initContainers: [{ name: 'i' }] },
      {},
      '0/2',
      'Init:CrashLoopBackOff',
    ],
    [
      'an init container that exited 1',
      {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i', state: { terminated: { exitCode: 1 } } }],
      },
      { initContainers: [{ name: 'i' }] },
      {},
      '0/2',
      'Init:ExitCode:1',
    ],
    [
      'a deleted running pod',
      { phase: 'Running' },
      {},
      { deletionTimestamp: '2024-01-01T00:59:00Z' },
      '0/2',
      'Terminating',
    ],
    [
      'a deleted pod on a lost node',
      { phase: 'Running', reason: 'NodeLost' },
      {},
      { deletionTimestamp: '2024-01-01T00:59:00Z' },
      '0/2',
      'Unknown',
    ],
    [
      'a scheduling-gated pod',
      {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      },
      {},
      {},
      '0/2',
      'SchedulingGated',
    ],
    ['an evicted pod', { phase: 'Failed', reason: 'Evicted' }, {}, {}, '0/2', 'Evicted'],
    [
      'a sidecar counts as a container',
      {
        phase: 'Running',
        initContainerStatuses: [{ name: 'i', started: true, ready: true, state: running }],
        conditions: [{ type: 'Initialized', status: 'True' }],
        containerStatuses: [{ name: 'a', ready: true, state: running }],
      },
      { initContainers: [{ name: 'i', restartPolicy: 'Always' }] },
      {},
      '2/3',
      'Running',
    ],
  ])('%s shows READY %s… STATUS', (_case, status, spec, meta, ready, reason) => {
    const r = row(pods, base(status, spec, meta));
    expect([r.Ready, r.Status]).toEqual([ready, reason]);
  });

  test('restarts show the age of the last restart', () => {
    const r = row(
      pods,
      base({
        phase: 'Running',
        containerStatuses: [
          {
            name: 'a',
            restartCount: 2,
            state: running,
            lastState: { terminated: { finishedAt: '2024-01-01T00:55:00Z' } },
          },
        ],
      }),
    );
    expect(r.Restarts).toBe('2 (5m ago)');
    expect(r.Age).toBe('60m');
  });

  test('wide columns show <none> when unset, and readiness gates are counted', () => {
    const r = row(
      pods,
      base(
        {
          phase: 'Running',
          podIPs: [{ ip: '10.1.1.1' }],
          conditions: [{ type: 'x', status: 'True' }],
        },
        { nodeName: 'n1', readinessGates: [{ conditionType: 'x' }, { conditionType: 'y' }] },
      ),
    );
    expect([r.IP, r.Node, r['Nominated Node'], r['Readiness Gates']]).toEqual([
      '10.1.1.1',
      'n1',
      '<none>',
      '1/2',
    ]);
    const empty = row(pods, base({ phase: 'Pending' }));
    expect([empty.IP, empty.Node, empty['Readiness Gates']]).toEqual([
      '<none>',
      '<none>',
      '<none>',
    ]);
  });
});
