/**
 * 403 responses with upstream's words (`responsewriters.Forbidden`):
 *
 * - `pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace
 *   "default"` (collections), `pods "web" is forbidden: …` (named objects),
 * - `… at the cluster scope` for cluster-scoped requests,
 * - `forbidden: User "bob" cannot get path "/metrics"` for non-resource requests,
 *
 * followed by `: <reason>` when the authorizer gave one.
 */
import { StatusError, newForbidden } from '../../../common/index.js';
import type { Attributes } from './types.js';

/** Upstream `forbiddenMessage`. */
export function forbiddenMessage(attrs: Attributes): string {
  const user = attrs.user.username;
  if (!attrs.isResourceRequest) return `User "${user}" cannot ${attrs.verb} path "${attrs.path}"`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const where = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" ${where}`;
}

export function forbiddenError(attrs: Attributes, reason: string): StatusError {
  let why = forbiddenMessage(attrs);
  if (reason) why += `: ${reason}`;
  if (!attrs.isResourceRequest) {
    return new StatusError({
      code: 403,
      reason: 'Forbidden',
      message: `forbidden: ${why}`,
      details: {},
    });
  }
  return newForbidden({ group: attrs.apiGroup, resource: attrs.resource }, attrs.name, why);
}
