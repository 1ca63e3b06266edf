/**
 * Authentication, authorization and the cluster's security stack.
 *
 * - {@link createSecureApiServer} / {@link SecureApiServer}: the API server over HTTPS with every
 *   piece below wired in; {@link startSecureTestServer} for test suites.
 * - Authentication: {@link authenticationFilter} over {@link x509Authenticator},
 *   {@link loadTokenFile} (`--token-auth-file`) and {@link ServiceAccountTokens}; anonymous only
 *   for health and version paths unless told otherwise.
 * - {@link impersonationFilter}; {@link authorizationFilter} over a union of
 *   {@link privilegedGroupsAuthorizer} (`system:masters`) and {@link RBACAuthorizer}.
 * - RBAC: {@link RBACCache} (watch-cache fed), {@link ClusterRoleAggregator},
 *   {@link rbacEscalationPlugin}, the bootstrap policy ({@link bootstrapPolicy}).
 * - Reviews: {@link reviewsFilter} (TokenReview, SelfSubjectReview, SubjectAccessReview,
 *   SelfSubjectAccessReview, LocalSubjectAccessReview, SelfSubjectRulesReview).
 */
export { createSecureApiServer, SecureApiServer } from './secure.js';
export type { SecureApiServerOptions, SecureApiServerStarted } from './secure.js';
export { startSecureTestServer } from './testing.js';
export type { SecureTestServer, SecureTestServerOptions } from './testing.js';
export { authenticationFilter, bearerToken, type AnonymousMode } from './authn/filter.js';
export { x509Authenticator } from './authn/x509.js';
export { loadTokenFile, parseTokenFile, tokenFileAuthenticator } from './authn/tokenfile.js';
export {
  AuthenticationError,
  authenticateToken,
  type AuthenticationResult,
  type RequestAuthenticator,
  type TokenAuthenticator,
} from './authn/types.js';
export { authorizationFilter } from './authz/filter.js';
export { forbiddenError, forbiddenMessage } from './authz/forbidden.js';
export {
  alwaysAllow,
  attributesFrom,
  privilegedGroupsAuthorizer,
  unionAuthorizer,
  type Attributes,
  type AuthorizationResult,
  type Authorizer,
  type Decision,
  type PolicyRule,
  type RuleResolver,
} from './authz/types.js';
export { impersonationFilter } from './impersonation.js';
export { RBACAuthorizer } from './rbac/authorizer.js';
export { RBACCache } from './rbac/cache.js';
export { RBACObjects, type RBACKind, type RBACLister } from './rbac/objects.js';
export { ClusterRoleAggregator, aggregatedRules } from './rbac/aggregation.js';
export { confirmNoEscalation, rbacEscalationPlugin } from './rbac/escalation.js';
export { bootstrapPolicy, ensureBootstrapPolicy } from './rbac/bootstrap/reconcile.js';
export { reviewsFilter, type ReviewContext } from './reviews/filter.js';
export { ServiceAccountTokens, type BoundObject } from './serviceaccount/tokens.js';
export { serverObjectGetter, type ObjectGetter } from './serviceaccount/getter.js';
export * from './user.js';
export * as authDefaults from './defaults.js';
