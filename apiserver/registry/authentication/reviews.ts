/**
 * authentication.k8s.io: TokenReview, SelfSubjectReview (v1, and v1beta1 for kubectl 1.27's
 * `auth whoami`), and the TokenRequest body of the `serviceaccounts/token` subresource
 * (pkg/apis/authentication, its defaults and validation).
 *
 * Reviews are create-only and never stored: the API server answers them from its authenticator
 * (see `apiserver/auth/reviews`). These types give discovery and the handlers their shape.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { invalid } from '../validation/field.js';

/** `authentication.GroupName`. */
export const authenticationGroup = 'authentication.k8s.io';

const review = {
  group: authenticationGroup,
  version: 'v1',
  namespaced: false,
  verbs: ['create'],
} satisfies Partial<ResourceType>;

export const tokenReviews: ResourceType = {
  ...review,
  resource: 'tokenreviews',
  singularName: 'tokenreview',
  kind: 'TokenReview',
};

export const selfSubjectReviews: ResourceType = {
  ...review,
  resource: 'selfsubjectreviews',
  singularName: 'selfsubjectreview',
  kind: 'SelfSubjectReview',
};

export const selfSubjectReviewsV1beta1: ResourceType = {
  ...selfSubjectReviews,
  version: 'v1beta1',
};

/** TokenRequest `spec.expirationSeconds` bounds and default (upstream). */
export const tokenRequestLimits = {
  defaultExpirationSeconds: 3600,
  minExpirationSeconds: 600,
  maxExpirationSeconds: 2 ** 32,
} as const;

/** `SetDefaults_TokenRequestSpec`: expirationSeconds 3600; audiences from the server. */
export function setDefaultsTokenRequest(obj: KubeObject, apiAudiences: string[]): void {
  const spec = ((obj.spec as Record<string, unknown> | undefined) ??= {}) as Record<
    string,
    unknown
  >;
  obj.spec = spec;
  if (spec.expirationSeconds === undefined || spec.expirationSeconds === null)
    spec.expirationSeconds = tokenRequestLimits.defaultExpirationSeconds;
  if (!Array.isArray(spec.audiences) || spec.audiences.length === 0)
    spec.audiences = [...apiAudiences];
}

/** `ValidateTokenRequest`. */
export function validateTokenRequest(obj: KubeObject): FieldError[] {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const errs: FieldError[] = [];
  const exp = spec.expirationSeconds;
  if (typeof exp !== 'number' || !Number.isInteger(exp)) {
    errs.push(invalid('spec.expirationSeconds', exp, 'must be an integer'));
  } else if (exp < tokenRequestLimits.minExpirationSeconds) {
    errs.push(
      invalid('spec.expirationSeconds', exp, 'may not specify a duration less than 10 minutes'),
    );
  } else if (exp > tokenRequestLimits.maxExpirationSeconds) {
    errs.push(
      invalid('spec.expirationSeconds', exp, 'may not specify a duration larger than 2^32 seconds'),
    );
  }
  const audiences = spec.audiences;
  if (!Array.isArray(audiences) || audiences.some((a) => typeof a !== 'string'))
    errs.push(invalid('spec.audiences', audiences, 'must be a list of strings'));
  return errs;
}
