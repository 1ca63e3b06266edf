/**
 * Bodies of create-only requests answered here (reviews, TokenRequest): read up to the server's
 * limit, decoded as JSON, YAML or (typed clients such as kubectl ≥ 1.32) Kubernetes protobuf per
 * Content-Type, checked for apiVersion/kind; answered with the client's negotiated encoding.
 */
import type { KubeObject } from '../../registry/types.js';
import { checkTypeMeta } from '../../registry/generic/meta.js';
import { decodeText } from '../../handlers/body.js';
import { decodeObject, isProtobuf } from '../../protobuf/index.js';
import { readBody, writeObject } from '../../server/http.js';
import { negotiate, requestContentType } from '../../server/negotiation.js';
import type { RequestScope } from '../../server/scope.js';

export async function readTypedBody(
  scope: RequestScope,
  limit: number,
  apiVersion: string,
  kind: string,
): Promise<KubeObject> {
  const raw = await readBody(scope.req, limit);
  return decodeTypedBody(raw, scope.req.headers['content-type'], apiVersion, kind);
}

/** Decodes one request body of the endpoint's `apiVersion`/`kind`; bad input is a 400. */
export function decodeTypedBody(
  raw: Buffer,
  contentType: string | undefined,
  apiVersion: string,
  kind: string,
): KubeObject {
  const decoded = isProtobuf(contentType)
    ? decodeObject(raw, { apiVersion, kind })
    : decodeText(raw.toString('utf8'), requestContentType(contentType));
  return checkTypeMeta(decoded, apiVersion, kind);
}

export function respond(scope: RequestScope, code: number, obj: unknown): void {
  const n = negotiate(scope.req.headers.accept);
  writeObject(scope.res, code, obj, n.encoding, n.contentType);
}
