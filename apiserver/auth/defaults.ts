/**
 * Defaults of authentication and authorization, with upstream's values and units in the names.
 */

/**
 * Paths anonymous requests may reach when anonymous authentication is otherwise off (upstream's
 * `AuthenticationConfiguration.anonymous.conditions` as kubeadm sets them). RBAC still decides:
 * `system:public-info-viewer` grants `get` on exactly these to `system:unauthenticated`.
 */
export const anonymousPaths = ['/healthz', '/livez', '/readyz', '/version'];

/** kind's `--service-account-issuer`; also the default API audience. */
export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';

/** Issuer (`iss`) of legacy, Secret-based ServiceAccount tokens. */
export const legacyServiceAccountIssuer = 'kubernetes/serviceaccount';

/** TokenRequest `spec.expirationSeconds` default (upstream: 1 hour). */
export const tokenRequestDefaultExpirationSeconds = 3600;

/** TokenRequest minimum `spec.expirationSeconds` (upstream: 10 minutes). */
export const tokenRequestMinExpirationSeconds = 600;

/** TokenRequest maximum `spec.expirationSeconds` (upstream validation: 2^32 seconds). */
export const tokenRequestMaxExpirationSeconds = 2 ** 32;

/**
 * A bound token whose pod or secret was deleted stays valid while the object's deletion is still
 * this recent (upstream allows the object's grace period; 60 s is the pod default's order).
 */
export const boundObjectDeletionGraceMs = 60_000;

/** The RBAC cache waits at most this long for the watch caches at start-up before answering. */
export const rbacCacheWaitMs = 30_000;
