/**
 * Load: N clients at full speed against small in-flight limits, and one watcher that never reads
 * while large events stream. The server answers 429 (with Retry-After) rather than falling over,
 * never 5xx, and drops the slow watcher once its buffer passes the bound instead of buffering
 * without limit. Assertions are on counts and bounds, not on timings.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { apiserverDefaults } from '../../apiserver/index.js';
import { ForwardingStorage } from '../../apiserver/limits/index.js';
import type { Storage, WriteOptions } from '../../store/index.js';
import { startHardenedServer, type HardenedServer } from './admission-harness.js';

let s: HardenedServer;
const cms = '/api/v1/namespaces/default/configmaps';

/** A store with a disk's latency on writes, so that requests overlap as on a real server. */
class SlowDisk extends ForwardingStorage {
  private delay() {
    return new Promise((r) => setTimeout(r, 20));
  }
  override async create(key: string, value: Uint8Array, options?: WriteOptions) {
    await this.delay();
    return this.inner.create(key, value, options);
  }
  override async update(key: string, value: Uint8Array, rev: number, options?: WriteOptions) {
    await this.delay();
    return this.inner.update(key, value, rev, options);
  }
}

beforeAll(async () => {
  s = await startHardenedServer(
    { maxMutatingRequestsInflight: 4, maxRequestsInflight: 8 },
    { wrapStorage: (inner: Storage) => new SlowDisk(inner) },
  );
});
afterAll(async () => {
  await s.stop();
});

/** Polls `check` on real time (a network peer is involved) up to `tries` times. */
async function eventually(check: () => boolean | Promise<boolean>, tries = 600): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('overload', () => {
  test('30 clients at full speed get 2xx or 429 with Retry-After, never 5xx', async () => {
    const clients = 30;
    const perClient = 20;
    const codes = new Map<number, number>();
    let retryAfterMissing = 0;
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < perClient; i++) {
          const write = i % 2 === 0;
          const res = write
            ? await fetch(`${s.url}${cms}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ metadata: { name: `c${c}-${i}` }, data: { i: String(i) } }),
              })
            : await fetch(`${s.url}${cms}?limit=50`);
          await res.arrayBuffer();
          codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
          if (res.status === 429 && res.headers.get('retry-after') !== '1') retryAfterMissing++;
        }
      }),
    );
    const total = [...codes.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(clients * perClient);
    expect([...codes.keys()].filter((c) => c >= 500)).toEqual([]);
    expect([...codes.keys()].every((c) => c === 429 || (c >= 200 && c < 300))).toBe(true);
    expect(codes.get(429) ?? 0).toBeGreaterThan(0);
    expect(retryAfterMissing).toBe(0);
    expect((await s.request('GET', '/readyz')).status).toBe(200);
  }, 120_000);

  test('a watcher that never reads is dropped once its buffer passes the bound; memory stays bounded', async () => {
    const store = s.server.store('', 'v1', 'configmaps')!;
    const baseline = store.cacher.watcherCount;
    const { port } = new URL(s.url);
    // A raw client that asks for a watch and then never reads from its socket.
    const slow: Socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((r) => slow.once('connect', () => r()));
    slow.write(`GET ${cms}?watch=1&resourceVersion=0 HTTP/1.1\r\nHost: x\r\n\r\n`);
    slow.pause();
    expect(await eventually(() => store.cacher.watcherCount === baseline + 1)).toBe(true);

    const heapBefore = process.memoryUsage().heapUsed;
    const chunk = 'x'.repeat(100 * 1024);
    const created = await s.request('POST', cms, {
      body: { metadata: { name: 'big' }, data: { v: chunk } },
    });
    expect(created.status).toBe(201);
    let produced = 0;
    let dropped = false;
    // Keep writing ~100 KiB events until the server gives up on the watcher (or far past the bound).
    for (let i = 0; i < 600 && !dropped; i++) {
      const res = await s.request('PUT', `${cms}/big`, {
        body: { metadata: { name: 'big' }, data: { v: chunk, i: String(i) } },
      });
      expect(res.status).toBe(200);
      produced += chunk.length;
      dropped = store.cacher.watcherCount === baseline;
    }
    expect(await eventually(() => store.cacher.watcherCount === baseline)).toBe(true);
    // Changes after the drop never reach the dropped client.
    for (let i = 0; i < 3; i++) {
      const res = await s.request('PUT', `${cms}/big`, {
        body: { metadata: { name: 'big' }, data: { v: 'small', i: `after-drop-${i}` } },
      });
      expect(res.status).toBe(200);
    }
    // The server stopped buffering near the bound, long before everything produced was queued.
    expect(produced).toBeLessThan(apiserverDefaults.watcherMaxBufferedBytes * 4);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(
      apiserverDefaults.watcherMaxBufferedBytes * 8,
    );

    // The client, reading at last, gets what was buffered and then the end of the stream.
    let received = 0;
    let tail = '';
    let sawAfterDrop = false;
    slow.on('data', (d: Buffer) => {
      received += d.length;
      const text = tail + d.toString('latin1');
      if (text.includes('after-drop-')) sawAfterDrop = true;
      tail = text.slice(-32);
    });
    slow.resume();
    // The chunked response ends with its last chunk (the connection itself may stay open).
    expect(await eventually(() => tail.endsWith('0\r\n\r\n'))).toBe(true);
    expect(received).toBeGreaterThan(0);
    expect(sawAfterDrop).toBe(false);
    slow.destroy();
    expect((await s.request('GET', '/readyz')).status).toBe(200);
  }, 120_000);
});
