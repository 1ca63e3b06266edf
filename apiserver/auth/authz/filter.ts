/**
 * The authorization filter (upstream `WithAuthorization`): every request — resource or not — is
 * asked of the authorizer with the attributes the server derived from its URL and method, for the
 * user authentication set. Allow proceeds; anything else is 403 with upstream's message. A request
 * that reaches this filter without a user is a server bug and is refused the same way, as
 * anonymous.
 *
 * `ready` (the RBAC cache's first load) is awaited before the first decision, so a request that
 * arrives while the server is still starting waits rather than being refused by an empty cache.
 */
import type { Filter } from '../../server/scope.js';
import { anonymous } from '../user.js';
import { forbiddenError } from './forbidden.js';
import { attributesFrom, type Authorizer } from './types.js';

export function authorizationFilter(authorizer: Authorizer, ready?: Promise<void>): Filter {
  let isReady = ready === undefined;
  return async (scope, next) => {
    if (!isReady) {
      await ready;
      isReady = true;
    }
    const attrs = attributesFrom(scope.info, scope.user ?? anonymous());
    const res = authorizer.authorize(attrs);
    if (res.decision !== 'Allow') throw forbiddenError(attrs, res.reason);
    return next();
  };
}
