import { FakeClock, type Node } from '../../framework/index.js';
import { computeZoneState, RateLimitedTimedQueue, TokenBucket, zoneKey } from './zones.js';

test.each([
  [['True', 'True', 'True'], 'Normal'],
  [['True', 'Unknown', 'False'], 'Normal'],
  [['Unknown', 'Unknown'], 'FullDisruption'],
  [['True', 'Unknown', 'Unknown', 'Unknown'], 'PartialDisruption'],
  [['True', 'True', 'Unknown', 'Unknown', 'Unknown'], 'PartialDisruption'],
  [['True', 'True', 'True', 'Unknown', 'Unknown', 'Unknown'], 'Normal'],
  [[undefined, 'True'], 'Normal'],
])('a zone whose nodes are %j is %s (threshold 0.55)', (statuses, state) => {
  expect(computeZoneState(statuses, 0.55).state).toBe(state);
});

test.each<[Record<string, string>, string]>([
  [{}, ''],
  [{ 'topology.kubernetes.io/zone': 'a', 'topology.kubernetes.io/region': 'r' }, 'r:\x00:a'],
  [{ 'failure-domain.beta.kubernetes.io/zone': 'b' }, ':\x00:b'],
])('zone key of labels %j is %j', (labels, key) => {
  expect(zoneKey({ metadata: { labels } } as Node)).toBe(key);
});

test('a token bucket of 0.1 qps and burst 1 lets one through, then one per 10 s', () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket(0.1, clock);
  expect(bucket.tryAccept()).toBe(true);
  expect(bucket.tryAccept()).toBe(false);
  expect(bucket.waitMs()).toBe(10_000);
  clock.step(9_999);
  expect(bucket.tryAccept()).toBe(false);
  clock.step(1);
  expect(bucket.tryAccept()).toBe(true);
});

test('a bucket at 0 qps never lets anything through', () => {
  const bucket = new TokenBucket(0, new FakeClock());
  expect(bucket.tryAccept()).toBe(false);
  expect(bucket.waitMs()).toBe(Infinity);
});

test('the timed queue hands out nodes in order, at the bucket rate, and retries failures', async () => {
  const clock = new FakeClock();
  const q = new RateLimitedTimedQueue(0.1, clock);
  for (const n of ['a', 'b', 'c']) q.add(n, `uid-${n}`);
  expect(q.add('a', 'uid-a')).toBe(false);
  const seen: string[] = [];
  const fn = async (v: string) => {
    seen.push(v);
    return v === 'b' && seen.filter((x) => x === 'b').length === 1 ? 1_000 : (true as const);
  };
  await q.try(fn);
  expect(seen).toEqual(['a']);
  clock.step(10_000);
  await q.try(fn);
  expect(seen).toEqual(['a', 'b']);
  clock.step(10_000);
  await q.try(fn);
  clock.step(10_000);
  await q.try(fn);
  expect(seen).toEqual(['a', 'b', 'c', 'b']);
  expect(q.size).toBe(0);
  expect(q.nextTryMs()).toBe(Infinity);
});

test('swapping to a new rate starts a full bucket', async () => {
  const clock = new FakeClock();
  const q = new RateLimitedTimedQueue(0, clock);
  q.add('a', 'u');
  const seen: string[] = [];
  await q.try(async (v) => (seen.push(v), true));
  expect(seen).toEqual([]);
  q.swapLimiter(0.01);
  await q.try(async (v) => (seen.push(v), true));
  expect(seen).toEqual(['a']);
});
