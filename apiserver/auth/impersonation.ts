/**
 * The impersonation filter (upstream `WithImpersonation`), between authentication and
 * authorization: `Impersonate-User`, `Impersonate-Group` (repeatable), `Impersonate-Uid` and
 * `Impersonate-Extra-<key>` (`kubectl --as`, `--as-group`, `--as-uid`) make the request act as
 * another user — when the authenticated user may `impersonate` each thing asked for:
 *
 * | header                          | RBAC check                                                   |
 * | ------------------------------- | ------------------------------------------------------------ |
 * | user `system:serviceaccount:n:s`| impersonate `serviceaccounts` "s" in namespace "n" (group "") |
 * | any other user                  | impersonate `users` "<name>" (group "")                      |
 * | each group                      | impersonate `groups` "<name>" (group "")                     |
 * | uid                             | impersonate `uids` "<uid>" (authentication.k8s.io)           |
 * | extra key=value                 | impersonate `userextras/<key>` "<value>" (authentication.k8s.io) |
 *
 * The first refusal is a 403 with upstream's message (`users "alice" is forbidden: User "bob"
 * cannot impersonate resource "users" in API group "" at the cluster scope`). Groups, UID or extras
 * without a user are a 400 (upstream answers 500; a malformed request is the client's fault). The
 * impersonated user gets `system:authenticated` (or `system:unauthenticated` for
 * `system:anonymous`); a ServiceAccount without explicit groups gets its ServiceAccount groups.
 * The headers are removed before the request goes on.
 */
import { newBadRequest } from '../../common/index.js';
import type { Filter } from '../server/scope.js';
import { forbiddenError } from './authz/forbidden.js';
import type { Attributes, Authorizer } from './authz/types.js';
import {
  allAuthenticated,
  allUnauthenticated,
  anonymous,
  anonymousUser,
  serviceAccountGroups,
  splitServiceAccountUsername,
  type UserInfo,
} from './user.js';

const userHeader = 'impersonate-user';
const groupHeader = 'impersonate-group';
const uidHeader = 'impersonate-uid';
const extraPrefix = 'impersonate-extra-';
const authenticationGroup = 'authentication.k8s.io';

function decodeExtraKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function impersonationFilter(authorizer: Authorizer, ready?: Promise<void>): Filter {
  return async (scope, next) => {
    const headers = scope.req.headersDistinct;
    const requestedUser = headers[userHeader]?.[0] ?? '';
    const requestedGroups = headers[groupHeader] ?? [];
    const requestedUID = headers[uidHeader]?.[0] ?? '';
    const extras = Object.keys(headers).filter((h) => h.startsWith(extraPrefix));
    if (!requestedUser && requestedGroups.length === 0 && !requestedUID && extras.length === 0)
      return next();
    if (!requestedUser) {
      throw newBadRequest(
        'requested impersonation of groups, uid or extra without impersonating a user',
      );
    }
    if (ready) await ready;
    const requestor = scope.user ?? anonymous();
    const check = (
      a: Omit<Attributes, 'user' | 'verb' | 'isResourceRequest' | 'path' | 'apiVersion'>,
    ) => {
      const attrs: Attributes = {
        ...a,
        user: requestor,
        verb: 'impersonate',
        isResourceRequest: true,
        path: scope.url.pathname,
        apiVersion: '',
      };
      const res = authorizer.authorize(attrs);
      if (res.decision !== 'Allow') throw forbiddenError(attrs, res.reason);
    };
    const base = { apiGroup: '', namespace: '', subresource: '' };
    let groups: string[] = [];
    const sa = splitServiceAccountUsername(requestedUser);
    if (sa) {
      check({ ...base, resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name });
      if (requestedGroups.length === 0) groups = serviceAccountGroups(sa.namespace);
    } else {
      check({ ...base, resource: 'users', name: requestedUser });
    }
    for (const g of requestedGroups) {
      check({ ...base, resource: 'groups', name: g });
      groups.push(g);
    }
    const user: UserInfo = { username: requestedUser, groups };
    if (requestedUID) {
      check({ ...base, apiGroup: authenticationGroup, resource: 'uids', name: requestedUID });
      user.uid = requestedUID;
    }
    for (const h of extras) {
      const key = decodeExtraKey(h.slice(extraPrefix.length)).toLowerCase();
      for (const value of headers[h] ?? []) {
        check({
          ...base,
          apiGroup: authenticationGroup,
          resource: 'userextras',
          subresource: key,
          name: value,
        });
        (user.extra ??= {})[key] = [...(user.extra[key] ?? []), value];
      }
    }
    if (requestedUser === anonymousUser) {
      if (!groups.includes(allUnauthenticated)) groups.push(allUnauthenticated);
    } else if (!groups.includes(allAuthenticated) && !groups.includes(allUnauthenticated)) {
      groups.push(allAuthenticated);
    }
    for (const h of [userHeader, groupHeader, uidHeader, ...extras]) delete scope.req.headers[h];
    scope.user = user;
    return next();
  };
}
