/**
 * The HPA controller against the in-process API server on a fake clock, scaling a Deployment
 * through its `/scale` subresource (no Deployment controller runs: only `spec.replicas` matters).
 * Metrics come from a fake source, as in upstream's `horizontal_test.go`, except in the case that
 * shows what happens against kuberx's API server, which serves no metrics API. Rows of the Part 3
 * checklist: formula (90 % of 50 % on 4 pods → 8; 53 % → unchanged), stabilization (no scale-down
 * before 300 s), min/max clamping with ScalingLimited, ScalingDisabled at 0 replicas.
 */
import { jest } from '@jest/globals';
import { CoreEvent, Deployment, HorizontalPodAutoscaler, Pod } from '../../framework/index.js';
import {
  advanceUntil,
  createNamespace,
  settle,
  startWorkloadEnv,
  type WorkloadEnv,
} from '../util/testing.js';
import { registerHorizontalPodAutoscalerController } from './index.js';
import type { MetricsClient, PodMetricsInfo } from './metrics.js';

jest.setTimeout(60_000);

/** CPU usage (milli) per pod name; pods without an entry have no sample. */
const usage = new Map<string, number>();

const fakeMetrics: MetricsClient = {
  async getResourceMetric(_resource, namespace) {
    const metrics: PodMetricsInfo = new Map();
    for (const [name, value] of usage) {
      if (name.startsWith(`${namespace}/`)) {
        metrics.set(name.slice(namespace.length + 1), {
          timestampMs: w.clock.now(),
          windowMs: 30_000,
          value,
        });
      }
    }
    if (metrics.size === 0) throw new Error('no metrics returned from resource metrics API');
    return { metrics, timestampMs: w.clock.now() };
  },
  getRawMetric: () => Promise.reject(new Error('unused')),
  getObjectMetric: () => Promise.reject(new Error('unused')),
  getExternalMetric: () => Promise.reject(new Error('unused')),
};

let w: WorkloadEnv;
let plain: WorkloadEnv;
let ns = '';
let seq = 0;

beforeAll(async () => {
  w = await startWorkloadEnv({
    register: (mgr) => registerHorizontalPodAutoscalerController(mgr, { metrics: fakeMetrics }),
  });
  plain = await startWorkloadEnv({
    register: (mgr) => registerHorizontalPodAutoscalerController(mgr),
  });
});

afterAll(async () => {
  await w.stop();
  await plain.stop();
});

beforeEach(async () => {
  ns = `hpa-${++seq}`;
  await createNamespace(w.client, ns);
});

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A Deployment of `replicas` with that many Running, Ready pods requesting 1 CPU each. */
async function target(env: WorkloadEnv, name: string, replicas: number, cpuMilli: number[] = []) {
  await env.client.create(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: 'app', image: 'nginx' }] },
        },
      },
    },
    { kind: Deployment },
  );
  for (let i = 0; i < replicas; i++) {
    const pod: Pod = await env.client.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-${i}`, namespace: ns, labels: { app: name } },
        spec: {
          nodeName: 'node-1',
          containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '1' } } }],
        },
      },
      { kind: Pod },
    );
    const started = env.clock.now() - 20 * 60_000;
    pod.status = {
      phase: 'Running',
      startTime: iso(started),
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(started + 60_000) }],
    };
    await env.client.updateStatus(pod, { kind: Pod });
    if (cpuMilli[i] !== undefined) usage.set(`${ns}/${name}-${i}`, cpuMilli[i]!);
  }
}

function setUsage(name: string, values: number[]): void {
  values.forEach((v, i) => usage.set(`${ns}/${name}-${i}`, v));
}

async function autoscaler(
  env: WorkloadEnv,
  name: string,
  spec: Partial<NonNullable<HorizontalPodAutoscaler['spec']>> = {},
): Promise<void> {
  await env.client.create(
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: 1,
        maxReplicas: 20,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
          },
        ],
        ...spec,
      },
    },
    { kind: HorizontalPodAutoscaler },
  );
}

const replicas = async (env: WorkloadEnv, name: string) =>
  (await env.client.get(Deployment, name, { namespace: ns })).spec?.replicas;
const hpa = (env: WorkloadEnv, name: string) =>
  env.client.get(HorizontalPodAutoscaler, name, { namespace: ns });
const condition = async (env: WorkloadEnv, name: string, type: string) =>
  (await hpa(env, name)).status?.conditions?.find((c) => c.type === type);

/** Moves fake time one sync period at a time until `fn` holds. */
async function syncUntil(
  env: WorkloadEnv,
  fn: () => Promise<boolean>,
  what: string,
  maxMs = 120_000,
) {
  await advanceUntil(env.clock, fn, what, { stepMs: 5_000, maxMs });
}

test('90% of a 50% target on 4 pods scales to ceil(4 × 1.8) = 8, one sync period after creation', async () => {
  await target(w, 'web', 4, [900, 900, 900, 900]);
  await autoscaler(w, 'web');
  await settle(w.client);
  expect(await replicas(w, 'web')).toBe(4);
  await syncUntil(w, async () => (await replicas(w, 'web')) === 8, 'the rescale to 8');
  const status = (await hpa(w, 'web')).status!;
  expect(status).toMatchObject({ currentReplicas: 4, desiredReplicas: 8 });
  expect(status.lastScaleTime).toBeDefined();
  expect(status.currentMetrics).toEqual([
    {
      type: 'Resource',
      resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '900m' } },
    },
  ]);
  expect(await condition(w, 'web', 'AbleToScale')).toMatchObject({
    status: 'True',
    reason: 'SucceededRescale',
  });
  expect(await condition(w, 'web', 'ScalingActive')).toMatchObject({
    status: 'True',
    reason: 'ValidMetricFound',
    message:
      'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
  });
  const events = (await w.client.list(CoreEvent, { namespace: ns })).items;
  expect(events.find((e) => e.reason === 'SuccessfulRescale')?.message).toBe(
    'New size: 8; reason: cpu resource utilization (percentage of request) above target',
  );
});

test('53% of a 50% target is within the tolerance: nothing changes', async () => {
  await target(w, 'calm', 4, [530, 530, 530, 530]);
  await autoscaler(w, 'calm');
  await syncUntil(
    w,
    async () => (await condition(w, 'calm', 'ScalingActive'))?.status === 'True',
    'a reconcile',
  );
  expect(await replicas(w, 'calm')).toBe(4);
  expect((await hpa(w, 'calm')).status).toMatchObject({ currentReplicas: 4, desiredReplicas: 4 });
  expect(await condition(w, 'calm', 'AbleToScale')).toMatchObject({ reason: 'ReadyForNewScale' });
});

test('a drop in load waits out the 300 s downscale stabilization', async () => {
  await target(w, 'drop', 4, [500, 500, 500, 500]);
  await autoscaler(w, 'drop');
  await syncUntil(
    w,
    async () => (await condition(w, 'drop', 'ScalingActive'))?.status === 'True',
    'a reconcile',
  );
  const start = w.clock.now();
  setUsage('drop', [100, 100, 100, 100]);
  await syncUntil(
    w,
    async () => (await condition(w, 'drop', 'AbleToScale'))?.reason === 'ScaleDownStabilized',
    'ScaleDownStabilized',
  );
  expect(await replicas(w, 'drop')).toBe(4);
  await syncUntil(w, async () => (await replicas(w, 'drop')) === 1, 'the scale-down', 400_000);
  expect(w.clock.now() - start).toBeGreaterThanOrEqual(300_000);
});

test('maxReplicas clamps with ScalingLimited TooManyReplicas; below minReplicas goes to the minimum', async () => {
  await target(w, 'clamp', 4, [900, 900, 900, 900]);
  await autoscaler(w, 'clamp', { maxReplicas: 5 });
  await syncUntil(w, async () => (await replicas(w, 'clamp')) === 5, 'the clamp to 5');
  expect(await condition(w, 'clamp', 'ScalingLimited')).toMatchObject({
    status: 'True',
    reason: 'TooManyReplicas',
    message: 'the desired replica count is more than the maximum replica count',
  });
  await w.client.patch(
    HorizontalPodAutoscaler,
    'clamp',
    { spec: { minReplicas: 7, maxReplicas: 9 } },
    { namespace: ns },
  );
  await syncUntil(w, async () => (await replicas(w, 'clamp')) === 7, 'the minimum');
  const events = (await w.client.list(CoreEvent, { namespace: ns })).items.map((e) => e.message);
  expect(events).toContain(
    'New size: 7; reason: Current number of replicas below Spec.MinReplicas',
  );
});

test('a target at 0 replicas disables scaling', async () => {
  await target(w, 'zero', 0);
  await autoscaler(w, 'zero');
  await syncUntil(
    w,
    async () => (await condition(w, 'zero', 'ScalingActive'))?.reason === 'ScalingDisabled',
    'ScalingDisabled',
  );
  expect(await condition(w, 'zero', 'ScalingActive')).toMatchObject({
    status: 'False',
    message: 'scaling is disabled since the replica count of the target is zero',
  });
  expect(await replicas(w, 'zero')).toBe(0);
});

test('a missing target reports FailedGetScale', async () => {
  await autoscaler(w, 'ghost');
  await syncUntil(
    w,
    async () => (await condition(w, 'ghost', 'AbleToScale'))?.status === 'False',
    'FailedGetScale',
  );
  expect(await condition(w, 'ghost', 'AbleToScale')).toMatchObject({
    reason: 'FailedGetScale',
    message: `the HPA controller was unable to get the target's current scale: deployments.apps "ghost" not found`,
  });
});

test('against kuberx (no metrics API): ScalingActive False FailedGetResourceMetric, no rescale', async () => {
  await createNamespace(plain.client, ns);
  await target(plain, 'nometrics', 2);
  await autoscaler(plain, 'nometrics');
  await syncUntil(
    plain,
    async () => (await condition(plain, 'nometrics', 'ScalingActive'))?.status === 'False',
    'the failure',
  );
  expect(await condition(plain, 'nometrics', 'ScalingActive')).toMatchObject({
    reason: 'FailedGetResourceMetric',
    message:
      'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
  });
  expect(await replicas(plain, 'nometrics')).toBe(2);
  const events = (await plain.client.list(CoreEvent, { namespace: ns })).items.map((e) => e.reason);
  expect(events).toEqual(
    expect.arrayContaining(['FailedGetResourceMetric', 'FailedComputeMetricsReplicas']),
  );
  expect((await hpa(plain, 'nometrics')).status?.currentMetrics).toEqual([{ type: '' }]);
});
