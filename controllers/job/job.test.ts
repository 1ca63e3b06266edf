/**
 * The Job controller against the in-process API server on a fake clock; the test plays the
 * kubelet (pods succeed or fail when told). Mirrors upstream's `test/integration/job` cases:
 * defaults, parallelism, work queues, backoff timings, deadlines, Indexed Jobs, podFailurePolicy,
 * suspend/resume, the tracking finalizer and the FailureTarget → Failed order.
 */
import { jest } from '@jest/globals';
import { CoreEvent, Job, Pod, rfc3339 } from '../../framework/index.js';
import { eventually } from '../../framework/testing/index.js';
import {
  advanceUntil,
  listPods,
  markFinished,
  markReady,
  settle,
  workloadSuite,
  type WorkloadEnv,
} from '../util/testing.js';
import { registerJobController } from './index.js';

jest.setTimeout(60_000);

let w: WorkloadEnv;
let ns = '';
workloadSuite('job', { register: (mgr) => registerJobController(mgr) }, (env, name) => {
  w = env;
  ns = name;
});

function job(name: string, spec: Partial<NonNullable<Job['spec']>> = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns },
    spec: {
      template: {
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
      },
      ...spec,
    } as NonNullable<Job['spec']>,
  };
}

const getJob = (name: string) => w.client.get(Job, name, { namespace: ns });
const cond = (j: Job, type: string) => j.status?.conditions?.find((c) => c.type === type);

/** Pods of the Job that are neither finished nor being deleted, oldest first. */
async function running(name: string): Promise<Pod[]> {
  return (await listPods(w.client, ns, `batch.kubernetes.io/job-name=${name}`)).filter(
    (p) =>
      !p.metadata?.deletionTimestamp &&
      p.status?.phase !== 'Succeeded' &&
      p.status?.phase !== 'Failed',
  );
}

async function allPods(name: string): Promise<Pod[]> {
  return listPods(w.client, ns, `batch.kubernetes.io/job-name=${name}`);
}

/** Advances fake time (for the 1 s batch period) until `check` holds. */
const until = (check: () => Promise<boolean>, what: string) =>
  advanceUntil(w.clock, check, what, { stepMs: 250 });

test('a Job with defaults runs one pod with the tracking finalizer and completes with SuccessCriteriaMet then Complete', async () => {
  const created = await w.client.create(job('once'));
  expect(created.spec).toMatchObject({
    completions: 1,
    parallelism: 1,
    backoffLimit: 6,
    completionMode: 'NonIndexed',
    suspend: false,
  });
  await until(async () => (await running('once')).length === 1, 'a pod');
  const [pod] = await running('once');
  expect(pod!.metadata?.generateName).toBe('once-');
  expect(pod!.metadata?.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
  expect(pod!.metadata?.labels).toMatchObject({
    'batch.kubernetes.io/job-name': 'once',
    'batch.kubernetes.io/controller-uid': created.metadata!.uid,
  });
  expect(pod!.metadata?.ownerReferences).toEqual([
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: 'once',
      uid: created.metadata!.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  await until(async () => (await getJob('once')).status?.active === 1, 'active 1');
  expect((await getJob('once')).status?.startTime).toBeDefined();
  await markFinished(w.client, pod!, 'Succeeded', w.clock.now());
  await until(async () => !!cond(await getJob('once'), 'Complete'), 'Complete');
  const done = await getJob('once');
  expect(done.status).toMatchObject({ succeeded: 1, active: 0, ready: 0, terminating: 0 });
  expect(done.status?.completionTime).toBe(cond(done, 'Complete')!.lastTransitionTime);
  expect(done.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
    [
      'SuccessCriteriaMet',
      'True',
      'CompletionsReached',
      'Reached expected number of succeeded pods',
    ],
    ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
  ]);
  const finished = await w.client.get(Pod, pod!.metadata!.name!, { namespace: ns });
  expect(finished.metadata?.finalizers ?? []).toEqual([]);
  const events = (await w.client.list(CoreEvent, { namespace: ns })).items.map((e) => [
    e.reason,
    e.message,
  ]);
  expect(events).toContainEqual(['SuccessfulCreate', `Created pod: ${pod!.metadata!.name}`]);
  expect(events).toContainEqual(['Completed', 'Job completed']);
});

test('completions 5 with parallelism 2 never runs more than 2 pods and completes after 5 successes', async () => {
  await w.client.create(job('par', { completions: 5, parallelism: 2 }));
  let peak = 0;
  for (let done = 0; done < 5;) {
    await until(
      async () => (await running('par')).length === Math.min(2, 5 - done),
      `${Math.min(2, 5 - done)} running`,
    );
    await settle(w.client);
    const pods = await running('par');
    peak = Math.max(peak, pods.length);
    await markFinished(w.client, pods[0]!, 'Succeeded', w.clock.now());
    done++;
  }
  await until(async () => !!cond(await getJob('par'), 'Complete'), 'Complete');
  expect(peak).toBe(2);
  expect((await getJob('par')).status?.succeeded).toBe(5);
  expect((await allPods('par')).length).toBe(5);
});

test('a work-queue Job (no completions) starts no pod after the first success and completes when all finish', async () => {
  await w.client.create(job('queue', { parallelism: 3 }));
  await until(async () => (await running('queue')).length === 3, '3 pods');
  const pods = await running('queue');
  await markFinished(w.client, pods[0]!, 'Succeeded', w.clock.now());
  await until(async () => (await getJob('queue')).status?.succeeded === 1, 'succeeded 1');
  await settle(w.client);
  expect((await allPods('queue')).length).toBe(3);
  expect(cond(await getJob('queue'), 'Complete')).toBeUndefined();
  await markFinished(w.client, pods[1]!, 'Succeeded', w.clock.now());
  await markFinished(w.client, pods[2]!, 'Succeeded', w.clock.now());
  await until(async () => !!cond(await getJob('queue'), 'Complete'), 'Complete');
});

test('failed pods are re-created after 10 s, then 20 s, and the Job fails past backoffLimit (FailureTarget first)', async () => {
  await w.client.create(job('backoff', { backoffLimit: 2 }));
  const gaps: number[] = [];
  let lastFailure = 0;
  for (let i = 0; i < 3; i++) {
    await until(async () => (await running('backoff')).length === 1, `pod ${i + 1}`);
    if (i > 0)
      gaps.push(
        Date.parse((await running('backoff'))[0]!.metadata!.creationTimestamp!) - lastFailure,
      );
    const [pod] = await running('backoff');
    // status times have second precision
    lastFailure = Math.floor(w.clock.now() / 1000) * 1000;
    await markFinished(w.client, pod!, 'Failed', lastFailure);
  }
  await until(async () => !!cond(await getJob('backoff'), 'Failed'), 'Failed');
  expect(gaps[0]).toBeGreaterThanOrEqual(10_000);
  expect(gaps[0]).toBeLessThan(12_000);
  expect(gaps[1]).toBeGreaterThanOrEqual(20_000);
  expect(gaps[1]).toBeLessThan(22_000);
  const failed = await getJob('backoff');
  expect(failed.status?.conditions?.map((c) => [c.type, c.reason])).toEqual([
    ['FailureTarget', 'BackoffLimitExceeded'],
    ['Failed', 'BackoffLimitExceeded'],
  ]);
  expect(cond(failed, 'Failed')?.message).toBe('Job has reached the specified backoff limit');
  expect(failed.status?.failed).toBe(3);
  expect(failed.status?.completionTime).toBeUndefined();
  expect((await allPods('backoff')).every((p) => (p.metadata?.finalizers ?? []).length === 0)).toBe(
    true,
  );
});

test('activeDeadlineSeconds deletes running pods and fails the Job with DeadlineExceeded once they are gone', async () => {
  await w.client.create(
    job('deadline', { activeDeadlineSeconds: 5, parallelism: 2, completions: 2 }),
  );
  await until(async () => (await running('deadline')).length === 2, '2 pods');
  const start = Date.parse((await getJob('deadline')).status!.startTime!);
  await markReady(w.client, (await running('deadline'))[0]!, w.clock.now());
  await until(async () => !!cond(await getJob('deadline'), 'Failed'), 'Failed');
  expect(w.clock.now() - start).toBeGreaterThanOrEqual(5_000);
  expect(w.clock.now() - start).toBeLessThan(8_000);
  const j = await getJob('deadline');
  expect(j.status?.conditions?.map((c) => [c.type, c.reason])).toEqual([
    ['FailureTarget', 'DeadlineExceeded'],
    ['Failed', 'DeadlineExceeded'],
  ]);
  expect(cond(j, 'Failed')?.message).toBe('Job was active longer than specified deadline');
  expect(j.status).toMatchObject({ active: 0, failed: 2 });
  expect(await allPods('deadline')).toEqual([]);
});

test('an Indexed Job gives each pod its index and reports completedIndexes', async () => {
  await w.client.create(
    job('indexed', { completions: 3, parallelism: 3, completionMode: 'Indexed' }),
  );
  await until(async () => (await running('indexed')).length === 3, '3 pods');
  const pods = await running('indexed');
  const byIndex = new Map(
    pods.map((p) => [p.metadata!.annotations!['batch.kubernetes.io/job-completion-index']!, p]),
  );
  expect([...byIndex.keys()].sort()).toEqual(['0', '1', '2']);
  for (const [ix, p] of byIndex) {
    expect(p.metadata?.labels?.['batch.kubernetes.io/job-completion-index']).toBe(ix);
    expect(p.metadata?.generateName).toBe(`indexed-${ix}-`);
    expect(p.spec?.hostname).toBe(`indexed-${ix}`);
    expect(p.spec?.containers[0]?.env).toContainEqual({
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: {
        fieldRef: {
          apiVersion: 'v1',
          fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']",
        },
      },
    });
  }
  await markFinished(w.client, byIndex.get('0')!, 'Succeeded', w.clock.now());
  await markFinished(w.client, byIndex.get('2')!, 'Succeeded', w.clock.now());
  await until(
    async () => (await getJob('indexed')).status?.completedIndexes === '0,2',
    'completedIndexes 0,2',
  );
  await markFinished(w.client, byIndex.get('1')!, 'Succeeded', w.clock.now());
  await until(async () => !!cond(await getJob('indexed'), 'Complete'), 'Complete');
  expect((await getJob('indexed')).status).toMatchObject({ completedIndexes: '0-2', succeeded: 3 });
});

test('a failed Indexed pod is replaced with the same index', async () => {
  await w.client.create(
    job('reindex', { completions: 2, parallelism: 2, completionMode: 'Indexed' }),
  );
  await until(async () => (await running('reindex')).length === 2, '2 pods');
  const one = (await running('reindex')).find(
    (p) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'] === '1',
  )!;
  await markFinished(w.client, one, 'Failed', w.clock.now());
  await until(async () => (await running('reindex')).length === 2, 'a replacement');
  const indexes = (await running('reindex'))
    .map((p) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'])
    .sort();
  expect(indexes).toEqual(['0', '1']);
});

test('backoffLimitPerIndex: an index failing past its limit is reported in failedIndexes and fails the Job', async () => {
  await w.client.create(
    job('perindex', {
      completions: 2,
      parallelism: 2,
      completionMode: 'Indexed',
      backoffLimitPerIndex: 1,
    }),
  );
  await until(async () => (await running('perindex')).length === 2, '2 pods');
  const indexOf = (p: Pod) => p.metadata!.annotations!['batch.kubernetes.io/job-completion-index'];
  const zero = (await running('perindex')).find((p) => indexOf(p) === '0')!;
  await markFinished(w.client, zero, 'Succeeded', w.clock.now());
  for (let attempt = 0; attempt < 2; attempt++) {
    await until(
      async () => (await running('perindex')).some((p) => indexOf(p) === '1'),
      `index 1, attempt ${attempt + 1}`,
    );
    const one = (await running('perindex')).find((p) => indexOf(p) === '1')!;
    expect(one.metadata!.annotations!['batch.kubernetes.io/job-index-failure-count']).toBe(
      String(attempt),
    );
    await markFinished(w.client, one, 'Failed', Math.floor(w.clock.now() / 1000) * 1000);
  }
  await until(async () => !!cond(await getJob('perindex'), 'Failed'), 'Failed');
  const j = await getJob('perindex');
  expect(j.status).toMatchObject({
    completedIndexes: '0',
    failedIndexes: '1',
    succeeded: 1,
    failed: 2,
  });
  expect(cond(j, 'Failed')).toMatchObject({
    reason: 'FailedIndexes',
    message: 'Job has failed indexes',
  });
});

test('podFailurePolicy: FailJob on exit code 42 fails the Job with reason PodFailurePolicy', async () => {
  await w.client.create(
    job('policy', {
      backoffLimit: 6,
      podFailurePolicy: {
        rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }],
      },
    }),
  );
  await until(async () => (await running('policy')).length === 1, 'a pod');
  const [pod] = await running('policy');
  await markFinished(w.client, pod!, 'Failed', w.clock.now(), { exitCode: 42 });
  await until(async () => !!cond(await getJob('policy'), 'Failed'), 'Failed');
  expect(cond(await getJob('policy'), 'Failed')).toMatchObject({
    reason: 'PodFailurePolicy',
    message: `Container main for pod ${ns}/${pod!.metadata!.name} failed with exit code 42 matching FailJob rule at index 0`,
  });
});

test('podFailurePolicy: Ignore on DisruptionTarget does not count the failure and replaces the pod', async () => {
  await w.client.create(
    job('ignore', {
      backoffLimit: 0,
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        ],
      },
    }),
  );
  await until(async () => (await running('ignore')).length === 1, 'a pod');
  const [pod] = await running('ignore');
  await markFinished(w.client, pod!, 'Failed', w.clock.now(), {
    conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI' }],
  });
  await until(
    async () =>
      (await running('ignore')).length === 1 &&
      (await running('ignore'))[0]!.metadata!.uid !== pod!.metadata!.uid,
    'a replacement',
  );
  const j = await getJob('ignore');
  expect(j.status?.failed ?? 0).toBe(0);
  expect(cond(j, 'Failed')).toBeUndefined();
});

test('suspending deletes the active pods; resuming resets startTime and runs pods again', async () => {
  await w.client.create(job('susp', { parallelism: 2, completions: 4 }));
  await until(async () => (await running('susp')).length === 2, '2 pods');
  const firstStart = (await getJob('susp')).status!.startTime!;
  await w.client.patch(Job, 'susp', { spec: { suspend: true } }, { namespace: ns });
  await until(async () => (await allPods('susp')).length === 0, 'pods deleted');
  await until(async () => cond(await getJob('susp'), 'Suspended')?.status === 'True', 'Suspended');
  expect(cond(await getJob('susp'), 'Suspended')).toMatchObject({
    reason: 'JobSuspended',
    message: 'Job suspended',
  });
  expect((await getJob('susp')).status?.active).toBe(0);
  await w.clock.advance(30_000);
  await w.client.patch(Job, 'susp', { spec: { suspend: false } }, { namespace: ns });
  await until(async () => (await running('susp')).length === 2, '2 pods again');
  await until(async () => cond(await getJob('susp'), 'Suspended')?.status === 'False', 'resumed');
  const resumed = await getJob('susp');
  expect(cond(resumed, 'Suspended')).toMatchObject({
    reason: 'JobResumed',
    message: 'Job resumed',
  });
  expect(Date.parse(resumed.status!.startTime!)).toBeGreaterThan(Date.parse(firstStart));
  const events = (await w.client.list(CoreEvent, { namespace: ns })).items.map((e) => e.reason);
  expect(events).toEqual(expect.arrayContaining(['Suspended', 'Resumed']));
});

test('an orphan pod keeping the tracking finalizer has it removed', async () => {
  await w.client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'stray', namespace: ns, finalizers: ['batch.kubernetes.io/job-tracking'] },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  } as Pod);
  await eventually(
    async () =>
      ((await w.client.get(Pod, 'stray', { namespace: ns })).metadata?.finalizers ?? []).length ===
      0,
    'finalizer removed',
  );
  void rfc3339;
});
