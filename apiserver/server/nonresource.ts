/**
 * Non-resource endpoints: `/version`, health (`/healthz`, `/livez`, `/readyz`, each with
 * `?verbose` and per-check paths such as `/readyz/etcd`), discovery (`/api`, `/apis`, `/api/v1`,
 * `/apis/<g>`, `/apis/<g>/<v>`, legacy or aggregated per Accept), and the root path list.
 */
import { newNotFound, StatusError } from '../../common/index.js';
import * as documents from '../discovery/documents.js';
import { kubernetesVersion } from '../defaults.js';
import { writeObject, writeRaw } from './http.js';
import { negotiate, type Targets } from './negotiation.js';
import type { RequestScope } from './scope.js';
import type { TypeRegistry } from './typeregistry.js';

/** A named health check; resolves to an error message when unhealthy. */
export interface HealthCheck {
  name: string;
  check(): Promise<string | undefined>;
}

export interface NonResourceContext {
  registry: TypeRegistry;
  /** `host:port` the server is reachable at (for `serverAddressByClientCIDRs`). */
  address(): string;
  livez: HealthCheck[];
  readyz: HealthCheck[];
}

const discoveryTargets: Targets = {
  APIGroupDiscoveryList: { group: 'apidiscovery.k8s.io', versions: ['v2', 'v2beta1'] },
};

/** `404 the server could not find the requested resource` as a Status. */
export function notFound(): StatusError {
  return new StatusError({
    code: 404,
    reason: 'NotFound',
    message: 'the server could not find the requested resource',
    details: {},
  });
}

export function methodNotAllowed(): StatusError {
  return new StatusError({
    code: 405,
    reason: 'MethodNotAllowed',
    message: 'the server does not allow this method on the requested resource',
    details: {},
  });
}

/** Serves a non-resource request; false when the path is not one of these. */
export async function serveNonResource(
  ctx: NonResourceContext,
  scope: RequestScope,
): Promise<boolean> {
  const parts = scope.info.parts;
  const method = scope.req.method ?? 'GET';
  const head = parts[0] ?? '';
  if (head === 'healthz' || head === 'livez' || head === 'readyz') {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed();
    const checks = head === 'readyz' ? [...ctx.livez, ...ctx.readyz] : ctx.livez;
    await serveHealth(scope, head, checks, parts[1]);
    return true;
  }
  if (
    method !== 'GET' &&
    method !== 'HEAD' &&
    (head === 'api' || head === 'apis' || head === 'version')
  ) {
    throw methodNotAllowed();
  }
  if (head === 'version' && parts.length === 1) {
    writeObject(scope.res, 200, versionInfo());
    return true;
  }
  if (head === 'api' || head === 'apis') {
    serveDiscovery(ctx, scope, parts);
    return true;
  }
  if (parts.length === 0) {
    const paths = [
      '/api',
      '/api/v1',
      '/apis',
      '/healthz',
      '/livez',
      '/openapi/v2',
      '/openapi/v3',
      '/readyz',
      '/version',
    ];
    for (const g of ctx.registry.groups()) {
      if (g.group === '') continue;
      paths.push(`/apis/${g.group}`, ...g.versions.map((v) => `/apis/${g.group}/${v}`));
    }
    writeObject(scope.res, 200, { paths: paths.sort() });
    return true;
  }
  return false;
}

export function versionInfo(): Record<string, string> {
  return {
    major: kubernetesVersion.major,
    minor: kubernetesVersion.minor,
    gitVersion: kubernetesVersion.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

function serveDiscovery(ctx: NonResourceContext, scope: RequestScope, parts: string[]): void {
  const { registry } = ctx;
  const [prefix, ...rest] = parts;
  if (rest.length === 0) {
    const n = negotiate(scope.req.headers.accept, discoveryTargets);
    let body: unknown;
    if (n.target)
      body = documents.aggregatedDiscovery(registry, prefix === 'api', n.target.version);
    else if (prefix === 'api') body = documents.apiVersions(ctx.address());
    else body = documents.apiGroupList(registry);
    writeObject(scope.res, 200, body, n.encoding, n.contentType, { Vary: 'Accept' });
    return;
  }
  const n = negotiate(scope.req.headers.accept);
  let body: unknown;
  if (prefix === 'api' && rest.length === 1)
    body = documents.apiResourceList(registry, '', rest[0]!);
  else if (prefix === 'apis' && rest.length === 1)
    body = documents.apiGroupDocument(registry, rest[0]!);
  else if (prefix === 'apis' && rest.length === 2)
    body = documents.apiResourceList(registry, rest[0]!, rest[1]!);
  if (body === undefined) throw notFound();
  writeObject(scope.res, 200, body, n.encoding, n.contentType);
}

async function serveHealth(
  scope: RequestScope,
  endpoint: string,
  checks: HealthCheck[],
  only: string | undefined,
): Promise<void> {
  if (only !== undefined) {
    const check = checks.find((c) => c.name === only);
    if (!check) throw newNotFound({ group: '', resource: '' }, only);
    const failure = await check.check();
    if (failure)
      writeRaw(scope.res, 500, `internal server error: ${failure}\n`, 'text/plain; charset=utf-8');
    else writeRaw(scope.res, 200, 'ok', 'text/plain; charset=utf-8');
    return;
  }
  const excluded = new Set(scope.query.getAll('exclude'));
  const lines: string[] = [];
  let failed = false;
  for (const c of checks) {
    if (excluded.has(c.name)) {
      lines.push(`[+]${c.name} excluded: ok`);
      continue;
    }
    const failure = await c.check();
    if (failure) {
      failed = true;
      lines.push(`[-]${c.name} failed: reason withheld`);
    } else {
      lines.push(`[+]${c.name} ok`);
    }
  }
  const verbose = scope.query.has('verbose');
  if (failed) {
    writeRaw(
      scope.res,
      500,
      `${lines.join('\n')}\n${endpoint} check failed\n`,
      'text/plain; charset=utf-8',
    );
  } else if (verbose) {
    writeRaw(
      scope.res,
      200,
      `${lines.join('\n')}\n${endpoint} check passed\n`,
      'text/plain; charset=utf-8',
    );
  } else {
    writeRaw(scope.res, 200, 'ok', 'text/plain; charset=utf-8');
  }
}
