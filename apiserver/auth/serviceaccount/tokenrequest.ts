/**
 * `POST …/namespaces/<ns>/serviceaccounts/<name>/token` — the TokenRequest subresource (upstream
 * `serviceaccount/storage.TokenREST`), which `kubectl create token` calls.
 *
 * The body is an authentication.k8s.io/v1 TokenRequest; `spec.expirationSeconds` defaults to 3600
 * and must be 600 … 2^32 (422 otherwise), `spec.audiences` defaults to the API audiences, and an
 * optional `spec.boundObjectRef` binds the token to a Pod (which must run as this
 * ServiceAccount), Secret or Node of the same namespace (400 for other kinds, 404 when missing,
 * 409 when its UID differs). The ServiceAccount must exist (404). The answer is 201 with
 * `status.token` and `status.expirationTimestamp`. The token itself is never logged.
 */
import { newBadRequest, newConflict, newInvalid, newNotFound } from '../../../common/index.js';
import type { HandlerContext } from '../../handlers/context.js';
import {
  authenticationGroup,
  setDefaultsTokenRequest,
  validateTokenRequest,
} from '../../registry/authentication/reviews.js';
import type { SubresourceHandler } from '../../server/router.js';
import { readTypedBody, respond } from '../reviews/body.js';
import type { ObjectGetter } from './getter.js';
import type { BoundObject, BoundObjectKind, ServiceAccountTokens } from './tokens.js';

const boundResources: Record<BoundObjectKind, string> = {
  Pod: 'pods',
  Secret: 'secrets',
  Node: 'nodes',
};

export function tokenRequestHandler(
  tokens: ServiceAccountTokens,
  getter: ObjectGetter,
): SubresourceHandler {
  return async (ctx: HandlerContext) => {
    const { scope } = ctx;
    const { namespace, name } = scope.info;
    const req = await readTypedBody(
      scope,
      ctx.services.maxRequestBodyBytes,
      `${authenticationGroup}/v1`,
      'TokenRequest',
    );
    setDefaultsTokenRequest(req, tokens.apiAudiences);
    const errs = validateTokenRequest(req);
    if (errs.length)
      throw newInvalid({ group: authenticationGroup, kind: 'TokenRequest' }, name, errs);
    const sa = await getter.get('', 'serviceaccounts', namespace, name);
    if (!sa) throw newNotFound({ group: '', resource: 'serviceaccounts' }, name);
    const spec = req.spec as {
      audiences: string[];
      expirationSeconds: number;
      boundObjectRef?: Record<string, string>;
    };
    let bound: BoundObject | undefined;
    const ref = spec.boundObjectRef;
    if (ref) {
      const kind = ref.kind as BoundObjectKind;
      if (!(kind in boundResources) || (ref.apiVersion ?? 'v1') !== 'v1')
        throw newBadRequest(
          `cannot bind token to object of type ${ref.apiVersion ?? ''}, Kind=${ref.kind ?? ''}`,
        );
      const resource = boundResources[kind];
      const obj = await getter.get('', resource, kind === 'Node' ? '' : namespace, ref.name ?? '');
      if (!obj) throw newNotFound({ group: '', resource }, ref.name ?? '');
      if (kind === 'Pod') {
        const podSA =
          ((obj.spec ?? {}) as { serviceAccountName?: string }).serviceAccountName ?? 'default';
        if (podSA !== name)
          throw newBadRequest(
            `cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`,
          );
      }
      const uid = obj.metadata?.uid ?? '';
      if (ref.uid && ref.uid !== uid) {
        throw newConflict(
          { group: '', resource: kind },
          ref.name ?? '',
          `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
        );
      }
      bound = { kind, name: ref.name ?? '', uid };
    }
    const issued = tokens.issueBound({
      serviceAccount: sa,
      audiences: spec.audiences,
      expirationSeconds: spec.expirationSeconds,
      boundObject: bound,
    });
    respond(scope, 201, {
      ...req,
      metadata: { name, namespace, creationTimestamp: null },
      status: {
        token: issued.token,
        expirationTimestamp: issued.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    });
  };
}
