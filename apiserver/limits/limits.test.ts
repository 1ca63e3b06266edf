import { EventEmitter } from 'node:events';
import { describe, expect, test } from '@jest/globals';
import { FakeClock, flushPromises } from '../../common/index.js';
import { openEmbeddedStorage } from '../../store/index.js';
import { newRequestInfo } from '../server/requestinfo.js';
import type { RequestScope } from '../server/scope.js';
import { maxInFlightFilter } from './inflight.js';
import { SizeLimitedStorage } from './objectsize.js';
import { parseGoDuration, requestTimeoutFilter } from './timeout.js';
import { watchLimitFilter } from './watches.js';

/** A response double recording what a filter wrote. */
class FakeResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  headers: Record<string, unknown> = {};
  body = '';
  writeHead(code: number, headers: Record<string, unknown> = {}) {
    this.statusCode = code;
    this.headers = headers;
    this.headersSent = true;
    return this;
  }
  end(body?: string) {
    this.body += body ?? '';
    this.writableEnded = true;
    this.emit('close');
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
}

function scope(
  method: string,
  path: string,
  user?: RequestScope['user'],
): RequestScope & { res: FakeResponse } {
  const url = new URL(path, 'http://localhost');
  return {
    req: { headers: {}, socket: { remoteAddress: '127.0.0.1' } } as never,
    res: new FakeResponse() as never,
    url,
    query: url.searchParams,
    info: newRequestInfo(method, url.pathname, url.searchParams),
    warnings: [],
    user,
  } as RequestScope & { res: FakeResponse };
}

/** A handler that stays in flight until released. */
function held() {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { next: () => done, release };
}

describe('max in-flight filter', () => {
  test('a mutating request over the limit gets 429 with Retry-After, reads still pass', async () => {
    const filter = maxInFlightFilter({ maxMutating: 2, maxReadOnly: 1 });
    const h = held();
    const running = [
      filter(scope('POST', '/api/v1/namespaces/default/configmaps'), h.next),
      filter(scope('DELETE', '/api/v1/namespaces/default/configmaps/x'), h.next),
    ];
    const third = scope('PUT', '/api/v1/namespaces/default/configmaps/x');
    await filter(third, h.next);
    expect(third.res.statusCode).toBe(429);
    expect(third.res.headers['Retry-After']).toBe('1');
    expect(third.res.body).toBe('Too many requests, please try again later.\n');
    const read = scope('GET', '/api/v1/namespaces/default/configmaps');
    const reading = filter(read, async () => void read.res.writeHead(200));
    await reading;
    expect(read.res.statusCode).toBe(200);
    expect(filter.stats).toMatchObject({ mutating: 2, rejected: 1 });
    h.release();
    await Promise.all(running);
    expect(filter.stats.mutating).toBe(0);
  });

  test('watches are long-running and never counted', async () => {
    const filter = maxInFlightFilter({ maxReadOnly: 1 });
    const h = held();
    const watches = [1, 2, 3].map(() => filter(scope('GET', '/api/v1/pods?watch=true'), h.next));
    expect(filter.stats.readOnly).toBe(0);
    h.release();
    await Promise.all(watches);
  });

  test('system:masters members are served over the limit', async () => {
    const filter = maxInFlightFilter({ maxMutating: 1 });
    const h = held();
    const first = filter(scope('POST', '/api/v1/namespaces/default/pods'), h.next);
    const admin = scope('POST', '/api/v1/namespaces/default/pods', {
      username: 'admin',
      groups: ['system:masters'],
    });
    let served = false;
    await filter(admin, async () => void (served = true));
    expect(served).toBe(true);
    h.release();
    await first;
  });
});

describe('request timeout filter', () => {
  test('a request still running after the timeout gets 504 Timeout', async () => {
    const clock = new FakeClock();
    const filter = requestTimeoutFilter({ timeoutSeconds: 60, clock });
    const h = held();
    const s = scope('GET', '/api/v1/pods');
    const p = filter(s, h.next);
    await clock.advance(59_999);
    expect(s.res.headersSent).toBe(false);
    await clock.advance(1);
    await p;
    expect(s.res.statusCode).toBe(504);
    expect(JSON.parse(s.res.body)).toMatchObject({
      kind: 'Status',
      reason: 'Timeout',
      code: 504,
      message:
        'Timeout: request did not complete within requested timeout - context deadline exceeded',
    });
    h.release();
    await flushPromises();
  });

  test('?timeout= shortens the deadline', async () => {
    const clock = new FakeClock();
    const filter = requestTimeoutFilter({ clock });
    const s = scope('GET', '/api/v1/pods?timeout=5s');
    const p = filter(s, held().next);
    await clock.advance(5_000);
    await p;
    expect(s.res.statusCode).toBe(504);
  });

  test('a malformed ?timeout= is 400', async () => {
    const filter = requestTimeoutFilter({ clock: new FakeClock() });
    await expect(filter(scope('GET', '/api/v1/pods?timeout=soon'), async () => {})).rejects.toThrow(
      'invalid timeout specified in the request URL',
    );
  });

  test('watches are not timed out by it', async () => {
    const clock = new FakeClock();
    const filter = requestTimeoutFilter({ clock });
    const h = held();
    const s = scope('GET', '/api/v1/pods?watch=1');
    const p = filter(s, h.next);
    await clock.advance(120_000);
    expect(s.res.headersSent).toBe(false);
    h.release();
    await p;
  });

  test.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['0', 0],
    ['-1m', -60_000],
    ['+2μs', 0.002],
    ['10', undefined],
    ['1s2', undefined],
    ['s', undefined],
    ['', undefined],
  ])('parseGoDuration(%j) = %j', (input, ms) => {
    expect(parseGoDuration(input)).toBe(ms);
  });
});

describe('watches per client', () => {
  test('a client at its bound gets 429 until one of its watches ends', async () => {
    const filter = watchLimitFilter({ maxPerClient: 2 });
    const open = [scope('GET', '/api/v1/pods?watch=1'), scope('GET', '/api/v1/pods?watch=1')];
    for (const s of open) await filter(s, async () => {});
    const extra = scope('GET', '/api/v1/pods?watch=1');
    await filter(extra, async () => {});
    expect(extra.res.statusCode).toBe(429);
    const other = scope('GET', '/api/v1/pods?watch=1', { username: 'bob', groups: [] });
    let served = false;
    await filter(other, async () => void (served = true));
    expect(served).toBe(true);
    open[0]!.res.end();
    const again = scope('GET', '/api/v1/pods?watch=1');
    let reopened = false;
    await filter(again, async () => void (reopened = true));
    expect(reopened).toBe(true);
    expect(filter.rejected()).toBe(1);
  });
});

describe('object size guard', () => {
  test('writes over 1.5 MiB are 413 and never reach the store; smaller ones pass', async () => {
    const inner = await openEmbeddedStorage({ memory: true });
    try {
      const storage = new SizeLimitedStorage(inner);
      const big = new Uint8Array(1.5 * 1024 * 1024);
      const err = await storage.create('/registry/configmaps/default/big', big).catch((e) => e);
      expect(err.code).toBe(413);
      expect(err.message).toBe('etcdserver: request is too large');
      expect((await inner.get('/registry/configmaps/default/big')).kv).toBeUndefined();
      const ok = await storage.create('/registry/configmaps/default/ok', new Uint8Array(1024));
      expect(ok.succeeded).toBe(true);
      const upd = await storage
        .update(
          '/registry/configmaps/default/ok',
          big,
          (ok as { kv: { modRevision: number } }).kv.modRevision,
        )
        .catch((e) => e);
      expect(upd.code).toBe(413);
    } finally {
      await inner.close();
    }
  });
});
