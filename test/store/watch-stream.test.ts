/**
 * Watch streams of kuberx etcd beyond what a real etcd can be compared on: progress notifications
 * driven by an injected clock, progress requests on a stream without watches, and a client that
 * stops reading (the server pauses the watch and catches it up later, without gaps or repeats).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeClock } from '../../common/index.js';
import type { RunningEtcd } from '../../store/index.js';
import { startEtcd } from '../../store/index.js';
import { RawEtcd } from './grpc-client.js';

const b = (s: string): Buffer => Buffer.from(s);

describe('kuberx etcd watch streams', () => {
  let etcd: RunningEtcd;
  let clock: FakeClock;
  let c: RawEtcd;

  beforeEach(async () => {
    clock = new FakeClock();
    etcd = await startEtcd({
      memory: true,
      listenClientUrls: ['http://127.0.0.1:0'],
      clock,
      progressNotifyIntervalMs: 60_000,
    });
    c = new RawEtcd(etcd.urls[0]!);
  });
  afterEach(async () => {
    c.close();
    await etcd.close();
  });

  test('an idle progress_notify watch gets an empty response each interval, a busy one does not', async () => {
    const s = c.stream('Watch', 'Watch');
    s.write({ create_request: { key: b('idle'), progress_notify: true } });
    s.write({ create_request: { key: b('busy'), progress_notify: true } });
    s.write({ create_request: { key: b('plain') } });
    await s.waitFor(3);
    await c.call('KV', 'Put', { key: b('busy'), value: b('1') });
    await s.waitFor(4);
    await clock.advance(60_000);
    await s.waitFor(5);
    await sleep(20);
    const after1 = s.responses
      .slice(4)
      .map((r) => [r.watch_id, r.events.length, r.header.revision]);
    expect(after1).toEqual([['0', 0, '2']]);
    await clock.advance(60_000);
    await s.waitFor(7);
    await sleep(20);
    const after2 = s.responses
      .slice(5)
      .map((r) => r.watch_id)
      .sort();
    expect(after2).toEqual(['0', '1']);
    s.end();
  });

  test('a progress request is answered once with watch ID -1, and not at all without watches', async () => {
    const empty = c.stream('Watch', 'Watch');
    empty.write({ progress_request: {} });
    const s = c.stream('Watch', 'Watch');
    s.write({ create_request: { key: b('a') } });
    s.write({ create_request: { key: b('b') } });
    await s.waitFor(2);
    await c.call('KV', 'Put', { key: b('x'), value: b('1') });
    s.write({ progress_request: {} });
    const got = await s.waitFor(3);
    expect(got[2]).toMatchObject({ watch_id: '-1', events: [], header: { revision: '2' } });
    await sleep(50);
    expect(empty.responses).toEqual([]);
    expect(s.responses).toHaveLength(3);
    empty.end();
    s.end();
  });

  test('a client that stops reading loses nothing: the watch catches up once it reads again', async () => {
    const s = c.stream('Watch', 'Watch');
    s.write({ create_request: { key: b('big/'), range_end: b('big0') } });
    await s.waitFor(1);
    s.pause();
    const value = Buffer.alloc(200_000, 'x');
    const writes = 60;
    for (let i = 0; i < writes; i++) {
      await c.call('KV', 'Put', { key: b(`big/${i % 7}`), value });
    }
    s.resume();
    const deadline = Date.now() + 20_000;
    const revisions = (): number[] =>
      s.responses.flatMap((r) =>
        r.events.map((e: { kv: { mod_revision: string } }) => Number(e.kv.mod_revision)),
      );
    while (revisions().length < writes && Date.now() < deadline) await sleep(10);
    expect(revisions()).toEqual(Array.from({ length: writes }, (_, i) => i + 2));
    s.end();
  }, 30_000);
});
