import { jobs } from './jobs.js';
import { cronJobs } from './cronjobs.js';
import { parseCronError } from './cron.js';
import { create, row, update, updateStatus } from '../testing/harness.js';

const tmpl = (restartPolicy = 'Never') => ({
  spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox:1' }] },
});
const job = (spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'pi', uid: 'u-1' },
  spec: { template: tmpl(), ...spec },
});

describe('jobs (SetDefaults_Job, ValidateJob, generateSelector)', () => {
  test('defaults and the generated selector', () => {
    const { obj, errors } = create(jobs, job());
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } },
      template: {
        metadata: {
          labels: {
            'batch.kubernetes.io/controller-uid': 'u-1',
            'controller-uid': 'u-1',
            'batch.kubernetes.io/job-name': 'pi',
            'job-name': 'pi',
          },
        },
      },
    });
    expect(obj.status).toEqual({});
    expect(obj.metadata!.generation).toBe(1);
  });

  test('only parallelism given leaves completions unset', () => {
    const { obj } = create(jobs, job({ parallelism: 3 }));
    expect((obj.spec as any).completions).toBeUndefined();
    expect((obj.spec as any).parallelism).toBe(3);
  });

  test.each([
    [
      'restartPolicy Always is not allowed',
      job({ template: tmpl('Always') }),
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ],
    [
      'backoffLimit is non-negative',
      job({ backoffLimit: -1 }),
      'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      'Indexed needs completions',
      job({ completionMode: 'Indexed', parallelism: 2 }),
      'spec.completions: Required value: when completion mode is Indexed',
    ],
    [
      'a manual selector must match',
      job({ manualSelector: true, selector: { matchLabels: { a: 'b' } } }),
      'spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`',
    ],
  ])('%s', (_rule, input, message) => {
    expect(create(jobs, input).errors).toContain(message);
  });

  test('the template is immutable unless the job stays suspended; completions too', () => {
    const { obj: old } = create(jobs, job());
    const next = structuredClone(old);
    (next.spec as any).template.spec.containers[0].image = 'busybox:2';
    expect(update(jobs, next, old).errors[0]).toMatch(
      /^spec.template: Invalid value: .*: field is immutable$/,
    );
    const suspendedOld = structuredClone(old);
    (suspendedOld.spec as any).suspend = true;
    const suspendedNext = structuredClone(next);
    (suspendedNext.spec as any).suspend = true;
    expect(update(jobs, suspendedNext, suspendedOld).errors).toEqual([]);
  });

  test('jobs orphan pods by default in batch/v1 and are selectable by status.successful', () => {
    expect(jobs.defaultPropagation).toBe('Orphan');
    expect(
      jobs.fieldLabels!({ metadata: { name: 'j', namespace: 'd' }, status: { succeeded: 2 } })[
        'status.successful'
      ],
    ).toBe('2');
  });

  test.each([
    [[{ type: 'Complete', status: 'True' }], {}, 'Complete'],
    [[{ type: 'Failed', status: 'True' }], {}, 'Failed'],
    [[{ type: 'Suspended', status: 'True' }], {}, 'Suspended'],
    [[{ type: 'FailureTarget', status: 'True' }], {}, 'FailureTarget'],
    [[], { deletionTimestamp: '2024-01-01T00:00:00Z' }, 'Terminating'],
    [[{ type: 'Complete', status: 'False' }], {}, 'Running'],
  ])('STATUS with conditions %j is %s', (conditions, meta, status) => {
    expect(
      row(jobs, { metadata: { name: 'j', ...meta }, spec: {}, status: { conditions } }).Status,
    ).toBe(status);
  });

  test.each([
    [{ completions: 3 }, { succeeded: 1 }, '1/3'],
    [{ parallelism: 4 }, { succeeded: 0 }, '0/1 of 4'],
    [{ parallelism: 1 }, { succeeded: 1 }, '1/1'],
  ])('COMPLETIONS of %j / %j is %s', (spec, status, text) => {
    expect(row(jobs, { metadata: { name: 'j' }, spec, status }).Completions).toBe(text);
  });

  test('DURATION runs until completion', () => {
    const running = row(jobs, {
      metadata: { name: 'j' },
      spec: {},
      status: { startTime: '2024-01-01T00:58:01Z' },
    });
    expect(running.Duration).toBe('119s');
    const done = row(jobs, {
      metadata: { name: 'j' },
      spec: {},
      status: { startTime: '2024-01-01T00:00:00Z', completionTime: '2024-01-01T00:00:42Z' },
    });
    expect(done.Duration).toBe('42s');
    expect(row(jobs, { metadata: { name: 'j' }, spec: {} }).Duration).toBe('');
  });
});

describe('cronjobs', () => {
  const cj = (spec: Record<string, unknown> = {}, name = 'nightly') => ({
    metadata: { name },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: { spec: { template: tmpl('OnFailure') } },
      ...spec,
    },
  });

  test('defaults', () => {
    const { obj, errors } = create(cronJobs, cj());
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
  });

  test.each([
    [
      'names are at most 52 characters',
      cj({}, 'a'.repeat(53)),
      `metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`,
    ],
    ['the schedule is required', cj({ schedule: '' }), 'spec.schedule: Required value'],
    [
      'the schedule has five fields',
      cj({ schedule: '* * *' }),
      'spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]',
    ],
    [
      'TZ belongs in spec.timeZone',
      cj({ schedule: 'TZ=UTC 0 3 * * *' }),
      'spec.schedule: Invalid value: "TZ=UTC 0 3 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ],
    [
      'time zones must exist',
      cj({ timeZone: 'Mars/Olympus' }),
      'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
    ],
    [
      'concurrencyPolicy is an enum',
      cj({ concurrencyPolicy: 'Sometimes' }),
      'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ],
    [
      'the job template restart policy',
      cj({ jobTemplate: { spec: { template: tmpl('Always') } } }),
      'spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ],
  ])('%s', (_rule, input, message) => {
    expect(create(cronJobs, input).errors).toContain(message);
  });

  test.each([
    ['*/5 * * * *', ''],
    ['0 0 1 jan mon', ''],
    ['0-59/15 9-17 * * 1-5', ''],
    ['@hourly', ''],
    ['@every 1h30m', ''],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ])('cron %j → %j', (spec, err) => {
    expect(parseCronError(spec)).toBe(err);
  });

  test('the table', () => {
    const r = row(cronJobs, {
      ...cj({ timeZone: 'Etc/UTC' }),
      metadata: { name: 'n', creationTimestamp: '2024-01-01T00:00:00Z' },
      status: { active: [{}], lastScheduleTime: '2024-01-01T00:30:00Z' },
    });
    expect(r).toMatchObject({
      Schedule: '0 3 * * *',
      Timezone: 'Etc/UTC',
      Suspend: '<unset>',
      Active: 1,
      'Last Schedule': '30m',
      Age: '60m',
    });
  });
});

describe('jobs: status updates (validateJobStatusUpdate)', () => {
  const stored = () => create(jobs, job()).obj;

  test('a Complete job needs completionTime, SuccessCriteriaMet and startTime', () => {
    const old = stored();
    const next = {
      ...structuredClone(old),
      status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
    };
    expect(updateStatus(jobs, next, old).errors).toEqual([
      'status.completionTime: Required value: completionTime is required for Complete jobs',
      'status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition',
      'status.startTime: Required value: startTime is required for finished job',
    ]);
  });

  test('the way the job controller finishes a job is accepted, and spec is kept', () => {
    const old = stored();
    const next = structuredClone(old);
    (next.spec as any).parallelism = 9;
    next.status = {
      succeeded: 1,
      startTime: '2024-01-01T00:00:00Z',
      completionTime: '2024-01-01T00:00:10Z',
      conditions: [
        { type: 'SuccessCriteriaMet', status: 'True' },
        { type: 'Complete', status: 'True' },
      ],
    };
    const { obj, errors } = updateStatus(jobs, next, old);
    expect(errors).toEqual([]);
    expect((obj.spec as any).parallelism).toBe(1);
  });

  test('counters are non-negative and startTime of a running job cannot change', () => {
    const old = { ...stored(), status: { startTime: '2024-01-01T00:00:00Z' } };
    const next = {
      ...structuredClone(old),
      status: { startTime: '2024-01-01T00:00:05Z', failed: -1 },
    };
    expect(updateStatus(jobs, next, old).errors).toEqual([
      'status.failed: Invalid value: -1: must be greater than or equal to 0',
      'status.startTime: Required value: startTime cannot be removed for unsuspended job',
    ]);
  });

  test('startTime may change while suspended and as the job resumes (Suspended True → False)', () => {
    const suspended = {
      ...stored(),
      status: {
        startTime: '2024-01-01T00:00:00Z',
        conditions: [{ type: 'Suspended', status: 'True' }],
      },
    };
    const resumed = {
      ...structuredClone(suspended),
      status: {
        startTime: '2024-01-01T00:05:00Z',
        conditions: [{ type: 'Suspended', status: 'False', reason: 'JobResumed' }],
      },
    };
    expect(updateStatus(jobs, resumed, suspended).errors).toEqual([]);
    const stillSuspended = structuredClone(suspended);
    (stillSuspended as any).spec.suspend = true;
    const cleared = {
      ...structuredClone(stillSuspended),
      status: { conditions: stillSuspended.status.conditions },
    };
    expect(updateStatus(jobs, cleared, stillSuspended).errors).toEqual([]);
  });
});
