/**
 * Request classification, as upstream's `RequestInfoFactory.NewRequestInfo`: from the method, the
 * path and the `watch` query parameter it derives whether a request addresses a resource and, if
 * so, its group, version, namespace, resource, name, subresource and verb. Authorization (a filter
 * that will plug in before the handlers) reads exactly this.
 *
 * Resource paths:
 *   /api/v1/RESOURCE[/NAME[/SUBRESOURCE]]                         (cluster-scoped or all namespaces)
 *   /api/v1/namespaces/NS/RESOURCE[/NAME[/SUBRESOURCE]]
 *   /apis/GROUP/VERSION/...                                       (same shapes)
 *   /api/v1/watch/... and /apis/G/V/watch/...                      (deprecated watch prefix)
 * `namespaces/NAME/status` and `namespaces/NAME/finalize` are subresources of a namespace.
 * Everything else (`/api`, `/apis/G`, `/version`, `/healthz`, `/openapi/v2`) is a non-resource
 * request whose verb is the lower-cased HTTP method.
 */

export type ResourceVerb =
  'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** A {@link ResourceVerb} for resource requests; the lower-cased method otherwise. */
  verb: string;
  /** `api` or `apis` for API paths, '' otherwise. */
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path segments after the group/version (resource requests) or after the root. */
  parts: string[];
}

const namespaceSubresources = new Set(['status', 'finalize']);

/** Classifies one request. `query` is the parsed query string. */
export function newRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: splitPath(path),
  };
  let parts = info.parts;
  if (parts.length === 0 || (parts[0] !== 'api' && parts[0] !== 'apis')) return info;
  info.apiPrefix = parts[0]!;
  parts = parts.slice(1);
  if (info.apiPrefix === 'apis') {
    if (parts.length < 3) return info; // /apis, /apis/G, /apis/G/V are discovery
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  } else if (parts.length < 2) {
    return info; // /api, /api/v1
  }
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);
  info.isResourceRequest = true;

  let watchPrefix = false;
  if (parts[0] === 'watch') {
    watchPrefix = true;
    parts = parts.slice(1);
  }

  if (parts[0] === 'namespaces' && parts.length > 1) {
    info.namespace = parts[1]!;
    if (parts.length > 2 && !namespaceSubresources.has(parts[2]!)) parts = parts.slice(2);
  }
  info.parts = parts;
  info.resource = parts[0] ?? '';
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 3) info.subresource = parts[2]!;
  // A namespace addresses itself: /api/v1/namespaces/NAME has no enclosing namespace.
  if (info.resource === 'namespaces') info.namespace = '';

  const watchParam = query.get('watch');
  const wantsWatch = watchPrefix || watchParam === 'true' || watchParam === '1';
  info.verb = resourceVerb(method, info.name !== '', wantsWatch);
  return info;
}

function resourceVerb(method: string, named: boolean, watch: boolean): string {
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function splitPath(path: string): string[] {
  return path
    .split('/')
    .filter((p) => p.length > 0)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
}
