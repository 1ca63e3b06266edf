/**
 * Well-known users and groups (upstream `k8s.io/apiserver/pkg/authentication/user` and
 * `…/serviceaccount`), and the helpers that build ServiceAccount user names.
 */
import type { UserInfo } from '../admission/types.js';

export type { UserInfo };

/** Members may do anything; the API server never asks the authorizer about them. */
export const systemPrivilegedGroup = 'system:masters';
export const allAuthenticated = 'system:authenticated';
export const allUnauthenticated = 'system:unauthenticated';
export const anonymousUser = 'system:anonymous';
export const nodesGroup = 'system:nodes';
export const nodeUserPrefix = 'system:node:';
export const kubeControllerManager = 'system:kube-controller-manager';
export const kubeScheduler = 'system:kube-scheduler';

export const serviceAccountUsernamePrefix = 'system:serviceaccount:';
export const allServiceAccountsGroup = 'system:serviceaccounts';

/** `system:serviceaccount:<ns>:<name>`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${serviceAccountUsernamePrefix}${namespace}:${name}`;
}

/** `system:serviceaccounts` and `system:serviceaccounts:<ns>`. */
export function serviceAccountGroups(namespace: string): string[] {
  return [allServiceAccountsGroup, `${allServiceAccountsGroup}:${namespace}`];
}

/** Namespace and name of a ServiceAccount user name, or undefined for any other user. */
export function splitServiceAccountUsername(
  username: string,
): { namespace: string; name: string } | undefined {
  if (!username.startsWith(serviceAccountUsernamePrefix)) return undefined;
  const parts = username.slice(serviceAccountUsernamePrefix.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

/** The user of a request with no credentials, when anonymous requests are allowed. */
export function anonymous(): UserInfo {
  return { username: anonymousUser, groups: [allUnauthenticated] };
}

/**
 * Adds `system:authenticated` to an authenticated user's groups unless already there (upstream's
 * `AuthenticatedGroupAdder`); the anonymous user is left alone.
 */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.username === anonymousUser || user.groups.includes(allAuthenticated)) return user;
  return { ...user, groups: [...user.groups, allAuthenticated] };
}
