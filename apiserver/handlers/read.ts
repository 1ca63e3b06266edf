/**
 * GET of one object and LIST of a collection.
 *
 * GET reads storage (a consistent read) unless `resourceVersion` is given: "0" reads the watch
 * cache as it is, N reads it once it has reached N (504 if it cannot), as upstream's cacher.
 * LIST follows `registry/generic/list.ts`. Lists are written from the cache's serialised JSON
 * without re-encoding each object; long ones stream in chunks. A GET served from the cache writes
 * the cached JSON as it is.
 */
import type { ServerResponse } from 'node:http';
import { newNotFound } from '../../common/index.js';
import { listStreamChunkItems } from '../defaults.js';
import { listObjects } from '../registry/generic/list.js';
import { parseResourceVersion } from '../registry/generic/list.js';
import type { KubeObject } from '../registry/types.js';
import { writeObject, writeRaw } from '../server/http.js';
import { negotiate } from '../server/negotiation.js';
import { parseListQuery } from '../server/params.js';
import { warningHeaders } from '../server/scope.js';
import { parseIncludeObject, partialObjectMetadata, toTable } from '../server/table.js';
import { groupVersionString } from '../server/typeregistry.js';
import type { CachedObject } from '../watchcache/types.js';
import {
  listTargets,
  negotiateOptions,
  objectTargets,
  respondEntry,
  respondObject,
  type HandlerContext,
} from './context.js';

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const { store, scope } = ctx;
  const { namespace, name } = scope.info;
  const rv = scope.query.get('resourceVersion') ?? '';
  let obj: KubeObject;
  if (rv === '') {
    obj = await store.get(namespace, name);
  } else {
    const wanted = parseResourceVersion(rv);
    const cacher = store.cacher;
    if (!cacher.isReady() || (!cacher.progressReliable && wanted > cacher.revision)) {
      obj = await store.get(namespace, name);
    } else {
      if (wanted > 0) await cacher.waitUntilFresh(wanted);
      const entry = cacher.get(store.key(namespace, name));
      if (!entry) throw newNotFound(store.groupResource, name);
      return respondEntry(ctx, 200, entry, objectTargets);
    }
  }
  respondObject(ctx, 200, obj, objectTargets);
}

export async function handleList(ctx: HandlerContext): Promise<void> {
  const { store, scope, services } = ctx;
  const n = negotiate(scope.req.headers.accept, listTargets, negotiateOptions(ctx));
  const q = parseListQuery(scope.query, store.view.supportedFields(), false);
  const out = await listObjects(store, { ...q, namespace: scope.info.namespace });
  const listMeta: Record<string, unknown> = { resourceVersion: String(out.resourceVersion) };
  if (out.continue) listMeta.continue = out.continue;
  if (out.remainingItemCount !== undefined) listMeta.remainingItemCount = out.remainingItemCount;
  const headers = warningHeaders(scope);

  if (n.target?.kind === 'Table') {
    const table = toTable(
      store.type,
      out.items.map((e) => store.view.parse(e)),
      {
        version: n.target.version,
        includeObject: parseIncludeObject(scope.query),
        listMeta,
        now: services.clock.now(),
      },
    );
    writeObject(scope.res, 200, table, n.encoding, n.contentType, headers);
    return;
  }
  if (n.target?.kind === 'PartialObjectMetadataList') {
    const list = {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${n.target.version}`,
      metadata: listMeta,
      items: out.items.map((e) => partialObjectMetadata(store.view.parse(e), n.target!.version)),
    };
    writeObject(scope.res, 200, list, n.encoding, n.contentType, headers);
    return;
  }
  const kind = store.type.listKind ?? `${store.type.kind}List`;
  const apiVersion = groupVersionString(store.type.group, store.type.version);
  if (n.encoding !== 'json') {
    const items = out.items.map((e) => store.view.parse(e));
    writeObject(
      scope.res,
      200,
      { kind, apiVersion, metadata: listMeta, items },
      n.encoding,
      n.contentType,
      headers,
    );
    return;
  }
  const head = `{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(listMeta)},"items":[`;
  await writeJsonList(scope.res, head, out.items, (e) => store.view.json(e), headers);
}

/**
 * Writes `head`, the items' JSON joined by commas, and `]}`: as one body (with Content-Length)
 * up to {@link listStreamChunkItems} items, else in chunks of that many, each written once the
 * socket has taken the previous ones. Resolves when the list is written or the client is gone.
 */
async function writeJsonList(
  res: ServerResponse,
  head: string,
  items: readonly CachedObject[],
  json: (e: CachedObject) => string,
  headers: Record<string, string[]>,
): Promise<void> {
  if (items.length <= listStreamChunkItems) {
    writeRaw(res, 200, head + items.map(json).join(',') + ']}', 'application/json', headers);
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  let flowing = res.write(head);
  for (let i = 0; i < items.length; i += listStreamChunkItems) {
    if (!flowing) {
      await drained(res);
      if (res.destroyed) return;
    }
    const chunk = items
      .slice(i, i + listStreamChunkItems)
      .map(json)
      .join(',');
    flowing = res.write(i === 0 ? chunk : `,${chunk}`);
  }
  res.end(']}');
}

/** Resolves when `res` can take more data or has closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
