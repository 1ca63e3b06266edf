/**
 * Bounds the watches one client holds open (kuberx's stand-in for upstream's priority &
 * fairness seats): a client — the authenticated user, else the remote address — with `max`
 * watches open gets 429 `Too many requests, please try again later.` with `Retry-After: 1` for
 * the next one, until one of its watches ends. 0 disables the bound.
 */
import type { Filter, RequestScope } from '../server/scope.js';
import * as defaults from './defaults.js';
import { writeTooManyRequests } from './inflight.js';

export interface WatchLimitOptions {
  maxPerClient?: number;
  retryAfterSeconds?: number;
}

/** The client a request is charged to. */
export function clientKey(scope: RequestScope): string {
  if (scope.user) return `user:${scope.user.username}`;
  return `addr:${scope.req.socket.remoteAddress ?? ''}`;
}

export function watchLimitFilter(
  opts: WatchLimitOptions = {},
): Filter & { open: Map<string, number>; rejected: () => number } {
  const max = opts.maxPerClient ?? defaults.maxWatchesPerClient;
  const retryAfter = opts.retryAfterSeconds ?? defaults.retryAfterSeconds;
  const open = new Map<string, number>();
  let rejected = 0;
  const filter = async (scope: RequestScope, next: () => Promise<void>): Promise<void> => {
    if (scope.info.verb !== 'watch' || max <= 0) return next();
    const key = clientKey(scope);
    const count = open.get(key) ?? 0;
    if (count >= max) {
      rejected++;
      writeTooManyRequests(scope, retryAfter);
      return;
    }
    open.set(key, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (open.get(key) ?? 1) - 1;
      if (n <= 0) open.delete(key);
      else open.set(key, n);
    };
    scope.res.once('close', release);
    try {
      await next();
    } finally {
      if (scope.res.writableEnded || scope.res.destroyed) release();
    }
  };
  return Object.assign(filter, { open, rejected: () => rejected });
}
