/**
 * The API server's public door.
 *
 * ```ts
 * const storage = await openEmbeddedStorage({ dataDir });
 * const server = await createApiServer({ storage, port: 6443 });
 * const { url } = await server.start();
 * ```
 *
 * {@link createApiServer} wires the built-in resource types, the schema set (field validation,
 * strategic merge patch) and whatever optional pieces are available; {@link ApiServer} is the
 * lower-level class for callers that assemble their own.
 */
import { unauthenticatedReviews } from './auth/reviews/filter.js';
import { CustomResourceDefinitionController } from './crd/index.js';
import { OpenApiService } from './openapi/index.js';
import { FieldManagers } from './server/fieldmanagers.js';
import { builtinResourceTypes } from './registry/index.js';
import { newSchemaSet } from './schema/index.js';
import { ApiServer, type ApiServerOptions, type NonResourceHandler } from './server/server.js';

export { ApiServer } from './server/server.js';
export type { ApiServerOptions, NonResourceHandler, ServerExtension } from './server/server.js';
export { CustomResourceDefinitionController } from './crd/index.js';
export { TypeRegistry } from './server/typeregistry.js';
export type { Filter, RequestScope } from './server/scope.js';
export type { RequestInfo } from './server/requestinfo.js';
export type {
  AdmissionPlugin,
  AdmissionAttributes,
  AdmissionOperation,
  UserInfo,
} from './admission/types.js';
export type { FieldManager, WriteContext } from './registry/generic/context.js';
export type { Applier } from './handlers/patch.js';
export type { GenericStore } from './registry/generic/store.js';
export type { KubeObject, ResourceType } from './registry/types.js';
export * as apiserverDefaults from './defaults.js';
export {
  recommendedServerOptions,
  type RecommendedFlags,
  type RecommendedOptions,
} from './limits/index.js';
export { defaultAdmissionPlugins, orderedAdmissionPlugins } from './admission/index.js';
export {
  createSecureApiServer,
  startSecureTestServer,
  SecureApiServer,
  type SecureApiServerOptions,
  type SecureTestServer,
  type SecureTestServerOptions,
} from './auth/index.js';

/** Options of {@link createApiServer}: those of {@link ApiServer} with the types defaulted. */
export type CreateApiServerOptions = Omit<ApiServerOptions, 'types'> & {
  types?: ApiServerOptions['types'];
};

/**
 * An API server serving every built-in type (unless `types` says otherwise), with OpenAPI v2/v3
 * documents built lazily from the shared schema set and kept in step with the served types,
 * managedFields on every write and server-side apply, and CustomResourceDefinitions served
 * dynamically (`apiserver/crd`).
 */
export function createApiServer(opts: CreateApiServerOptions): ApiServer {
  const schemas = opts.schemas ?? newSchemaSet();
  const served: { registry?: ApiServer['registry'] } = {};
  const openapi = new OpenApiService({
    schemas,
    resources: () => served.registry?.all() ?? [],
    clock: opts.clock,
  });
  const serveOpenApi: NonResourceHandler = async (scope) => {
    if (scope.info.parts[0] !== 'openapi') return false;
    const res = openapi.handle({
      path: scope.url.pathname,
      query: scope.query,
      headers: scope.req.headers,
    });
    if (!res) return false;
    scope.res.writeHead(res.status, res.headers);
    scope.res.end(res.body);
    return true;
  };
  const managers = new FieldManagers(schemas, opts.clock);
  const crds = new CustomResourceDefinitionController({ schemas });
  const server = new ApiServer({
    fieldManager: managers,
    applier: managers.applier,
    ...opts,
    types: opts.types ?? builtinResourceTypes(),
    schemas,
    filters: [
      ...(opts.filters ?? []),
      crds.filter,
      unauthenticatedReviews(opts.maxRequestBodyBytes),
    ],
    extensions: [crds, ...(opts.extensions ?? [])],
    nonResourceHandlers: [serveOpenApi, ...(opts.nonResourceHandlers ?? [])],
  });
  served.registry = server.registry;
  server.registry.onChange(() => openapi.invalidate());
  schemas.onChange(() => openapi.invalidate());
  return server;
}
