/**
 * The OpenAPI service: `/openapi/v2` (JSON and gnostic protobuf) and `/openapi/v3` (the index and
 * one document per group/version), built from the {@link SchemaSet} and the served resources.
 *
 * Contract:
 * - Documents are built lazily, on the first request for each, and cached with their ETag (an
 *   upper-case hex SHA-512 of the body, as kube-openapi computes it) until something changes.
 * - The cache is dropped when the schema set changes (a CRD schema registered or removed) and
 *   when {@link OpenApiService.invalidate} is called (the set of served resources changed).
 * - `If-None-Match` with the current ETag answers 304. `/openapi/v3/<gv>?hash=<h>` answers with
 *   immutable caching when `h` is current and 301 to the current hash when it is not, as
 *   kube-apiserver does; without `hash` the response must be revalidated.
 * - Bodies are gzip-compressed (once, cached) when the client accepts gzip and the body is large.
 * - {@link OpenApiService.handle} never throws for a request it owns: unknown documents are 404,
 *   unacceptable media types 406 (as `Status` objects); it returns undefined for other paths.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Clock } from '../../common/index.js';
import { newNotAcceptable, newNotFound, realClock } from '../../common/index.js';
import type { SchemaSet } from '../schema/index.js';
import {
  defaultProduces,
  gzipMinBytes,
  immutableMaxAgeSeconds,
  openApiV2ProtobufType,
  openApiV2ProtobufTypeLegacy,
} from './defaults.js';
import { encodeOpenApiV2 } from './protobuf.js';
import type { ApiPath, OpenApiResource } from './paths.js';
import { buildPaths } from './paths.js';
import { buildV2 } from './v2.js';
import { buildV3, v3PathKey } from './v3.js';

export interface OpenApiServiceOptions {
  schemas: SchemaSet;
  /** The resources served right now; read again after {@link OpenApiService.invalidate}. */
  resources: () => readonly OpenApiResource[];
  /** Media types advertised for object responses. Default: JSON and YAML. */
  produces?: string[];
  clock?: Clock;
}

/** An HTTP request to the OpenAPI endpoints, reduced to what they read. */
export interface OpenApiRequest {
  /** The URL path, e.g. `/openapi/v3/apis/apps/v1`. */
  path: string;
  /** Query parameters (only `hash` is read). */
  query?: URLSearchParams;
  /** Request headers, lower-case names. */
  headers?: Record<string, string | string[] | undefined>;
}

/** A complete response for the HTTP layer to write. */
export interface OpenApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** A cached, serialized document. */
interface Rendered {
  body: Buffer;
  etag: string;
  contentType: string;
  lastModified: string;
  gzipped?: Buffer;
}

export class OpenApiService {
  private readonly clock: Clock;
  private paths?: ApiPath[];
  private v2Json?: Rendered;
  private v2Proto?: Rendered;
  private v2Doc?: Record<string, unknown>;
  private v3Index?: Rendered;
  private readonly v3Docs = new Map<string, Rendered>();

  constructor(private readonly options: OpenApiServiceOptions) {
    this.clock = options.clock ?? realClock;
    options.schemas.onChange(() => this.invalidate());
  }

  /** Drops every cached document; the next request rebuilds what it needs. */
  invalidate(): void {
    this.paths = undefined;
    this.v2Json = this.v2Proto = this.v2Doc = this.v3Index = undefined;
    this.v3Docs.clear();
  }

  /** The Swagger 2.0 document as an object (built on first use). */
  openApiV2(): Record<string, unknown> {
    this.v2Doc ??= buildV2(this.allPaths(), this.options.schemas);
    return this.v2Doc;
  }

  /** The v3 document of one group/version, or undefined when nothing of it is served. */
  openApiV3(group: string, version: string): Record<string, unknown> | undefined {
    const r = this.renderV3(v3PathKey(group, version));
    return r ? (JSON.parse(r.body.toString('utf8')) as Record<string, unknown>) : undefined;
  }

  /** The `/openapi/v3` index: `{ paths: { 'apis/apps/v1': { serverRelativeURL } } }`. */
  openApiV3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const key of this.v3Keys()) {
      const doc = this.renderV3(key)!;
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.etag}` };
    }
    return { paths };
  }

  /** Serves a GET to `/openapi/v2`, `/openapi/v3` or `/openapi/v3/<gv>`; undefined for others. */
  handle(req: OpenApiRequest): OpenApiResponse | undefined {
    const path = req.path.replace(/\/+$/, '');
    if (path === '/openapi/v2') return this.serveV2(req);
    if (path === '/openapi/v3') return this.respond(req, this.renderV3Index());
    if (path.startsWith('/openapi/v3/'))
      return this.serveV3(req, path.slice('/openapi/v3/'.length));
    return undefined;
  }

  private serveV2(req: OpenApiRequest): OpenApiResponse {
    const accept = header(req, 'accept') ?? '';
    const choice = negotiate(accept, [
      'application/json',
      openApiV2ProtobufType,
      openApiV2ProtobufTypeLegacy,
    ]);
    if (choice === undefined) {
      return statusResponse(
        newNotAcceptable(
          `only the following media types are accepted: application/json, ${openApiV2ProtobufType}`,
        ).status,
      );
    }
    if (choice === 'application/json') {
      this.v2Json ??= this.render(
        Buffer.from(JSON.stringify(this.openApiV2())),
        'application/json',
      );
      return this.respond(req, this.v2Json);
    }
    // The response names the dotted spelling: Go's mime parser (client-go) rejects the '@' one.
    this.v2Proto ??= this.render(
      Buffer.from(encodeOpenApiV2(this.openApiV2())),
      openApiV2ProtobufTypeLegacy,
    );
    return this.respond(req, this.v2Proto);
  }

  private serveV3(req: OpenApiRequest, key: string): OpenApiResponse {
    const accept = header(req, 'accept') ?? '';
    const rendered = this.renderV3(key);
    if (!rendered) {
      return statusResponse(newNotFound({ group: '', resource: '' }, key).status, 404);
    }
    if (negotiate(accept, ['application/json']) === undefined) {
      return statusResponse(
        newNotAcceptable('only the following media types are accepted: application/json').status,
      );
    }
    const hash = req.query?.get('hash');
    if (hash !== undefined && hash !== null && hash !== '' && hash !== rendered.etag) {
      return {
        status: 301,
        headers: { location: `/openapi/v3/${key}?hash=${rendered.etag}` },
        body: Buffer.alloc(0),
      };
    }
    const res = this.respond(req, rendered);
    if (hash) {
      res.headers['cache-control'] = `public, immutable, max-age=${immutableMaxAgeSeconds}`;
      res.headers.expires = new Date(
        this.clock.now() + immutableMaxAgeSeconds * 1000,
      ).toUTCString();
    } else {
      res.headers['cache-control'] = 'no-cache, private';
    }
    return res;
  }

  private respond(req: OpenApiRequest, r: Rendered): OpenApiResponse {
    const headers: Record<string, string> = {
      'content-type': r.contentType,
      etag: `"${r.etag}"`,
      'last-modified': r.lastModified,
      vary: 'Accept',
    };
    const ifNoneMatch = header(req, 'if-none-match');
    if (
      ifNoneMatch !== undefined &&
      ifNoneMatch.split(',').some((t) => t.trim() === `"${r.etag}"`)
    ) {
      return { status: 304, headers, body: Buffer.alloc(0) };
    }
    const encodings = header(req, 'accept-encoding') ?? '';
    if (r.body.length >= gzipMinBytes && /\bgzip\b/.test(encodings)) {
      r.gzipped ??= gzipSync(r.body);
      headers['content-encoding'] = 'gzip';
      return { status: 200, headers, body: r.gzipped };
    }
    return { status: 200, headers, body: r.body };
  }

  private render(body: Buffer, contentType: string): Rendered {
    return {
      body,
      contentType,
      etag: createHash('sha512').update(body).digest('hex').toUpperCase(),
      lastModified: new Date(this.clock.now()).toUTCString(),
    };
  }

  private allPaths(): ApiPath[] {
    this.paths ??= buildPaths(this.options.resources(), this.options.schemas, {
      produces: this.options.produces ?? defaultProduces,
    });
    return this.paths;
  }

  private v3Keys(): string[] {
    const keys = new Set(this.allPaths().map((p) => v3PathKey(p.group, p.version)));
    return [...keys].sort();
  }

  private renderV3(key: string): Rendered | undefined {
    const cached = this.v3Docs.get(key);
    if (cached) return cached;
    const paths = this.allPaths().filter((p) => v3PathKey(p.group, p.version) === key);
    if (paths.length === 0) return undefined;
    const doc = buildV3(paths, this.options.schemas);
    const rendered = this.render(Buffer.from(JSON.stringify(doc)), 'application/json');
    this.v3Docs.set(key, rendered);
    return rendered;
  }

  private renderV3Index(): Rendered {
    this.v3Index ??= this.render(
      Buffer.from(JSON.stringify(this.openApiV3Index())),
      'application/json',
    );
    return this.v3Index;
  }
}

function header(req: OpenApiRequest, name: string): string | undefined {
  const v = req.headers?.[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function statusResponse(status: object & { code: number }, code = status.code): OpenApiResponse {
  return {
    status: code,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(status)),
  };
}

/**
 * Picks the first of `offers` the Accept header allows, by descending q then header order. An
 * empty header accepts the first offer.
 */
export function negotiate(accept: string, offers: string[]): string | undefined {
  if (accept.trim() === '') return offers[0];
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.trim().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim().toLowerCase(), q: qParam ? Number(qParam.slice(2)) : 1, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    for (const offer of offers) {
      const [major] = offer.split('/');
      if (range.type === offer || range.type === '*/*' || range.type === `${major}/*`) return offer;
    }
  }
  return undefined;
}
