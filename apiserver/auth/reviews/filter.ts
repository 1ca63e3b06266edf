/**
 * The review APIs, answered from the server's own authenticator and authorizer and never stored
 * (upstream's `tokenreview`, `selfsubjectreview`, `subjectaccessreview`,
 * `selfsubjectaccessreview`, `localsubjectaccessreview` and `selfsubjectrulesreview` REST):
 *
 * - TokenReview: does this bearer token authenticate, as whom, for which audiences.
 * - SelfSubjectReview (`kubectl auth whoami`): who am I.
 * - SubjectAccessReview / LocalSubjectAccessReview: may this user do this.
 * - SelfSubjectAccessReview (`kubectl auth can-i`): may I do this.
 * - SelfSubjectRulesReview (`kubectl auth can-i --list`): what may I do in this namespace.
 *
 * It is a filter placed after authorization (so the `create` on the review itself has been
 * allowed) that answers `POST` to these collections with 201 and the review with its `status`;
 * every other verb goes on to the router (which answers 405). Invalid specs are 422 with
 * upstream's field messages; a TokenReview without a token and a rules review without a namespace
 * are 400.
 */
import { newBadRequest, newInvalid } from '../../../common/index.js';
import { authenticationGroup } from '../../registry/authentication/reviews.js';
import {
  authorizationGroup,
  validateLocalSubjectAccessReview,
  validateSelfSubjectAccessReview,
  validateSubjectAccessReview,
} from '../../registry/authorization/reviews.js';
import type { KubeObject } from '../../registry/types.js';
import type { Filter, RequestScope } from '../../server/scope.js';
import { AuthenticationError, authenticateToken, type TokenAuthenticator } from '../authn/types.js';
import type { Attributes, Authorizer, RuleResolver } from '../authz/types.js';
import { anonymous, withAuthenticatedGroup, type UserInfo } from '../user.js';
import { alwaysAllow } from '../authz/types.js';
import { maxRequestBodyBytes } from '../../defaults.js';
import { readTypedBody, respond } from './body.js';

export interface ReviewContext {
  tokenAuthenticators: readonly TokenAuthenticator[];
  apiAudiences: string[];
  authorizer: Authorizer;
  ruleResolver: RuleResolver;
  maxRequestBodyBytes: number;
}

type Obj = Record<string, unknown>;
type Handler = (ctx: ReviewContext, scope: RequestScope, review: KubeObject) => Promise<Obj>;

const kinds: Record<string, { kind: string; handle: Handler }> = {
  [`${authenticationGroup}/tokenreviews`]: { kind: 'TokenReview', handle: tokenReview },
  [`${authenticationGroup}/selfsubjectreviews`]: {
    kind: 'SelfSubjectReview',
    handle: selfSubjectReview,
  },
  [`${authorizationGroup}/subjectaccessreviews`]: {
    kind: 'SubjectAccessReview',
    handle: subjectAccessReview,
  },
  [`${authorizationGroup}/selfsubjectaccessreviews`]: {
    kind: 'SelfSubjectAccessReview',
    handle: selfSubjectAccessReview,
  },
  [`${authorizationGroup}/localsubjectaccessreviews`]: {
    kind: 'LocalSubjectAccessReview',
    handle: localSubjectAccessReview,
  },
  [`${authorizationGroup}/selfsubjectrulesreviews`]: {
    kind: 'SelfSubjectRulesReview',
    handle: selfSubjectRulesReview,
  },
};

export function reviewsFilter(ctx: ReviewContext): Filter {
  return async (scope, next) => {
    const { info } = scope;
    const entry = kinds[`${info.apiGroup}/${info.resource}`];
    if (!info.isResourceRequest || !entry || info.verb !== 'create' || info.name !== '')
      return next();
    const apiVersion = `${info.apiGroup}/${info.apiVersion}`;
    const review = await readTypedBody(scope, ctx.maxRequestBodyBytes, apiVersion, entry.kind);
    const status = await entry.handle(ctx, scope, review);
    respond(scope, 201, {
      ...review,
      metadata: { ...review.metadata, creationTimestamp: null },
      status,
    });
  };
}

/**
 * The reviews of a server without authentication or authorization (plain HTTP): every token is
 * unknown, every access allowed — upstream's answers under `AlwaysAllow` with no authenticators.
 * The secure stack puts its own {@link reviewsFilter} in front of this one.
 */
export function unauthenticatedReviews(limit = maxRequestBodyBytes): Filter {
  return reviewsFilter({
    tokenAuthenticators: [],
    apiAudiences: [],
    authorizer: alwaysAllow,
    ruleResolver: alwaysAllow,
    maxRequestBodyBytes: limit,
  });
}

function userInfoOf(u: UserInfo): Obj {
  const out: Obj = { username: u.username, groups: [...u.groups] };
  if (u.uid) out.uid = u.uid;
  if (u.extra && Object.keys(u.extra).length > 0) out.extra = u.extra;
  return out;
}

async function tokenReview(
  ctx: ReviewContext,
  _scope: RequestScope,
  review: KubeObject,
): Promise<Obj> {
  const spec = (review.spec ?? {}) as Obj;
  const token = typeof spec.token === 'string' ? spec.token : '';
  if (!token) throw newBadRequest('token is required for TokenReview in authentication');
  const asked =
    Array.isArray(spec.audiences) && spec.audiences.length > 0
      ? (spec.audiences as string[])
      : undefined;
  try {
    const res = await authenticateToken(ctx.tokenAuthenticators, token, asked ?? ctx.apiAudiences);
    return {
      authenticated: true,
      user: userInfoOf(withAuthenticatedGroup(res.user)),
      audiences: res.audiences ?? asked ?? ctx.apiAudiences,
    };
  } catch (err) {
    if (!(err instanceof AuthenticationError)) throw err;
    return { authenticated: false, user: {}, error: err.message };
  }
}

async function selfSubjectReview(_ctx: ReviewContext, scope: RequestScope): Promise<Obj> {
  return { userInfo: userInfoOf(scope.user ?? anonymous()) };
}

function attributesOf(spec: Obj, user: UserInfo, namespaceOverride?: string): Attributes {
  const res = spec.resourceAttributes as Obj | undefined | null;
  if (res) {
    const s = (k: string) => (typeof res[k] === 'string' ? (res[k] as string) : '');
    return {
      user,
      verb: s('verb'),
      isResourceRequest: true,
      path: '',
      namespace: namespaceOverride ?? s('namespace'),
      apiGroup: s('group'),
      apiVersion: s('version'),
      resource: s('resource'),
      subresource: s('subresource'),
      name: s('name'),
    };
  }
  const non = (spec.nonResourceAttributes ?? {}) as Obj;
  return {
    user,
    verb: typeof non.verb === 'string' ? non.verb : '',
    isResourceRequest: false,
    path: typeof non.path === 'string' ? non.path : '',
    namespace: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    name: '',
  };
}

function decide(ctx: ReviewContext, attrs: Attributes): Obj {
  const res = ctx.authorizer.authorize(attrs);
  const status: Obj = { allowed: res.decision === 'Allow' };
  if (res.decision === 'Deny') status.denied = true;
  if (res.reason) status.reason = res.reason;
  return status;
}

function specUser(spec: Obj): UserInfo {
  return {
    username: typeof spec.user === 'string' ? spec.user : '',
    uid: typeof spec.uid === 'string' ? spec.uid : undefined,
    groups: Array.isArray(spec.groups) ? (spec.groups as string[]) : [],
    extra: (spec.extra as Record<string, string[]> | undefined) ?? undefined,
  };
}

async function subjectAccessReview(
  ctx: ReviewContext,
  _s: RequestScope,
  review: KubeObject,
): Promise<Obj> {
  const errs = validateSubjectAccessReview(review);
  if (errs.length)
    throw newInvalid({ group: authorizationGroup, kind: 'SubjectAccessReview' }, '', errs);
  const spec = review.spec as Obj;
  return decide(ctx, attributesOf(spec, specUser(spec)));
}

async function selfSubjectAccessReview(
  ctx: ReviewContext,
  scope: RequestScope,
  review: KubeObject,
): Promise<Obj> {
  const errs = validateSelfSubjectAccessReview(review);
  if (errs.length)
    throw newInvalid({ group: authorizationGroup, kind: 'SelfSubjectAccessReview' }, '', errs);
  return decide(ctx, attributesOf(review.spec as Obj, scope.user ?? anonymous()));
}

async function localSubjectAccessReview(
  ctx: ReviewContext,
  scope: RequestScope,
  review: KubeObject,
): Promise<Obj> {
  const ns = scope.info.namespace;
  review.metadata = { ...review.metadata, namespace: review.metadata?.namespace ?? ns };
  if (review.metadata.namespace !== ns)
    throw newBadRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  const errs = validateLocalSubjectAccessReview(review);
  if (errs.length)
    throw newInvalid({ group: authorizationGroup, kind: 'LocalSubjectAccessReview' }, '', errs);
  const spec = review.spec as Obj;
  return decide(ctx, attributesOf(spec, specUser(spec), ns));
}

async function selfSubjectRulesReview(
  ctx: ReviewContext,
  scope: RequestScope,
  review: KubeObject,
): Promise<Obj> {
  const spec = (review.spec ?? {}) as Obj;
  const ns = typeof spec.namespace === 'string' ? spec.namespace : '';
  if (!ns) throw newBadRequest('no namespace on request');
  const { rules, errors } = ctx.ruleResolver.rulesFor(scope.user ?? anonymous(), ns);
  const resourceRules: Obj[] = [];
  const nonResourceRules: Obj[] = [];
  for (const r of rules) {
    if ((r.nonResourceURLs ?? []).length > 0) {
      nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
    } else {
      const rr: Obj = {
        verbs: r.verbs,
        apiGroups: r.apiGroups ?? [],
        resources: r.resources ?? [],
      };
      if ((r.resourceNames ?? []).length > 0) rr.resourceNames = r.resourceNames;
      resourceRules.push(rr);
    }
  }
  const status: Obj = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
  if (errors.length) status.evaluationError = errors.join(', ');
  return status;
}
