/**
 * The CronJob controller against the in-process API server on a fake clock (2026-01-01T00:00:00Z
 * at start). No Job controller runs: Jobs stay active until the test writes their final status.
 */
import { jest } from '@jest/globals';
import { CoreEvent, CronJob, Job, rfc3339 } from '../../framework/index.js';
import { advanceUntil, settle, workloadSuite, type WorkloadEnv } from '../util/testing.js';
import { registerCronJobController } from './index.js';
import { mostRecentScheduleTime, nextScheduleDuration } from './utils.js';
import { parseStandard } from '../../common/index.js';

jest.setTimeout(60_000);

let w: WorkloadEnv;
let ns = '';
workloadSuite(
  'cron',
  {
    register: (mgr) => registerCronJobController(mgr, { defaultTimeZone: 'UTC' }),
  },
  (env, name) => {
    w = env;
    ns = name;
  },
);

function cronJob(name: string, spec: Partial<NonNullable<CronJob['spec']>> = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: ns },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: {
        metadata: { labels: { team: 'a' }, annotations: { note: 'x' } },
        spec: {
          template: {
            spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
          },
        },
      },
      ...spec,
    },
  };
}

const jobsOf = async (name: string) =>
  (await w.client.list(Job, { namespace: ns })).items
    .filter((j) => j.metadata?.ownerReferences?.some((r) => r.name === name))
    .sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
const getCJ = (name: string) => w.client.get(CronJob, name, { namespace: ns });
const events = async () =>
  (await w.client.list(CoreEvent, { namespace: ns })).items.map((e) => [e.reason, e.message]);
const nextMinute = () => Math.floor(w.clock.now() / 60_000) * 60_000 + 60_000;
const tick = (check: () => Promise<boolean>, what: string) =>
  advanceUntil(w.clock, check, what, { stepMs: 1000 });

async function finish(job: Job, type: 'Complete' | 'Failed', atMs: number): Promise<void> {
  const at = rfc3339(new Date(atMs));
  const conditions =
    type === 'Complete'
      ? [
          { type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: at },
          { type: 'Complete', status: 'True', lastTransitionTime: at },
        ]
      : [
          { type: 'FailureTarget', status: 'True', lastTransitionTime: at },
          { type: 'Failed', status: 'True', lastTransitionTime: at },
        ];
  await w.client.patch(
    Job,
    job.metadata!.name!,
    {
      status: {
        startTime: at,
        completionTime: type === 'Complete' ? at : undefined,
        conditions,
        succeeded: type === 'Complete' ? 1 : 0,
        failed: type === 'Failed' ? 1 : 0,
      },
    },
    { namespace: ns, subresource: 'status' },
  );
}

test('each minute a Job <name>-<minutes since epoch> is created with the template, the scheduled time and an owner', async () => {
  const cj = await w.client.create(cronJob('minutely'));
  const at = nextMinute();
  await tick(async () => (await jobsOf('minutely')).length === 1, 'the first Job');
  expect(w.clock.now() - at).toBeLessThan(2000);
  const [job] = await jobsOf('minutely');
  expect(job!.metadata?.name).toBe(`minutely-${at / 60_000}`);
  expect(job!.metadata?.labels).toMatchObject({ team: 'a' });
  expect(job!.metadata?.annotations).toMatchObject({
    note: 'x',
    'batch.kubernetes.io/cronjob-scheduled-timestamp': rfc3339(new Date(at)),
  });
  expect(job!.metadata?.ownerReferences).toEqual([
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      name: 'minutely',
      uid: cj.metadata!.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ]);
  await tick(
    async () => ((await getCJ('minutely')).status?.active ?? []).length === 1,
    'status.active',
  );
  const status = (await getCJ('minutely')).status!;
  expect(status.lastScheduleTime).toBe(rfc3339(new Date(at)));
  expect(status.active?.[0]).toMatchObject({
    kind: 'Job',
    name: job!.metadata!.name,
    uid: job!.metadata!.uid,
    apiVersion: 'batch/v1',
  });
  expect(await events()).toContainEqual(['SuccessfulCreate', `Created job ${job!.metadata!.name}`]);
  await tick(async () => (await jobsOf('minutely')).length === 2, 'the second Job (Allow)');
});

test('Forbid skips a run while a Job is active (JobAlreadyActive)', async () => {
  await w.client.create(cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
  await tick(async () => (await jobsOf('forbid')).length === 1, 'the first Job');
  const second = nextMinute();
  await tick(async () => w.clock.now() > second + 1500, 'the next minute');
  await settle(w.client);
  expect(await jobsOf('forbid')).toHaveLength(1);
  expect(await events()).toContainEqual([
    'JobAlreadyActive',
    'Not starting job because prior execution is running and concurrency policy is Forbid',
  ]);
});

test('Replace deletes the running Job and starts a new one', async () => {
  await w.client.create(cronJob('replace', { concurrencyPolicy: 'Replace' }));
  await tick(async () => (await jobsOf('replace')).length === 1, 'the first Job');
  const [first] = await jobsOf('replace');
  await tick(async () => {
    const names = (await jobsOf('replace')).map((j) => j.metadata!.name);
    return names.length === 1 && names[0] !== first!.metadata!.name;
  }, 'the replacement');
  expect(await events()).toContainEqual([
    'SuccessfulDelete',
    `Deleted job ${first!.metadata!.name}`,
  ]);
});

test('finished Jobs leave status.active and only the newest within the history limits are kept', async () => {
  await w.client.create(
    cronJob('history', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }),
  );
  const done: string[] = [];
  for (let i = 0; i < 3; i++) {
    await tick(
      async () => (await jobsOf('history')).some((j) => !done.includes(j.metadata!.name!)),
      `Job ${i + 1}`,
    );
    const job = (await jobsOf('history')).find((j) => !done.includes(j.metadata!.name!))!;
    await finish(job, 'Complete', w.clock.now());
    done.push(job.metadata!.name!);
  }
  await tick(
    async () =>
      (await jobsOf('history')).filter((j) => done.includes(j.metadata!.name!)).length === 1,
    'history trimmed',
  );
  expect((await jobsOf('history')).map((j) => j.metadata!.name)).toContain(done[2]);
  const status = (await getCJ('history')).status!;
  expect((status.active ?? []).map((r) => r.name)).not.toContain(done[2]);
  expect(status.lastSuccessfulTime).toBeDefined();
  expect((await events()).some(([reason]) => reason === 'SawCompletedJob')).toBe(true);
});

test('a suspended CronJob starts nothing; resumed within startingDeadlineSeconds it skips the missed runs', async () => {
  await w.client.create(cronJob('late', { suspend: true, startingDeadlineSeconds: 10 }));
  await w.clock.advance(5 * 60_000 + 30_000);
  await settle(w.client);
  expect(await jobsOf('late')).toHaveLength(0);
  await w.client.patch(CronJob, 'late', { spec: { suspend: false } }, { namespace: ns });
  await settle(w.client);
  expect(await jobsOf('late')).toHaveLength(0);
  const at = nextMinute();
  await tick(async () => (await jobsOf('late')).length === 1, 'the next run');
  expect((await jobsOf('late'))[0]!.metadata!.name).toBe(`late-${at / 60_000}`);
});

test('resumed without a starting deadline, the most recent missed run starts at once', async () => {
  await w.client.create(cronJob('catchup', { suspend: true }));
  await w.clock.advance(3 * 60_000 + 30_000);
  const missed = Math.floor(w.clock.now() / 60_000) * 60_000;
  await w.client.patch(CronJob, 'catchup', { spec: { suspend: false } }, { namespace: ns });
  await tick(async () => (await jobsOf('catchup')).length === 1, 'the catch-up run');
  expect((await jobsOf('catchup'))[0]!.metadata!.name).toBe(`catchup-${missed / 60_000}`);
});

test('a timeZone schedules in that zone and stamps the scheduled time with its offset', async () => {
  await w.client.create(cronJob('tokyo', { schedule: '*/30 * * * *', timeZone: 'Asia/Tokyo' }));
  await advanceUntil(w.clock, async () => (await jobsOf('tokyo')).length === 1, 'a run', {
    stepMs: 5000,
    maxMs: 40 * 60_000,
  });
  const stamp = (await jobsOf('tokyo'))[0]!.metadata!.annotations![
    'batch.kubernetes.io/cronjob-scheduled-timestamp'
  ]!;
  expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:(00|30):00\+09:00$/);
});

describe('mostRecentScheduleTime and the next requeue', () => {
  const at = (s: string) => Date.parse(s);
  const cj = (created: string, last?: string, deadline?: number): CronJob => ({
    metadata: { creationTimestamp: created },
    spec: { schedule: '', jobTemplate: {}, startingDeadlineSeconds: deadline },
    status: { lastScheduleTime: last },
  });
  const hourly = parseStandard('0 * * * *', 'UTC');
  test.each([
    ['nothing due yet', cj('2026-01-01T10:10:00Z'), '2026-01-01T10:50:00Z', undefined, 'none'],
    [
      'one run due',
      cj('2026-01-01T10:10:00Z'),
      '2026-01-01T11:05:00Z',
      '2026-01-01T11:00:00Z',
      'none',
    ],
    [
      'several missed: the most recent',
      cj('2026-01-01T10:10:00Z'),
      '2026-01-01T15:05:00Z',
      '2026-01-01T15:00:00Z',
      'few',
    ],
    [
      'from lastScheduleTime',
      cj('2026-01-01T00:00:00Z', '2026-01-01T14:00:00Z'),
      '2026-01-01T14:30:00Z',
      undefined,
      'none',
    ],
    [
      'more than 100 missed',
      cj('2025-12-01T00:00:00Z'),
      '2026-01-01T00:30:00Z',
      '2026-01-01T00:00:00Z',
      'many',
    ],
  ])('%s', (_name, c, now, expected, missed) => {
    const r = mostRecentScheduleTime(c, at(now), hourly, true);
    expect(
      r.mostRecentMs === undefined
        ? undefined
        : new Date(r.mostRecentMs).toISOString().replace('.000', ''),
    ).toBe(expected);
    expect(r.missed).toBe(missed);
  });

  test('startingDeadlineSeconds hides runs older than the deadline', () => {
    const r = mostRecentScheduleTime(
      cj('2026-01-01T10:10:00Z', undefined, 600),
      at('2026-01-01T12:30:00Z'),
      hourly,
      true,
    );
    expect(r.mostRecentMs).toBeUndefined();
  });

  test('the requeue lands 100 ms after the next scheduled time', () => {
    expect(
      nextScheduleDuration(
        cj('2026-01-01T10:10:00Z', '2026-01-01T11:00:00Z'),
        at('2026-01-01T11:20:00Z'),
        hourly,
      ),
    ).toBe(40 * 60_000 + 100);
  });
});
