/**
 * DELETE of one object and of a collection (deletecollection).
 *
 * One object: 200 with the object while its deletion is pending (finalizers, grace period), and
 * once it is gone a `Status` Success naming it (or the object itself for types that return
 * deleted objects, e.g. pods). 202 only when the deprecated `orphanDependents=false` was sent and
 * the object is still there, as upstream.
 *
 * Collection: lists with the request's selectors, deletes every item (ignoring ones that vanish
 * meanwhile), and answers the list of what it deleted.
 */
import { isNotFound } from '../../common/index.js';
import { listObjects } from '../registry/generic/list.js';
import type { DeleteOutcome } from '../registry/generic/deletion.js';
import type { DeleteOptions } from '../registry/generic/hooks.js';
import { readBody, writeObject } from '../server/http.js';
import { negotiate } from '../server/negotiation.js';
import { parseDeleteOptions, parseListQuery } from '../server/params.js';
import { warningHeaders } from '../server/scope.js';
import { groupVersionString } from '../server/typeregistry.js';
import { decodeDeleteOptions } from './body.js';
import { negotiateOptions, respondObject, type HandlerContext } from './context.js';

async function deleteOptions(ctx: HandlerContext): Promise<DeleteOptions> {
  const raw = await readBody(ctx.scope.req, ctx.services.maxRequestBodyBytes);
  return parseDeleteOptions(ctx.scope.query, decodeDeleteOptions(ctx, raw));
}

/** What a delete answers for `outcome`. */
export function respondDeleted(
  ctx: HandlerContext,
  outcome: DeleteOutcome,
  options: DeleteOptions,
) {
  const { store } = ctx;
  const code = !outcome.deleted && options.orphanDependents === false ? 202 : 200;
  if (!outcome.finalized || store.hooks.returnDeletedObject) {
    respondObject(ctx, code, outcome.object);
    return;
  }
  const meta = outcome.object.metadata ?? {};
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name: meta.name ?? '',
      group: store.type.group,
      kind: store.type.resource,
      uid: meta.uid ?? '',
    },
  };
  const n = negotiate(ctx.scope.req.headers.accept, {}, negotiateOptions(ctx));
  writeObject(ctx.scope.res, code, status, n.encoding, n.contentType, warningHeaders(ctx.scope));
}

export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const options = await deleteOptions(ctx);
  const outcome = await ctx.store.delete(ctx.scope.info.name, options, {
    namespace: ctx.scope.info.namespace,
    dryRun: (options.dryRun ?? []).length > 0,
    user: ctx.scope.user,
  });
  respondDeleted(ctx, outcome, options);
}

export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  const { store, scope } = ctx;
  const options = await deleteOptions(ctx);
  const q = parseListQuery(scope.query, store.view.supportedFields(), false);
  const listed = await listObjects(store, { ...q, namespace: scope.info.namespace });
  const wctx = {
    namespace: scope.info.namespace,
    dryRun: (options.dryRun ?? []).length > 0,
    user: scope.user,
  };
  const items: unknown[] = [];
  for (const entry of listed.items) {
    const obj = store.view.parse(entry);
    try {
      await store.delete(entry.name, options, { ...wctx, namespace: entry.namespace });
      items.push(obj);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const type = store.type;
  const list = {
    kind: type.listKind ?? `${type.kind}List`,
    apiVersion: groupVersionString(type.group, type.version),
    metadata: { resourceVersion: String(listed.resourceVersion) },
    items,
  };
  const n = negotiate(scope.req.headers.accept, {}, negotiateOptions(ctx));
  writeObject(scope.res, 200, list, n.encoding, n.contentType, warningHeaders(scope));
}
