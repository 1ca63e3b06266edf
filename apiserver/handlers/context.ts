/**
 * What every resource handler gets: the request scope, the resource's store, and the server's
 * shared services. Also the response helpers that apply content negotiation to one object.
 */
import type { Clock, Logger } from '../../common/index.js';
import type { SchemaSet } from '../schema/index.js';
import type { GenericStore } from '../registry/generic/store.js';
import type { KubeObject } from '../registry/types.js';
import { writeObject, writeRaw } from '../server/http.js';
import { writtenJson } from '../storage/codec.js';
import type { CachedObject } from '../watchcache/types.js';
import { hasProtobuf } from '../protobuf/index.js';
import { negotiate, type NegotiateOptions, type Targets } from '../server/negotiation.js';
import { warningHeaders, type RequestScope } from '../server/scope.js';
import { parseIncludeObject, partialObjectMetadata, toTable } from '../server/table.js';
import { groupVersionString, type TypeRegistry } from '../server/typeregistry.js';

export interface ServerServices {
  clock: Clock;
  logger: Logger;
  registry: TypeRegistry;
  /** Schemas for field validation and strategic merge patch (absent: both skipped). */
  schemas?: SchemaSet;
  maxRequestBodyBytes: number;
  minRequestTimeoutSeconds: number;
  /** The store serving a type (for handlers that touch another resource, e.g. eviction). */
  storeFor(group: string, resource: string): GenericStore | undefined;
}

export interface HandlerContext {
  scope: RequestScope;
  store: GenericStore;
  services: ServerServices;
}

const meta = { group: 'meta.k8s.io', versions: ['v1', 'v1beta1'] };

/** Representations a get (and each watch event) may be asked for. */
export const objectTargets: Targets = { Table: meta, PartialObjectMetadata: meta };

/** Representations a list may be asked for. */
export const listTargets: Targets = { Table: meta, PartialObjectMetadataList: meta };

/** What the handler's type can be served as besides JSON and YAML (protobuf for built-ins). */
export function negotiateOptions(ctx: HandlerContext): NegotiateOptions {
  const { type } = ctx.store;
  return {
    protobuf: hasProtobuf({
      apiVersion: groupVersionString(type.group, type.version),
      kind: type.kind,
    }),
  };
}

/**
 * Writes a watch-cache entry with the representation the client negotiated: its JSON as cached
 * when that is what the client takes, without parsing it.
 */
export function respondEntry(
  ctx: HandlerContext,
  code: number,
  entry: CachedObject,
  targets: Targets = {},
): void {
  const { scope, store } = ctx;
  const n = negotiate(scope.req.headers.accept, targets, negotiateOptions(ctx));
  if (!n.target && n.encoding === 'json') {
    return writeRaw(scope.res, code, store.view.json(entry), n.contentType, warningHeaders(scope));
  }
  respondObject(ctx, code, store.view.parse(entry), targets);
}

/** Writes one object with the representation the client negotiated. */
export function respondObject(
  ctx: HandlerContext,
  code: number,
  obj: KubeObject,
  targets: Targets = {},
): void {
  const { scope } = ctx;
  const n = negotiate(scope.req.headers.accept, targets, negotiateOptions(ctx));
  if (!n.target && n.encoding === 'json') {
    // A write's result comes with its JSON already built (one serialisation per write).
    const json = writtenJson(obj);
    if (json !== undefined)
      return writeRaw(scope.res, code, json, n.contentType, warningHeaders(scope));
  }
  let body: unknown = obj;
  if (n.target?.kind === 'Table') {
    body = toTable(ctx.store.type, [obj], {
      version: n.target.version,
      includeObject: parseIncludeObject(scope.query),
      listMeta: { resourceVersion: obj.metadata?.resourceVersion ?? '' },
      now: ctx.services.clock.now(),
    });
  } else if (n.target?.kind === 'PartialObjectMetadata') {
    body = partialObjectMetadata(obj, n.target.version);
  }
  writeObject(scope.res, code, body, n.encoding, n.contentType, warningHeaders(scope));
}
