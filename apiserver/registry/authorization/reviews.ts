/**
 * authorization.k8s.io/v1: SubjectAccessReview, SelfSubjectAccessReview,
 * LocalSubjectAccessReview and SelfSubjectRulesReview (pkg/apis/authorization and its
 * validation). Create-only and never stored: the API server answers them from its authorizer
 * (see `apiserver/auth/reviews`).
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { invalid } from '../validation/field.js';

/** `authorization.GroupName`. */
export const authorizationGroup = 'authorization.k8s.io';

type Obj = Record<string, unknown>;

const review = {
  group: authorizationGroup,
  version: 'v1',
  verbs: ['create'],
} satisfies Partial<ResourceType>;

export const subjectAccessReviews: ResourceType = {
  ...review,
  resource: 'subjectaccessreviews',
  singularName: 'subjectaccessreview',
  kind: 'SubjectAccessReview',
  namespaced: false,
};

export const selfSubjectAccessReviews: ResourceType = {
  ...review,
  resource: 'selfsubjectaccessreviews',
  singularName: 'selfsubjectaccessreview',
  kind: 'SelfSubjectAccessReview',
  namespaced: false,
};

export const localSubjectAccessReviews: ResourceType = {
  ...review,
  resource: 'localsubjectaccessreviews',
  singularName: 'localsubjectaccessreview',
  kind: 'LocalSubjectAccessReview',
  namespaced: true,
};

export const selfSubjectRulesReviews: ResourceType = {
  ...review,
  resource: 'selfsubjectrulesreviews',
  singularName: 'selfsubjectrulesreview',
  kind: 'SelfSubjectRulesReview',
  namespaced: false,
};

function attributesErrors(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const res = spec.resourceAttributes;
  const nonRes = spec.nonResourceAttributes;
  if (res != null && nonRes != null)
    errs.push(
      invalid(
        'spec.nonResourceAttributes',
        nonRes,
        'cannot be specified in combination with resourceAttributes',
      ),
    );
  if (res == null && nonRes == null)
    errs.push(
      invalid(
        'spec.resourceAttributes',
        nonRes ?? null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    );
  return errs;
}

function metadataMustBeEmpty(obj: KubeObject, allowNamespace: boolean): FieldError[] {
  const meta = { ...(obj.metadata ?? {}) } as Obj;
  delete meta.managedFields;
  if (allowNamespace) delete meta.namespace;
  const empty = Object.values(meta).every((v) => v === undefined || v === null || v === '');
  if (empty) return [];
  return [
    invalid(
      'metadata',
      obj.metadata,
      allowNamespace ? 'must be empty except for namespace' : 'must be empty',
    ),
  ];
}

/** `ValidateSubjectAccessReviewSpec`: the attributes, and a user or a group to ask about. */
function subjectAccessReviewSpecErrors(spec: Obj): FieldError[] {
  const errs = attributesErrors(spec);
  const groups = Array.isArray(spec.groups) ? spec.groups : [];
  if (!spec.user && groups.length === 0)
    errs.push(
      invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'),
    );
  return errs;
}

/** `ValidateSubjectAccessReview`. */
export function validateSubjectAccessReview(obj: KubeObject): FieldError[] {
  return [
    ...subjectAccessReviewSpecErrors((obj.spec ?? {}) as Obj),
    ...metadataMustBeEmpty(obj, false),
  ];
}

/** `ValidateSelfSubjectAccessReview`. */
export function validateSelfSubjectAccessReview(obj: KubeObject): FieldError[] {
  return [...attributesErrors((obj.spec ?? {}) as Obj), ...metadataMustBeEmpty(obj, false)];
}

/** `ValidateLocalSubjectAccessReview`: the review's namespace is the URL's. */
export function validateLocalSubjectAccessReview(obj: KubeObject): FieldError[] {
  const spec = (obj.spec ?? {}) as Obj;
  const errs = subjectAccessReviewSpecErrors(spec);
  errs.push(...metadataMustBeEmpty(obj, true));
  const res = spec.resourceAttributes as Obj | undefined | null;
  if (res && (res.namespace ?? '') !== (obj.metadata?.namespace ?? ''))
    errs.push(
      invalid(
        'spec.resourceAttributes.namespace',
        res.namespace ?? '',
        'must match metadata.namespace',
      ),
    );
  if (spec.nonResourceAttributes != null)
    errs.push(
      invalid(
        'spec.nonResourceAttributes',
        spec.nonResourceAttributes,
        'disallowed on this kind of request',
      ),
    );
  return errs;
}
