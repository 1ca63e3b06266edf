import {
  FakeClock,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '../framework/index.js';
import { effectiveClientLimits, isLoopbackServer, RateLimitedTransport } from './clientlimits.js';

describe('client limits (--kube-api-qps / --kube-api-burst)', () => {
  test.each<
    [string, string, { qps?: number; burst?: number }, { qps: number; burst: number } | undefined]
  >([
    ['loopback without flags: no limit', 'https://127.0.0.1:6443', {}, undefined],
    ['localhost without flags: no limit', 'https://localhost:6443', {}, undefined],
    ['IPv6 loopback without flags: no limit', 'https://[::1]:6443', {}, undefined],
    [
      'a remote server without flags: upstream 20/30',
      'https://10.0.0.1:6443',
      {},
      { qps: 20, burst: 30 },
    ],
    [
      'an explicit limit applies on loopback too',
      'https://127.0.0.1:6443',
      { qps: 50, burst: 100 },
      { qps: 50, burst: 100 },
    ],
    ['qps <= 0 means no limit', 'https://10.0.0.1:6443', { qps: 0 }, undefined],
    ['burst defaults to 30', 'https://127.0.0.1:6443', { qps: 5 }, { qps: 5, burst: 30 }],
  ])('%s', (_n, server, asked, want) => {
    expect(effectiveClientLimits(server, asked)).toEqual(want);
  });

  test('loopback detection', () => {
    expect(isLoopbackServer('http://127.1.2.3:80')).toBe(true);
    expect(isLoopbackServer('https://example.com')).toBe(false);
  });

  test('requests beyond the burst wait for tokens at qps per second, in order', async () => {
    const clock = new FakeClock();
    const sent: string[] = [];
    const inner: Transport = {
      server: 'https://10.0.0.1',
      request: async (req: TransportRequest) => {
        sent.push(req.path);
        return { status: 200 } as TransportResponse;
      },
      invalidateCredentials: () => {},
      close: () => {},
    };
    const t = new RateLimitedTransport(inner, { qps: 2, burst: 2, clock });
    const all = ['/a', '/b', '/c', '/d'].map((path) => t.request({ method: 'GET', path }));
    await clock.advance(0);
    expect(sent).toEqual(['/a', '/b']);
    await clock.advance(499);
    expect(sent).toEqual(['/a', '/b']);
    await clock.advance(1);
    expect(sent).toEqual(['/a', '/b', '/c']);
    await clock.advance(500);
    expect(sent).toEqual(['/a', '/b', '/c', '/d']);
    await Promise.all(all);
  });
});
