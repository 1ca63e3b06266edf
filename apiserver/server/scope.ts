/**
 * One request as it travels through the filter chain and the handlers, and the filter contract.
 *
 * A filter is middleware: it may inspect or enrich the scope (authentication sets `user`),
 * refuse the request by throwing a `StatusError` (authorization → 403), or wrap `next()` (logging,
 * timeouts). Filters run in order before routing; the server's own filters (panic recovery,
 * request info) come first, then the ones passed in options (authn, authz, priority & fairness
 * when the security issue lands).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../admission/types.js';
import type { RequestInfo } from './requestinfo.js';

export interface RequestScope {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  query: URLSearchParams;
  info: RequestInfo;
  /** Set by an authentication filter. */
  user?: UserInfo;
  /** `Warning` header texts to send with the response (e.g. unknown fields). */
  warnings: string[];
}

export type Filter = (scope: RequestScope, next: () => Promise<void>) => Promise<void>;

/** Runs `filters` around `handler`, in order. */
export function chain(filters: readonly Filter[], handler: (s: RequestScope) => Promise<void>) {
  return (scope: RequestScope): Promise<void> => {
    const run = (i: number): Promise<void> =>
      i < filters.length ? filters[i]!(scope, () => run(i + 1)) : handler(scope);
    return run(0);
  };
}

/** `Warning` header values for the scope's warnings (`299 - "text"`). */
export function warningHeaders(scope: RequestScope): Record<string, string[]> {
  if (scope.warnings.length === 0) return {};
  return { Warning: scope.warnings.map((w) => `299 - ${headerSafe(JSON.stringify(w))}`) };
}

/**
 * A quoted warning text as header bytes: UTF-8 (as upstream writes it), DEL escaped; JSON quoting
 * already escaped the other control characters. Any text a client sends (e.g. an unknown field
 * name echoed in a warning) can then be written without the response failing.
 */
function headerSafe(quoted: string): string {
  return Buffer.from(quoted.replace(/\x7f/g, '\\u007f'), 'utf8').toString('latin1');
}
