import { FakeClock, flushPromises } from '../../common/index.js';
import { kinds, type KubernetesObject } from '../client/index.js';
import { FakeInformerProvider } from '../testing/fake-informer.js';
import type { Controller } from './controller.js';
import { type ControllerOptions } from './controller.js';
import { controllerManagedBy } from './builder.js';
import type { ControllerMetrics } from './metrics.js';
import { generationChanged } from './predicates.js';
import { TerminalError, type ReconcileContext, type Request, type Result } from './reconcile.js';

type Outcome = Result | void | Error | unknown;

const obj = (
  kind: string,
  name: string,
  extra: Partial<KubernetesObject> = {},
): KubernetesObject => ({
  apiVersion: kind === 'Deployment' ? 'apps/v1' : 'stable.example.com/v1',
  kind,
  metadata: { name, namespace: 'ns', resourceVersion: '1', uid: `uid-${name}`, generation: 1 },
  ...extra,
});
const CronTab = {
  group: 'stable.example.com',
  version: 'v1',
  kind: 'CronTab',
  plural: 'crontabs',
  namespaced: true,
};

function recordingMetrics() {
  const calls: string[] = [];
  const metrics: ControllerMetrics = {
    init: (c, w) => void calls.push(`init ${c} ${w}`),
    reconciled: (_c, r) => void calls.push(`total ${r}`),
    error: () => void calls.push('error'),
    terminalError: () => void calls.push('terminal'),
    panic: () => void calls.push('panic'),
    timeout: () => void calls.push('timeout'),
    activeWorkers: () => {},
  };
  return { calls, metrics };
}

/** A controller whose reconciler answers from `outcomes` (per call) and records requests. */
function setup(
  outcomes: Outcome[] | ((req: Request, ctx: ReconcileContext) => Promise<Outcome> | Outcome),
  options: Partial<ControllerOptions> = {},
) {
  const clock = new FakeClock();
  const informers = new FakeInformerProvider(clock);
  const seen: string[] = [];
  const { calls, metrics } = recordingMetrics();
  const controllers: Controller[] = [];
  const host = {
    informers,
    controllerDefaults: () => ({ clock, metrics, ...options }),
    addController: (c: Controller) => void controllers.push(c),
  };
  let i = 0;
  const reconciler = {
    async reconcile(req: Request, ctx: ReconcileContext) {
      seen.push(`${req.namespace}/${req.name}`);
      const outcome = typeof outcomes === 'function' ? await outcomes(req, ctx) : outcomes[i++];
      if (outcome instanceof Error || (outcome !== undefined && typeof outcome !== 'object'))
        throw outcome;
      return outcome as Result | void;
    },
  };
  const abort = new AbortController();
  return { clock, informers, seen, calls, host, reconciler, abort, controllers };
}

async function settle(clock: FakeClock, ms = 0): Promise<void> {
  await clock.advance(ms);
  await flushPromises();
}

test('success forgets the request; it is not reconciled again without an event', async () => {
  const t = setup([{}]);
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  t.informers.get(CronTab).apply(obj('CronTab', 'a'));
  t.informers.get(CronTab).sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock, 10_000);
  expect(t.seen).toEqual(['ns/a']);
  expect(t.calls).toEqual(['init crontab 1', 'total success']);
  t.abort.abort();
  await running;
});

test.each([
  ['the first failure retries after 5 ms', 1, [5]],
  ['failures back off 5, 10, 20 ms', 3, [5, 10, 20]],
])('%s', async (_name, failures, delays) => {
  const t = setup([...Array.from({ length: failures }, () => new Error('boom')), {}]);
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  t.informers.get(CronTab).apply(obj('CronTab', 'a'));
  t.informers.get(CronTab).sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock);
  for (const [n, d] of delays.entries()) {
    expect(t.seen).toHaveLength(n + 1);
    await settle(t.clock, d - 1);
    expect(t.seen).toHaveLength(n + 1);
    await settle(t.clock, 1);
  }
  expect(t.seen).toHaveLength(failures + 1);
  expect(t.calls.filter((x) => x === 'total error')).toHaveLength(failures);
  t.abort.abort();
  await running;
});

test('a terminal error is counted and not retried', async () => {
  const t = setup([new TerminalError('bad spec')]);
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  t.informers.get(CronTab).apply(obj('CronTab', 'a'));
  t.informers.get(CronTab).sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock, 3_600_000);
  expect(t.seen).toHaveLength(1);
  expect(t.calls).toContain('terminal');
  t.abort.abort();
  await running;
});

test('requeueAfter reconciles again after that long and resets the backoff', async () => {
  const t = setup([new Error('x'), new Error('x'), { requeueAfter: 60_000 }, new Error('x'), {}]);
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  t.informers.get(CronTab).apply(obj('CronTab', 'a'));
  t.informers.get(CronTab).sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock);
  await settle(t.clock, 5);
  await settle(t.clock, 10);
  expect(t.seen).toHaveLength(3);
  await settle(t.clock, 59_999);
  expect(t.seen).toHaveLength(3);
  await settle(t.clock, 1);
  expect(t.seen).toHaveLength(4);
  await settle(t.clock, 5); // backoff restarted at 5 ms
  expect(t.seen).toHaveLength(5);
  expect(t.calls).toContain('total requeue_after');
  t.abort.abort();
  await running;
});

test('one request is never reconciled by two workers at once; different ones are', async () => {
  const releases: Array<() => void> = [];
  let inFlight = 0;
  let maxSameKey = 0;
  const perKey = new Map<string, number>();
  const t = setup(
    (req) =>
      new Promise<Outcome>((resolve) => {
        inFlight++;
        perKey.set(req.name, (perKey.get(req.name) ?? 0) + 1);
        maxSameKey = Math.max(maxSameKey, perKey.get(req.name)!);
        releases.push(() => {
          inFlight--;
          perKey.set(req.name, perKey.get(req.name)! - 1);
          resolve({});
        });
      }),
    { maxConcurrentReconciles: 3 },
  );
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  const inf = t.informers.get(CronTab);
  inf.apply(obj('CronTab', 'a'));
  inf.apply(obj('CronTab', 'b'));
  inf.sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock);
  expect(inFlight).toBe(2);
  inf.apply(
    obj('CronTab', 'a', { metadata: { ...obj('CronTab', 'a').metadata, resourceVersion: '2' } }),
  );
  await settle(t.clock);
  expect(inFlight).toBe(2);
  releases.shift()!();
  await settle(t.clock);
  expect(t.seen.filter((s) => s === 'ns/a')).toHaveLength(2);
  expect(maxSameKey).toBe(1);
  while (releases.length) releases.shift()!();
  t.abort.abort();
  await running;
});

test('fresh changes overtake the initial list (low priority)', async () => {
  let release!: () => void;
  const t = setup(async (req) => {
    if (req.name === 'first') await new Promise<void>((r) => (release = r));
    return {};
  });
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  const inf = t.informers.get(CronTab);
  for (const n of ['first', 'i1', 'i2']) inf.apply(obj('CronTab', n));
  inf.sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock);
  inf.apply(obj('CronTab', 'fresh'));
  release();
  await settle(t.clock);
  expect(t.seen).toEqual(['ns/first', 'ns/fresh', 'ns/i1', 'ns/i2']);
  t.abort.abort();
  await running;
});

test('generationChanged lets spec changes through and filters status-only updates', async () => {
  const t = setup(() => ({}));
  const c = controllerManagedBy(t.host)
    .for(CronTab, { predicates: [generationChanged] })
    .complete(t.reconciler);
  const inf = t.informers.get(CronTab);
  inf.apply(obj('CronTab', 'a'));
  inf.sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock);
  const base = obj('CronTab', 'a');
  inf.apply({
    ...base,
    metadata: { ...base.metadata, resourceVersion: '2' },
    status: { x: 1 },
  } as KubernetesObject);
  await settle(t.clock);
  expect(t.seen).toHaveLength(1);
  inf.apply({ ...base, metadata: { ...base.metadata, resourceVersion: '3', generation: 2 } });
  await settle(t.clock);
  expect(t.seen).toHaveLength(2);
  t.abort.abort();
  await running;
});

test('owns maps a child to its controller owner; other owners are ignored', async () => {
  const t = setup(() => ({}));
  const c = controllerManagedBy(t.host).for(CronTab).owns(kinds.Deployment).complete(t.reconciler);
  t.informers.get(CronTab).sync();
  const deployments = t.informers.get(kinds.Deployment);
  deployments.sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock);
  const ref = (name: string, controller: boolean) => ({
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    name,
    uid: `uid-${name}`,
    controller,
  });
  deployments.apply(
    obj('Deployment', 'd1', {
      metadata: { name: 'd1', namespace: 'ns', ownerReferences: [ref('owner', true)] },
    }),
  );
  deployments.apply(
    obj('Deployment', 'd2', {
      metadata: { name: 'd2', namespace: 'ns', ownerReferences: [ref('other', false)] },
    }),
  );
  await settle(t.clock);
  expect(t.seen).toEqual(['ns/owner']);
  t.abort.abort();
  await running;
});

test('watches with a map function enqueue what the function returns', async () => {
  const t = setup(() => ({}));
  const c = controllerManagedBy(t.host)
    .for(CronTab)
    .watches(kinds.ConfigMap, (cm) => [
      { namespace: cm.metadata!.namespace!, name: `from-${cm.metadata!.name}` },
    ])
    .complete(t.reconciler);
  t.informers.get(CronTab).sync();
  const cms = t.informers.get(kinds.ConfigMap);
  cms.sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock);
  cms.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns' } });
  await settle(t.clock);
  expect(t.seen).toEqual(['ns/from-cfg']);
  t.abort.abort();
  await running;
});

test('a programming error is a recovered panic: counted, then retried with backoff', async () => {
  const t = setup([new TypeError("Cannot read properties of undefined (reading 'spec')"), {}]);
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  t.informers.get(CronTab).apply(obj('CronTab', 'a'));
  t.informers.get(CronTab).sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock);
  await settle(t.clock, 5);
  expect(t.calls).toEqual(['init crontab 1', 'error', 'panic', 'total error', 'total success']);
  t.abort.abort();
  await running;
});

test('with recoverPanic false a panic stops the controller with the error', async () => {
  const t = setup(['thrown string'], { recoverPanic: false });
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  t.informers.get(CronTab).apply(obj('CronTab', 'a'));
  t.informers.get(CronTab).sync();
  await expect(c.start(t.abort.signal)).rejects.toBe('thrown string');
});

test('a cache that does not sync in time fails the start with controller-runtime wording', async () => {
  const t = setup([], { cacheSyncTimeoutMs: 1000 });
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  const started = c.start(t.abort.signal);
  const outcome = started.catch((e: Error) => e.message);
  await settle(t.clock, 999);
  await settle(t.clock, 1);
  expect(await outcome).toBe(
    'failed to wait for crontab caches to sync kind source: CronTab.stable.example.com/v1: timed out waiting for cache to be synced for Kind CronTab.stable.example.com/v1',
  );
});

test('stopping lets the running reconcile finish and starts no new one', async () => {
  let release!: () => void;
  let sawAbort = false;
  const t = setup(async (_req, ctx) => {
    await new Promise<void>((r) => (release = r));
    sawAbort = ctx.signal.aborted;
    return {};
  });
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  const inf = t.informers.get(CronTab);
  inf.apply(obj('CronTab', 'a'));
  inf.apply(obj('CronTab', 'b'));
  inf.sync();
  let stopped = false;
  const running = c.start(t.abort.signal).then(() => (stopped = true));
  await settle(t.clock);
  t.abort.abort();
  await settle(t.clock);
  expect(stopped).toBe(false);
  release();
  await running;
  expect(sawAbort).toBe(true);
  expect(t.seen).toEqual(['ns/a']);
});

test('a reconcile timeout aborts the context signal and is counted', async () => {
  const t = setup(
    (_req, ctx) =>
      new Promise<Outcome>((resolve) => ctx.signal.addEventListener('abort', () => resolve({}))),
    { reconcileTimeoutMs: 30_000 },
  );
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  t.informers.get(CronTab).apply(obj('CronTab', 'a'));
  t.informers.get(CronTab).sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock, 30_000);
  expect(t.calls).toContain('timeout');
  t.abort.abort();
  await running;
});

test('a controller cannot be started twice', async () => {
  const t = setup([]);
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  t.informers.get(CronTab).sync();
  const running = c.start(t.abort.signal);
  await expect(c.start(t.abort.signal)).rejects.toThrow('controller was started more than once');
  t.abort.abort();
  await running;
});

test('every cached object is reconciled again after the sync period (jittered by up to 10 %)', async () => {
  const t = setup(() => ({}), { syncPeriodMs: 60_000, random: () => 0.5 });
  const c = controllerManagedBy(t.host).for(CronTab).complete(t.reconciler);
  t.informers.get(CronTab).apply(obj('CronTab', 'a'));
  t.informers.get(CronTab).sync();
  const running = c.start(t.abort.signal);
  await settle(t.clock);
  expect(t.seen).toHaveLength(1);
  await settle(t.clock, 62_999);
  expect(t.seen).toHaveLength(1);
  await settle(t.clock, 1);
  expect(t.seen).toHaveLength(2);
  t.abort.abort();
  await running;
});
