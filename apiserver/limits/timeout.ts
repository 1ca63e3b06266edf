/**
 * The request timeout filter (upstream `WithTimeoutForNonLongRunningRequests` and
 * `WithRequestDeadline`): a non-long-running request that has not answered after the timeout
 * (default 60 s, or the request's shorter `?timeout=`) gets 504 `Timeout: request did not complete
 * within requested timeout - context deadline exceeded`; whatever the handler writes later is
 * dropped. A `timeout` that is not a duration (`30s`, `1m`, `500ms`) is 400 `invalid timeout
 * specified in the request URL`. Time comes from the injected clock.
 *
 * The handler is not cancelled (a write may still complete after the 504, as upstream warns).
 */
import {
  type Clock,
  newBadRequest,
  parseGoDuration,
  realClock,
  StatusError,
} from '../../common/index.js';
import { writeError } from '../server/http.js';
import type { Filter, RequestScope } from '../server/scope.js';
import * as defaults from './defaults.js';
import { isLongRunning } from './longrunning.js';

export interface RequestTimeoutOptions {
  timeoutSeconds?: number;
  clock?: Clock;
}

/** Go's `time.ParseDuration`, in ms; undefined when `s` is not a duration. */
export { parseGoDuration } from '../../common/index.js';

/** Upstream `NewTimeoutError("request did not complete within requested timeout - …", 0)`. */
export function requestTimeoutError(): StatusError {
  return new StatusError({
    code: 504,
    reason: 'Timeout',
    message:
      'Timeout: request did not complete within requested timeout - context deadline exceeded',
    details: {},
  });
}

export function requestTimeoutFilter(opts: RequestTimeoutOptions = {}): Filter {
  const clock = opts.clock ?? realClock;
  const maxMs = (opts.timeoutSeconds ?? defaults.requestTimeoutSeconds) * 1000;
  return async (scope: RequestScope, next: () => Promise<void>): Promise<void> => {
    if (isLongRunning(scope.info) || maxMs <= 0) return next();
    let timeoutMs = maxMs;
    const param = scope.query.get('timeout');
    if (param) {
      const ms = parseGoDuration(param);
      if (ms === undefined) throw newBadRequest('invalid timeout specified in the request URL');
      if (ms > 0) timeoutMs = Math.min(ms, maxMs);
    }
    let timer: { cancel(): void } | undefined;
    const expired = new Promise<'timeout'>((resolve) => {
      timer = clock.setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const work = next().then(
      () => 'done' as const,
      (err: unknown) => ({ err }),
    );
    const first = await Promise.race([work, expired]);
    timer?.cancel();
    if (first === 'timeout') {
      if (!scope.res.headersSent) writeError(scope.res, requestTimeoutError());
      else scope.res.destroy();
      // The handler still runs; its late writes go to a finished response and are dropped.
      void work;
      return;
    }
    if (first !== 'done') throw first.err;
  };
}
