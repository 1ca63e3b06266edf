/** Defaults and constants of the OpenAPI service. */

/** The protobuf media type client-go asks `/openapi/v2` for. */
export const openApiV2ProtobufType = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

/** The older spelling of the same protobuf media type, still accepted upstream. */
export const openApiV2ProtobufTypeLegacy =
  'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** How long a `/openapi/v3/<gv>?hash=<current>` response may be cached: one year, in seconds. */
export const immutableMaxAgeSeconds = 365 * 24 * 60 * 60;

/** Media types advertised as produced by object operations. */
export const defaultProduces = ['application/json', 'application/yaml'];

/** Bodies at least this large are gzip-compressed when the client accepts gzip, in bytes. */
export const gzipMinBytes = 128 * 1024;
