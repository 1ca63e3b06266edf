/**
 * The max-in-flight filter (upstream `WithMaxInFlightLimit`): at most `maxMutating` mutating
 * (create, update, patch, delete, deletecollection) and `maxReadOnly` other requests run at once;
 * one more is answered at once with 429 `Too many requests, please try again later.` and
 * `Retry-After: 1` (plain text, as upstream), never queued. Long-running requests (watches,
 * exec, logs…) are not counted. Members of `system:masters` are never refused. A limit of 0
 * disables that class. A slot is held until the handler finishes, even past a request timeout
 * (put this filter inside the timeout filter, as upstream does).
 */
import type { Filter, RequestScope } from '../server/scope.js';
import * as defaults from './defaults.js';
import { isLongRunning, tooManyRequestsBody } from './longrunning.js';

export interface MaxInFlightOptions {
  maxReadOnly?: number;
  maxMutating?: number;
  retryAfterSeconds?: number;
}

const readOnlyVerbs = new Set(['get', 'list', 'watch', 'head', 'options']);

/** Live counters of a {@link maxInFlightFilter}, for metrics and tests. */
export interface InFlightStats {
  readOnly: number;
  mutating: number;
  rejected: number;
}

/** Writes upstream's 429 answer (no-op when a response has already started). */
export function writeTooManyRequests(scope: RequestScope, retryAfterSeconds: number): void {
  const { res } = scope;
  if (res.headersSent) return;
  res.writeHead(429, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Retry-After': String(retryAfterSeconds),
    'Content-Length': Buffer.byteLength(tooManyRequestsBody),
  });
  res.end(tooManyRequestsBody);
}

export function maxInFlightFilter(
  opts: MaxInFlightOptions = {},
): Filter & { stats: InFlightStats } {
  const maxReadOnly = opts.maxReadOnly ?? defaults.maxRequestsInFlight;
  const maxMutating = opts.maxMutating ?? defaults.maxMutatingRequestsInFlight;
  const retryAfter = opts.retryAfterSeconds ?? defaults.retryAfterSeconds;
  const stats: InFlightStats = { readOnly: 0, mutating: 0, rejected: 0 };
  const filter = async (scope: RequestScope, next: () => Promise<void>): Promise<void> => {
    if (isLongRunning(scope.info)) return next();
    const mutating = !readOnlyVerbs.has(scope.info.verb);
    const limit = mutating ? maxMutating : maxReadOnly;
    const key = mutating ? 'mutating' : 'readOnly';
    if (limit > 0 && stats[key] >= limit) {
      if (!scope.user?.groups.includes('system:masters')) {
        stats.rejected++;
        writeTooManyRequests(scope, retryAfter);
        return;
      }
    }
    stats[key]++;
    try {
      await next();
    } finally {
      stats[key]--;
    }
  };
  return Object.assign(filter, { stats });
}
