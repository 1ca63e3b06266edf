/**
 * The TTL-after-finished controller with the Job controller, on a fake clock (no garbage collector
 * runs here, so a Foreground deletion leaves the Job with its deletionTimestamp and the
 * foregroundDeletion finalizer, which is what the test checks).
 */
import { jest } from '@jest/globals';
import { Job } from '../../framework/index.js';
import { registerJobController } from '../job/index.js';
import {
  advanceUntil,
  listPods,
  markFinished,
  workloadSuite,
  type WorkloadEnv,
} from '../util/testing.js';
import { registerTTLAfterFinishedController, ttlLeft } from './index.js';

jest.setTimeout(60_000);

let w: WorkloadEnv;
let ns = '';
workloadSuite(
  'ttl',
  {
    register: async (mgr) => {
      await registerJobController(mgr);
      await registerTTLAfterFinishedController(mgr);
    },
  },
  (env, name) => {
    w = env;
    ns = name;
  },
);

async function runToCompletion(name: string, ttl: number | undefined): Promise<number> {
  await w.client.create({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns },
    spec: {
      ttlSecondsAfterFinished: ttl,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
    },
  } as Job);
  await advanceUntil(w.clock, async () => (await listPods(w.client, ns)).length === 1, 'the pod', {
    stepMs: 250,
  });
  const [pod] = await listPods(w.client, ns);
  await markFinished(w.client, pod!, 'Succeeded', w.clock.now());
  let finished = 0;
  await advanceUntil(
    w.clock,
    async () => {
      const c = (await w.client.get(Job, name, { namespace: ns })).status?.conditions?.find(
        (x) => x.type === 'Complete',
      );
      if (c) finished = Date.parse(c.lastTransitionTime!);
      return !!c;
    },
    'Complete',
    { stepMs: 250 },
  );
  return finished;
}

const deleting = async (name: string) => {
  const j = await w.client.get(Job, name, { namespace: ns });
  return !!j.metadata?.deletionTimestamp;
};

test('ttlSecondsAfterFinished 0 deletes the Job with Foreground propagation right after it finishes', async () => {
  await runToCompletion('now', 0);
  await advanceUntil(w.clock, () => deleting('now'), 'the deletion', { stepMs: 50 });
  const j = await w.client.get(Job, 'now', { namespace: ns });
  expect(j.metadata?.finalizers).toContain('foregroundDeletion');
});

test('a Job is deleted only once its TTL after finishing has passed', async () => {
  const finished = await runToCompletion('later', 30);
  await advanceUntil(w.clock, () => deleting('later'), 'the deletion', { stepMs: 500 });
  expect(w.clock.now() - finished).toBeGreaterThanOrEqual(30_000);
  expect(w.clock.now() - finished).toBeLessThan(32_000);
});

test('a Job without ttlSecondsAfterFinished is never deleted', async () => {
  await runToCompletion('keep', undefined);
  await w.clock.advance(3_600_000);
  expect(await deleting('keep')).toBe(false);
});

test.each([
  ['no TTL', undefined, 'Complete', 0, undefined],
  ['not finished', 10, undefined, 0, undefined],
  ['finished, 10 s TTL, 4 s ago', 10, 'Complete', 4_000, { leftMs: 6_000 }],
  ['failed, 10 s TTL, 10 s ago', 10, 'Failed', 10_000, { expired: true }],
])('ttlLeft: %s', (_name, ttl, condition, ago, expected) => {
  const now = Date.UTC(2026, 0, 1, 1);
  const job = {
    spec: { ttlSecondsAfterFinished: ttl },
    status: condition
      ? {
          conditions: [
            {
              type: condition,
              status: 'True',
              lastTransitionTime: new Date(now - ago).toISOString(),
            },
          ],
        }
      : {},
  } as Job;
  expect(ttlLeft(job, now)).toEqual(expected);
});
