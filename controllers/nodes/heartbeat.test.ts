import { FakeClock } from '../../framework/index.js';
import { Heartbeats, runLimited, type HeartbeatTarget } from './heartbeat.js';

function target() {
  const calls: string[] = [];
  const paused = new Set<string>();
  const t: HeartbeatTarget = {
    renewLease: async (n) => void calls.push(`lease ${n}`),
    postStatus: async (n) => void calls.push(`status ${n}`),
    paused: (n) => paused.has(n),
  };
  return { t, calls, paused };
}

async function run(clock: FakeClock, ms: number) {
  await clock.advance(ms);
}

test('each node renews its Lease every 10 s and posts status every 5 min', async () => {
  const clock = new FakeClock();
  const { t, calls } = target();
  const hb = new Heartbeats(t, { clock, random: () => 0.5 });
  hb.add('n1');
  await run(clock, 5 * 60_000);
  const leases = calls.filter((c) => c === 'lease n1').length;
  expect(leases).toBeGreaterThanOrEqual(29);
  expect(leases).toBeLessThanOrEqual(31);
  expect(calls.filter((c) => c === 'status n1')).toHaveLength(1);
  hb.stop();
});

test('heartbeats of many nodes are batched into few wake-ups', async () => {
  const clock = new FakeClock();
  const { t, calls } = target();
  let wakeups = 0;
  const counting = {
    ...clock,
    now: () => clock.now(),
    sleep: clock.sleep.bind(clock),
    setTimeout: (fn: () => void, ms: number) => {
      return clock.setTimeout(() => {
        wakeups++;
        fn();
      }, ms);
    },
  };
  const hb = new Heartbeats(t, { clock: counting, random: () => 0.5 });
  for (let i = 0; i < 1000; i++) hb.add(`n${i}`);
  await run(clock, 10_000);
  expect(calls.filter((c) => c.startsWith('lease')).length).toBeGreaterThanOrEqual(1000);
  expect(wakeups).toBeLessThanOrEqual(10_000 / 250 + 1);
  hb.stop();
});

test('a paused node sends nothing until it resumes, then renews at once', async () => {
  const clock = new FakeClock();
  const { t, calls, paused } = target();
  const hb = new Heartbeats(t, { clock, random: () => 0.5 });
  hb.add('n1');
  paused.add('n1');
  await run(clock, 60_000);
  expect(calls).toEqual([]);
  paused.delete('n1');
  hb.resume('n1');
  await run(clock, 300);
  expect(calls.sort()).toEqual(['lease n1', 'status n1']);
  hb.stop();
});

test('a status change is posted within one batch window', async () => {
  const clock = new FakeClock();
  const { t, calls } = target();
  const hb = new Heartbeats(t, { clock, random: () => 0.5 });
  hb.add('n1');
  await run(clock, 1_000);
  hb.statusChanged('n1');
  await run(clock, 250);
  expect(calls).toContain('status n1');
  hb.stop();
});

test('a failing write is logged and retried at the next beat, not thrown', async () => {
  const clock = new FakeClock();
  let attempts = 0;
  const hb = new Heartbeats(
    {
      renewLease: async () => {
        attempts++;
        throw new Error('boom');
      },
      postStatus: async () => {},
      paused: () => false,
    },
    { clock, random: () => 0.5 },
  );
  hb.add('n1');
  await run(clock, 30_000);
  expect(attempts).toBeGreaterThanOrEqual(2);
  hb.stop();
});

test('runLimited never runs more than the limit at once', async () => {
  let inFlight = 0;
  let peak = 0;
  const tasks = Array.from({ length: 20 }, () => async () => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setImmediate(r));
    inFlight--;
  });
  await runLimited(tasks, 3);
  expect(peak).toBe(3);
});
