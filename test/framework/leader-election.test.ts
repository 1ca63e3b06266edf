/**
 * Leader election handover between managers, through real Leases on kuberx's in-process API
 * server. The managers' clock is a FakeClock: lease expiry and retries are driven, not waited for.
 */
import { FakeClock, Lease, type Manager, type Runnable } from '../../framework/index.js';
import { eventually, startTestEnv, type TestEnv } from '../../framework/testing/index.js';

let env: TestEnv;
let clock: FakeClock;

beforeEach(async () => {
  env = await startTestEnv();
  clock = new FakeClock(Date.now());
});

afterEach(async () => {
  await env.stop();
});

/** A manager with one leader-only runnable that records when it runs. */
function candidate(identity: string, extra: Record<string, unknown> = {}) {
  const log: string[] = [];
  const manager = env.newManager({
    clock,
    leaderElection: true,
    leaderElectionID: 'handover-test',
    leaderElectionNamespace: 'default',
    leaderElectionIdentity: identity,
    ...extra,
  });
  const runnable: Runnable = {
    start: (signal) =>
      new Promise<void>((resolve) => {
        log.push('started');
        signal.addEventListener('abort', () => {
          log.push('stopped');
          resolve();
        });
      }),
  };
  manager.add(runnable);
  const done = manager.start();
  return { manager, log, done };
}

const lease = () => env.client.get(Lease, 'handover-test', { namespace: 'default' });

/** Moves the fake clock in steps, letting the HTTP round trips of each step finish. */
async function advanceUntil(
  cond: () => boolean | Promise<boolean>,
  maxMs: number,
  stepMs = 500,
): Promise<number> {
  let moved = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    if (await cond()) return moved;
    if (moved >= maxMs) throw new Error(`condition not reached within ${maxMs} ms of fake time`);
    await clock.advance(stepMs);
    moved += stepMs;
  }
}

/** Moves the fake clock by `ms` in steps, letting HTTP round trips finish in between. */
async function advanceBy(ms: number, stepMs = 500): Promise<void> {
  for (let moved = 0; moved < ms; moved += stepMs) {
    await clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stop(c: { manager: Manager; done: Promise<void> }): Promise<void> {
  c.manager.stop();
  await c.done;
}

test('one of two managers leads; when it shuts down it releases the Lease and the other takes over within a retry period', async () => {
  const a = candidate('a');
  await eventually(() => a.manager.isLeader(), 'a to lead');
  const b = candidate('b');
  await advanceUntil(async () => (await lease()).spec?.holderIdentity === 'a', 4000);
  await clock.advance(6000);
  expect(b.manager.isLeader()).toBe(false);
  expect(b.log).toEqual([]);
  expect(a.log).toEqual(['started']);

  await stop(a);
  expect(a.log).toEqual(['started', 'stopped']);
  expect((await lease()).spec?.holderIdentity).toBe('');

  const waited = await advanceUntil(() => b.manager.isLeader(), 5000);
  expect(waited).toBeLessThanOrEqual(2 * 2400);
  expect(b.log).toEqual(['started']);
  const spec = (await lease()).spec!;
  expect(spec.holderIdentity).toBe('b');
  expect(spec.leaseTransitions).toBe(1);
  expect(spec.leaseDurationSeconds).toBe(15);
  await stop(b);
});

test('a leader that vanishes without releasing is replaced only after the lease duration (15 s)', async () => {
  const a = candidate('a', { leaderElectionReleaseOnCancel: false });
  await eventually(() => a.manager.isLeader(), 'a to lead');
  await stop(a); // like a crash: the Lease still names a
  expect((await lease()).spec?.holderIdentity).toBe('a');

  const b = candidate('b');
  await advanceBy(14_000);
  expect(b.manager.isLeader()).toBe(false);
  await advanceUntil(() => b.manager.isLeader(), 6000);
  expect((await lease()).spec?.holderIdentity).toBe('b');
  await stop(b);
});

test('a leader that can no longer renew stops its leader-only work and start() rejects with "leader election lost"', async () => {
  const a = candidate('a');
  await eventually(() => a.manager.isLeader(), 'a to lead');
  // Someone else takes the Lease over (as if a's renewals had stopped reaching the server).
  const current = await lease();
  await env.client.update({ ...current, spec: { ...current.spec, holderIdentity: 'intruder' } });
  const outcome = a.done.then(
    () => 'resolved',
    (e: Error) => e.message,
  );
  await advanceUntil(() => a.log.includes('stopped'), 15_000);
  expect(await outcome).toBe('leader election lost');
});
