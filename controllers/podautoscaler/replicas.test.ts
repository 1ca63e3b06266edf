/**
 * The replica calculation, row by row from upstream's `replica_calculator_test.go`
 * (`TestReplicaCalcScaleUp`, `…ScaleDown`, `…Tolerance`, `…ScaleUpUnreadyLessScale`,
 * `…MissingMetricsNoChangeGt`, `…MissingMetricsScaleDown`-like, `…ScaleDownIgnoresFailedPods`,
 * `…ScaleDownIgnoresDeletionPods`, `…ScaleUpCM`, `…ScaleUpCMObject`, `…ScaleUpCMExternal`,
 * `…ScaleUpPerPodCMExternal`, `…MissingRequests`, `…NoMetrics`), with a fake metrics source.
 */
import { labelSelectorFromObject, type Pod, type Selector } from '../../framework/index.js';
import type { MetricsClient, PodMetricsInfo } from './metrics.js';
import { ReplicaCalculator } from './replicas.js';
import { groupPods } from './utilization.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const groupOptions = {
  now: () => NOW,
  cpuInitializationPeriodMs: 5 * 60_000,
  initialReadinessDelayMs: 30_000,
};
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface PodOpts {
  phase?: string;
  ready?: boolean;
  deleting?: boolean;
  request?: string | null;
}

function pods(opts: PodOpts[]): Pod[] {
  return opts.map((o, i) => ({
    metadata: {
      name: `p${i}`,
      namespace: 'ns',
      labels: { app: 'x' },
      deletionTimestamp: o.deleting ? iso(NOW) : undefined,
    },
    spec: {
      containers: [
        {
          name: 'app',
          resources: o.request === null ? {} : { requests: { cpu: o.request ?? '1' } },
        },
      ],
    },
    status: {
      phase: o.phase ?? 'Running',
      startTime: iso(NOW - 20 * 60_000),
      // A not-Ready pod turned so 10 s after starting: it has never been Ready.
      conditions: [
        {
          type: 'Ready',
          status: o.ready === false ? 'False' : 'True',
          lastTransitionTime: iso(NOW - 20 * 60_000 + (o.ready === false ? 10_000 : 60_000)),
        },
      ],
    },
  }));
}

const samples = (values: Array<number | undefined>): PodMetricsInfo =>
  new Map(
    values.flatMap((v, i) =>
      v === undefined
        ? []
        : [[`p${i}`, { timestampMs: NOW - 60_000, windowMs: 30_000, value: v }] as const],
    ),
  );

function calc(podList: Pod[], m: Partial<MetricsClient>): ReplicaCalculator {
  const metrics: MetricsClient = {
    getResourceMetric: async () => {
      throw new Error('no resource metrics');
    },
    getRawMetric: async () => {
      throw new Error('no custom metrics');
    },
    getObjectMetric: async () => {
      throw new Error('no object metrics');
    },
    getExternalMetric: async () => {
      throw new Error('no external metrics');
    },
    ...m,
  };
  return new ReplicaCalculator({
    metrics,
    pods: (_ns, selector) => podList.filter((p) => selector.matches(p.metadata?.labels)),
    now: () => NOW,
    tolerance: 0.1,
    cpuInitializationPeriodMs: 5 * 60_000,
    initialReadinessDelayMs: 30_000,
  });
}

const selector: Selector = labelSelectorFromObject({ matchLabels: { app: 'x' } });

describe('resource utilization', () => {
  test.each<
    [string, PodOpts[], Array<number | undefined>, number, number, number, number | undefined]
  >([
    // [name, pods, usage (milli), current, target %, expected replicas, expected utilization]
    ['scale up: 50% of 30% on 3 pods → 5', [{}, {}, {}], [300, 500, 700], 3, 30, 5, 50],
    [
      'scale down: 28% of 50% on 5 pods → 3',
      [{}, {}, {}, {}, {}],
      [100, 300, 500, 250, 250],
      5,
      50,
      3,
      28,
    ],
    ['within the 0.1 tolerance: unchanged', [{}, {}, {}], [1010, 1030, 1020], 3, 100, 3, 102],
    [
      'a Pending pod counts as 0 on a scale-up',
      [{ phase: 'Pending' }, {}, {}],
      [300, 500, 700],
      3,
      30,
      4,
      60,
    ],
    [
      'a not-Ready pod counts as 0 on a scale-up',
      [{ ready: false }, {}, {}],
      [300, 500, 700],
      3,
      30,
      4,
      60,
    ],
    [
      'a missing sample would reverse a scale-up: unchanged',
      [{}, {}],
      [1900, undefined],
      2,
      100,
      2,
      190,
    ],
    [
      'a missing sample counts as 100% on a scale-down',
      [{}, {}, {}, {}],
      [100, 100, 100, undefined],
      4,
      50,
      3,
      10,
    ],
    [
      'Failed pods are ignored',
      [{}, {}, {}, { phase: 'Failed' }, { phase: 'Failed' }],
      [100, 300, 500, 1000, 1000],
      5,
      50,
      2,
      30,
    ],
    [
      'pods being deleted are ignored',
      [{}, {}, {}, { deleting: true }],
      [100, 300, 500, 1000],
      4,
      50,
      2,
      30,
    ],
  ])('%s', async (_n, podOpts, usage, current, target, want, utilization) => {
    const c = calc(pods(podOpts), {
      getResourceMetric: async () => ({ metrics: samples(usage), timestampMs: NOW }),
    });
    const r = await c.resourceReplicas(current, target, 'cpu', 'ns', selector, '');
    expect(r.replicas).toBe(want);
    expect(r.utilization).toBe(utilization);
  });

  test('a container without a request is an error', async () => {
    const c = calc(pods([{ request: null }]), {
      getResourceMetric: async () => ({ metrics: samples([100]), timestampMs: NOW }),
    });
    await expect(c.resourceReplicas(1, 50, 'cpu', 'ns', selector, '')).rejects.toThrow(
      'missing request for cpu in container app of Pod p0',
    );
  });

  test('no metrics source: the error says which resource', async () => {
    const c = calc(pods([{}]), {});
    await expect(c.resourceReplicas(1, 50, 'cpu', 'ns', selector, '')).rejects.toThrow(
      'unable to get metrics for resource cpu: no resource metrics',
    );
  });

  test('samples only of unready pods: did not receive metrics', async () => {
    const c = calc(pods([{ phase: 'Pending' }]), {
      getResourceMetric: async () => ({ metrics: samples([100]), timestampMs: NOW }),
    });
    await expect(c.resourceReplicas(1, 50, 'cpu', 'ns', selector, '')).rejects.toThrow(
      'did not receive metrics for targeted pods (pods might be unready)',
    );
  });

  test('no pods: no pods returned by selector', async () => {
    const c = calc([], {
      getResourceMetric: async () => ({ metrics: samples([100]), timestampMs: NOW }),
    });
    await expect(c.resourceReplicas(1, 50, 'cpu', 'ns', selector, '')).rejects.toThrow(
      'no pods returned by selector while calculating replica count',
    );
  });

  test('an average value target (raw usage) scales on the average per pod', async () => {
    const c = calc(pods([{}, {}, {}]), {
      getResourceMetric: async () => ({ metrics: samples([300, 500, 700]), timestampMs: NOW }),
    });
    const r = await c.rawResourceReplicas(3, 250, 'cpu', 'ns', selector, '');
    expect(r).toMatchObject({ replicas: 6, rawUsage: 500 });
  });
});

describe('CPU readiness during initialization', () => {
  test('a pod started 1 min ago whose sample predates readiness + window is unready', () => {
    const [pod] = pods([{}]);
    pod!.status!.startTime = iso(NOW - 60_000);
    pod!.status!.conditions![0]!.lastTransitionTime = iso(NOW - 50_000);
    const g = groupPods(
      [pod!],
      new Map([['p0', { timestampMs: NOW - 40_000, windowMs: 30_000, value: 1 }]]),
      'cpu',
      groupOptions,
    );
    expect([...g.unready]).toEqual(['p0']);
    const fresh = groupPods(
      [pod!],
      new Map([['p0', { timestampMs: NOW - 10_000, windowMs: 30_000, value: 1 }]]),
      'cpu',
      groupOptions,
    );
    expect(fresh.ready).toBe(1);
  });

  test('after initialization, a never-ready pod is unready; one that was ready is not', () => {
    const [pod] = pods([{ ready: false }]);
    pod!.status!.conditions![0]!.lastTransitionTime = iso(NOW - 20 * 60_000 + 10_000);
    expect(groupPods([pod!], samples([1]), 'cpu', groupOptions).unready.size).toBe(1);
    pod!.status!.conditions![0]!.lastTransitionTime = iso(NOW - 60_000);
    expect(groupPods([pod!], samples([1]), 'cpu', groupOptions).ready).toBe(1);
    expect(groupPods([pod!], samples([1]), 'memory', groupOptions).ready).toBe(1);
  });
});

describe('custom, object and external metrics', () => {
  test('a pods metric: average 20 of target 15 on 3 pods → 4', async () => {
    const c = calc(pods([{}, {}, {}]), {
      getRawMetric: async () => ({ metrics: samples([20000, 10000, 30000]), timestampMs: NOW }),
    });
    const r = await c.metricReplicas(3, 15000, 'qps', 'ns', selector, labelSelectorFromObject({}));
    expect(r).toMatchObject({ replicas: 4, usage: 20000 });
  });

  test('an object metric: 20 of target 15 with 3 ready pods → 4', async () => {
    const c = calc(pods([{}, {}, {}]), {
      getObjectMetric: async () => ({ value: 20000, timestampMs: NOW }),
    });
    const r = await c.objectMetricReplicas(
      3,
      15000,
      'qps',
      'ns',
      { kind: 'Deployment', name: 'd' },
      selector,
      labelSelectorFromObject({}),
    );
    expect(r).toMatchObject({ replicas: 4, usage: 20000 });
  });

  test('an object metric scales from zero on the ratio alone', async () => {
    const c = calc([], { getObjectMetric: async () => ({ value: 20000, timestampMs: NOW }) });
    const r = await c.objectMetricReplicas(
      0,
      15000,
      'qps',
      'ns',
      { kind: 'Deployment', name: 'd' },
      selector,
      labelSelectorFromObject({}),
    );
    expect(r.replicas).toBe(2);
  });

  test('an external metric value: 8.6 of target 4.4 with 1 ready pod → 2', async () => {
    const c = calc(pods([{}]), {
      getExternalMetric: async () => ({ values: [8600], timestampMs: NOW }),
    });
    const r = await c.externalMetricReplicas(
      { spec: 1, status: 1 },
      { value: 4400 },
      'queue',
      'ns',
      labelSelectorFromObject({}),
      '{}',
      selector,
    );
    expect(r).toMatchObject({ replicas: 2, usage: 8600 });
  });

  test('an external metric per pod: 8.6 at 2.15 per pod → 4, usage per pod rounded up', async () => {
    const c = calc(pods([{}, {}, {}]), {
      getExternalMetric: async () => ({ values: [8600], timestampMs: NOW }),
    });
    const r = await c.externalMetricReplicas(
      { spec: 3, status: 3 },
      { averageValue: 2150 },
      'queue',
      'ns',
      labelSelectorFromObject({}),
      '{}',
      selector,
    );
    expect(r).toMatchObject({ replicas: 4, usage: 2867 });
  });

  test('an object metric error names the object (upstream wording)', async () => {
    const c = calc(pods([{}]), {});
    await expect(
      c.objectMetricReplicas(
        1,
        10,
        'qps',
        'ns',
        { kind: 'Service', name: 'svc' },
        selector,
        labelSelectorFromObject({}),
      ),
    ).rejects.toThrow('unable to get metric qps: Service on ns svc/no object metrics');
  });
});
