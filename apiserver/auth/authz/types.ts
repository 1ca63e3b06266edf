/**
 * Authorization, as upstream's `authorizer.Authorizer`: attributes of one request (who, which
 * verb on which resource or path) in, a decision with a reason out. Authorizers here decide
 * synchronously from in-memory state (the RBAC cache), so the filter never reads storage.
 */
import type { RequestInfo } from '../../server/requestinfo.js';
import type { UserInfo } from '../user.js';

/** Upstream `authorizer.AttributesRecord`. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** The URL path of a non-resource request. */
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
}

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

export interface AuthorizationResult {
  decision: Decision;
  /** Why: `RBAC: allowed by …` or the errors met while evaluating; '' when nothing to say. */
  reason: string;
}

export interface Authorizer {
  authorize(attrs: Attributes): AuthorizationResult;
}

/** Rules of the kind RBAC stores (`rbac/v1 PolicyRule`). */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** What a user may do in a namespace (upstream `authorizer.RuleResolver`). */
export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] };
}

/** Attributes of a request as classified by the server. */
export function attributesFrom(info: RequestInfo, user: UserInfo): Attributes {
  return {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    namespace: info.namespace,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
  };
}

/**
 * Authorizers in order (upstream `union`): the first Allow or Deny decides; NoOpinion falls
 * through, and the reasons of those that had one are joined.
 */
export function unionAuthorizer(authorizers: readonly Authorizer[]): Authorizer {
  return {
    authorize(attrs) {
      const reasons: string[] = [];
      for (const a of authorizers) {
        const res = a.authorize(attrs);
        if (res.decision !== 'NoOpinion') return res;
        if (res.reason) reasons.push(res.reason);
      }
      return { decision: 'NoOpinion', reason: reasons.join('\n') };
    },
  };
}

/** Members of the given groups may do anything (upstream `NewPrivilegedGroups`). */
export function privilegedGroupsAuthorizer(groups: readonly string[]): Authorizer & RuleResolver {
  const privileged = (u: UserInfo) => u.groups.some((g) => groups.includes(g));
  return {
    authorize: (attrs) =>
      privileged(attrs.user)
        ? { decision: 'Allow', reason: '' }
        : { decision: 'NoOpinion', reason: '' },
    rulesFor: (user) => ({
      rules: privileged(user)
        ? [
            { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
            { verbs: ['*'], nonResourceURLs: ['*'] },
          ]
        : [],
      errors: [],
    }),
  };
}

/** Allows everything (upstream `AlwaysAllow`), for servers run without authorization. */
export const alwaysAllow: Authorizer & RuleResolver = {
  authorize: () => ({ decision: 'Allow', reason: '' }),
  rulesFor: () => ({
    rules: [
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ],
    errors: [],
  }),
};
