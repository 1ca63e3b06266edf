/**
 * Client-side request limits (client-go `rest.Config.QPS`/`Burst`, a token bucket in front of
 * every request, watches included). The controller-manager shares one bucket among all its
 * controllers, as upstream's `--kube-api-qps`/`--kube-api-burst` do.
 *
 * Requests wait in arrival order for their token; an aborted request stops waiting. The bucket
 * starts full (`burst` requests pass at once) and refills at `qps` per second.
 */
import {
  BucketRateLimiter,
  realClock,
  type Clock,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '../framework/index.js';
import { defaultKubeApiBurst, defaultKubeApiQps } from './defaults.js';

export interface ClientLimits {
  /** Requests per second; `undefined` means no limit. */
  qps?: number;
  burst?: number;
}

/** A {@link Transport} whose requests pass a shared token bucket first. */
export class RateLimitedTransport implements Transport {
  private readonly bucket: BucketRateLimiter<0>;

  constructor(
    private readonly inner: Transport,
    options: { qps: number; burst: number; clock?: Clock },
    private readonly clock: Clock = options.clock ?? realClock,
  ) {
    this.bucket = new BucketRateLimiter<0>({ qps: options.qps, burst: options.burst, clock });
  }

  get server(): string {
    return this.inner.server;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    const waitMs = this.bucket.when(0);
    if (waitMs > 0) await this.clock.sleep(waitMs, req.signal);
    return this.inner.request(req);
  }

  invalidateCredentials(): void {
    this.inner.invalidateCredentials();
  }

  close(): void {
    this.inner.close();
  }
}

/** True when `server`'s host is a loopback address (127.0.0.0/8, ::1, localhost). */
export function isLoopbackServer(server: string): boolean {
  const host = new URL(server).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The limits to apply: what was asked for, else upstream's 20 QPS / burst 30 for remote servers
 * and no limit for a loopback one. A `qps` ≤ 0 means no limit. `burst` defaults to 30, and never
 * below 1.
 */
export function effectiveClientLimits(
  server: string,
  asked: ClientLimits,
): { qps: number; burst: number } | undefined {
  const qps = asked.qps ?? (isLoopbackServer(server) ? undefined : defaultKubeApiQps);
  if (qps === undefined || qps <= 0) return undefined;
  return { qps, burst: Math.max(1, asked.burst ?? defaultKubeApiBurst) };
}
