/**
 * Upstream `BasicLongRunningRequestCheck(watch, proxy; attach, exec, proxy, log, portforward)`:
 * requests that may stay open indefinitely, and so are exempt from the in-flight limit and the
 * request timeout.
 */
import type { RequestInfo } from '../server/requestinfo.js';

const longRunningVerbs = new Set(['watch', 'proxy']);
const longRunningSubresources = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

export function isLongRunning(info: RequestInfo): boolean {
  return (
    longRunningVerbs.has(info.verb) ||
    (info.isResourceRequest && longRunningSubresources.has(info.subresource))
  );
}

/** Upstream's answer to a request over a limit: plain text 429 with `Retry-After`. */
export const tooManyRequestsBody = 'Too many requests, please try again later.\n';
