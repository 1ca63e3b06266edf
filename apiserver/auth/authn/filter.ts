/**
 * The authentication filter (upstream `WithAuthentication` over a union of authenticators that
 * fails on error, then the anonymous authenticator):
 *
 * 1. Request authenticators (client certificates) in order; the first user wins.
 * 2. Otherwise an `Authorization: Bearer <token>` header goes to the token authenticators; a token
 *    none of them accepts is 401 — even where anonymous requests are allowed.
 * 3. A request with no credential at all is anonymous (`system:anonymous`, group
 *    `system:unauthenticated`) when `anonymous` is `all`, or is `public` and the path is one of
 *    {@link anonymousPaths}; otherwise 401.
 *
 * Authenticated users get the group `system:authenticated`. A 401 answers with upstream's body
 * (`Status` reason Unauthorized, message "Unauthorized") and says nothing of why; the reason goes to
 * the debug log, never the credential. The `Authorization` header is removed once consumed.
 */
import { newUnauthorized, type Logger } from '../../../common/index.js';
import type { Filter } from '../../server/scope.js';
import { anonymousPaths } from '../defaults.js';
import { anonymous, withAuthenticatedGroup } from '../user.js';
import {
  AuthenticationError,
  authenticateToken,
  type RequestAuthenticator,
  type TokenAuthenticator,
} from './types.js';

/** `all`: every request without credentials is anonymous; `public`: only the health/version paths. */
export type AnonymousMode = 'all' | 'public' | 'none';

export interface AuthenticationFilterOptions {
  requestAuthenticators: readonly RequestAuthenticator[];
  tokenAuthenticators: readonly TokenAuthenticator[];
  /** Default `public`. */
  anonymous?: AnonymousMode;
  logger: Logger;
}

/** The bearer token of an `Authorization` header, or undefined (upstream `bearertoken`). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const parts = header.trim().split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

function isPublicPath(path: string): boolean {
  return anonymousPaths.includes(path) || path === '/version/';
}

export function authenticationFilter(opts: AuthenticationFilterOptions): Filter {
  const mode = opts.anonymous ?? 'public';
  return async (scope, next) => {
    const { req } = scope;
    try {
      for (const a of opts.requestAuthenticators) {
        const res = await a.authenticate(req);
        if (res) {
          scope.user = withAuthenticatedGroup(res.user);
          return next();
        }
      }
      const token = bearerToken(req.headers.authorization);
      if (token !== undefined) {
        const res = await authenticateToken(opts.tokenAuthenticators, token);
        delete req.headers.authorization;
        scope.user = withAuthenticatedGroup(res.user);
        return next();
      }
    } catch (err) {
      if (!(err instanceof AuthenticationError)) throw err;
      opts.logger.debug(
        { path: scope.url.pathname, reason: err.message },
        'unable to authenticate the request',
      );
      throw newUnauthorized();
    }
    if (mode === 'all' || (mode === 'public' && isPublicPath(scope.url.pathname))) {
      scope.user = anonymous();
      return next();
    }
    throw newUnauthorized();
  };
}
