/**
 * OpenAPI for the API server: `/openapi/v2` (JSON and gnostic protobuf) and `/openapi/v3` (index
 * and per group/version documents), derived from the shared schema model (`apiserver/schema`)
 * and the served resources.
 *
 * Wiring (the HTTP layer owns the routes):
 * ```ts
 * const openapi = new OpenApiService({ schemas, resources: () => registry.all() });
 * // GET /openapi/v2, /openapi/v3, /openapi/v3/*:
 * const res = openapi.handle({ path: url.pathname, query: url.searchParams, headers: req.headers });
 * if (res) { reply.writeHead(res.status, res.headers); reply.end(res.body); }
 * // after a CRD is established or removed:
 * schemas.register(`crd:${name}`, customResourceSchemas({ group, version, kind, openAPIV3Schema }));
 * openapi.invalidate(); // the served resource list changed
 * ```
 */
export { OpenApiService, negotiate } from './service.js';
export type { OpenApiServiceOptions, OpenApiRequest, OpenApiResponse } from './service.js';
export { buildPaths } from './paths.js';
export { groupCamel, gvPrefix, tagOf } from './naming.js';
export type { ApiOperation, ApiPath, OpenApiResource, PathOptions } from './paths.js';
export { buildV2 } from './v2.js';
export { buildV3, v3PathKey } from './v3.js';
export { encodeOpenApiV2, decodeOpenApiV2 } from './protobuf.js';
export { customResourceSchemas, reversedGroup } from './crd.js';
export type { CustomResourceSchemaOptions } from './crd.js';
export { definitionClosure, toV2, toV3 } from './definitions.js';
export { openApiV2ProtobufType, openApiV2ProtobufTypeLegacy } from './defaults.js';
