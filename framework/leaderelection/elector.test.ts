import { FakeClock, flushPromises } from '../../common/index.js';
import { LeaderElector, type LeaderElectionConfig } from './elector.js';
import { microTime, type LeaderElectionRecord, type ResourceLock } from './lock.js';

/** One stored record shared by several candidates, with resourceVersion-style conflicts. */
class MemoryStore {
  record: LeaderElectionRecord | undefined;
  version = 0;
}

class MemoryLock implements ResourceLock {
  seen = -1;
  failing = false;
  constructor(
    private readonly store: MemoryStore,
    readonly identity: string,
  ) {}
  describe() {
    return 'ns/lease';
  }
  async get() {
    if (this.failing) throw new Error('apiserver unreachable');
    if (!this.store.record) return undefined;
    this.seen = this.store.version;
    return { record: { ...this.store.record }, raw: JSON.stringify(this.store.record) };
  }
  async create(record: LeaderElectionRecord) {
    if (this.failing) throw new Error('apiserver unreachable');
    if (this.store.record) throw new Error('already exists');
    this.store.record = { ...record };
    this.seen = ++this.store.version;
  }
  async update(record: LeaderElectionRecord) {
    if (this.failing) throw new Error('apiserver unreachable');
    if (this.seen !== this.store.version) throw new Error('conflict');
    this.store.record = { ...record };
    this.seen = ++this.store.version;
  }
}

function candidate(
  store: MemoryStore,
  id: string,
  clock: FakeClock,
  extra: Partial<LeaderElectionConfig> = {},
) {
  const lock = new MemoryLock(store, id);
  const events: string[] = [];
  let leadingSignal: AbortSignal | undefined;
  const elector = new LeaderElector({
    lock,
    clock,
    random: () => 0,
    callbacks: {
      onStartedLeading: (s) => {
        leadingSignal = s;
        events.push('started');
      },
      onStoppedLeading: () => void events.push('stopped'),
      onNewLeader: (who) => void events.push(`leader ${who}`),
    },
    ...extra,
  });
  const abort = new AbortController();
  const done = elector.run(abort.signal);
  return { lock, events, elector, abort, done, leading: () => leadingSignal };
}

async function tick(clock: FakeClock, ms: number): Promise<void> {
  await clock.advance(ms);
  await flushPromises();
}

/** `a` leads, `b` campaigns, on one fake clock and store. */
async function twoCandidates() {
  const clock = new FakeClock();
  const store = new MemoryStore();
  const a = candidate(store, 'a', clock);
  await tick(clock, 0);
  const b = candidate(store, 'b', clock);
  await tick(clock, 0);
  return { clock, store, a, b };
}

test('the first candidate creates the lease and leads; it renews every retry period', async () => {
  const clock = new FakeClock();
  const store = new MemoryStore();
  const a = candidate(store, 'a', clock);
  await tick(clock, 0);
  expect(a.events).toEqual(['leader a', 'started']);
  expect(store.record).toMatchObject({
    holderIdentity: 'a',
    leaseDurationSeconds: 15,
    leaderTransitions: 0,
  });
  const firstRenew = store.record!.renewTime;
  await tick(clock, 2000);
  expect(store.record!.renewTime).toBe(firstRenew + 2000);
  expect(store.record!.acquireTime).toBe(firstRenew);
  a.abort.abort();
  await a.done;
});

test('a second candidate waits while the lease is valid and takes over after it expires', async () => {
  const { clock, store, a, b } = await twoCandidates();
  expect(b.events).toEqual(['leader a']);
  a.lock.failing = true; // the leader is cut off: it cannot renew any more
  // b last saw a change at t≈0 (a's renewals keep changing the record until it is cut off)
  for (let t = 0; t < 14_000; t += 2000) await tick(clock, 2000);
  expect(b.events).toEqual(['leader a']);
  for (let t = 0; t < 4000; t += 2000) await tick(clock, 2000);
  expect(b.events).toEqual(['leader a', 'leader b', 'started']);
  expect(store.record).toMatchObject({ holderIdentity: 'b', leaderTransitions: 1 });
  expect(a.events).toEqual(['leader a', 'started', 'stopped']);
  expect(a.leading()!.aborted).toBe(true);
  b.abort.abort();
  await Promise.all([a.done, b.done]);
});

test('a leader that cannot renew for the renew deadline stops leading', async () => {
  const clock = new FakeClock();
  const store = new MemoryStore();
  const a = candidate(store, 'a', clock);
  await tick(clock, 0);
  a.lock.failing = true;
  await tick(clock, 2000); // first failed renewal attempt starts the 10 s deadline
  for (let t = 0; t < 8000; t += 2000) await tick(clock, 2000);
  expect(a.events).toEqual(['leader a', 'started']);
  await tick(clock, 2000);
  await a.done;
  expect(a.events).toEqual(['leader a', 'started', 'stopped']);
});

test('shutting down releases the lease so the next candidate leads within one retry', async () => {
  const { clock, store, a, b } = await twoCandidates();
  a.abort.abort();
  await a.done;
  expect(store.record).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  await tick(clock, 2000);
  expect(b.events.at(-1)).toBe('started');
  expect(store.record).toMatchObject({ holderIdentity: 'b', leaderTransitions: 1 });
  b.abort.abort();
  await b.done;
});

test('a candidate stopped before winning reports stopped without ever starting', async () => {
  const { a, b } = await twoCandidates();
  b.abort.abort();
  await b.done;
  expect(b.events).toEqual(['leader a', 'stopped']);
  a.abort.abort();
  await a.done;
});

test.each([
  [
    'lease must exceed the renew deadline',
    { leaseDurationMs: 10_000 },
    'leaseDuration must be greater than renewDeadline',
  ],
  [
    'the renew deadline must exceed 1.2 × retry period',
    { retryPeriodMs: 9_000 },
    'renewDeadline must be greater than retryPeriod*JitterFactor',
  ],
])('config validation: %s', (_name, config, message) => {
  const lock = new MemoryLock(new MemoryStore(), 'a');
  expect(
    () =>
      new LeaderElector({
        lock,
        callbacks: { onStartedLeading() {}, onStoppedLeading() {} },
        ...config,
      }),
  ).toThrow(message);
});

test('MicroTime is RFC 3339 with microseconds', () => {
  expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04:05.678000Z');
});
