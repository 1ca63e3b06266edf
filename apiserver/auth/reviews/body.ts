/**
 * Bodies of create-only requests answered here (reviews, TokenRequest): read up to the server's
 * limit, decoded as JSON, YAML or (typed clients) Kubernetes protobuf per Content-Type, checked for apiVersion/kind; answered with the
 * client's negotiated encoding.
 */
import type { KubeObject } from '../../registry/types.js';
import { checkTypeMeta } from '../../registry/generic/meta.js';
import { decodeText } from '../../handlers/body.js';
import { readBody, writeObject } from '../../server/http.js';
import { negotiate, requestContentType } from '../../server/negotiation.js';
import type { RequestScope } from '../../server/scope.js';
import { decodeProtobuf, isProtobuf } from './protobuf.js';

export async function readTypedBody(
  scope: RequestScope,
  limit: number,
  apiVersion: string,
  kind: string,
): Promise<KubeObject> {
  const contentType = scope.req.headers['content-type'];
  if (isProtobuf(contentType)) {
    const raw = await readBody(scope.req, limit);
    return checkTypeMeta(decodeProtobuf(raw, kind), apiVersion, kind);
  }
  const encoding = requestContentType(contentType);
  const raw = await readBody(scope.req, limit);
  return checkTypeMeta(decodeText(raw.toString('utf8'), encoding), apiVersion, kind);
}

export function respond(scope: RequestScope, code: number, obj: unknown): void {
  const n = negotiate(scope.req.headers.accept);
  writeObject(scope.res, code, obj, n.encoding, n.contentType);
}
