/**
 * POST (create) and PUT (update, also of `/status`). Created objects answer 201; updates 200
 * (201 when a PUT created the object, for types that allow it).
 */
import { checkTypeMeta } from '../registry/generic/meta.js';
import type { WriteContext } from '../registry/generic/context.js';
import { parseWriteQuery } from '../server/params.js';
import { groupVersionString } from '../server/typeregistry.js';
import { readObjectBody, validateFields } from './body.js';
import { respondObject, type HandlerContext } from './context.js';

export function writeContext(
  ctx: HandlerContext,
  q: { dryRun: boolean; fieldManager: string },
  subresource = '',
): WriteContext {
  return {
    namespace: ctx.scope.info.namespace,
    dryRun: q.dryRun,
    fieldManager: q.fieldManager,
    subresource,
    user: ctx.scope.user,
  };
}

/** The options, and the body decoded, type-checked and field-validated, of a create or update. */
async function readWrite(ctx: HandlerContext, kind: 'CreateOptions' | 'UpdateOptions') {
  const { scope, store } = ctx;
  const q = parseWriteQuery(scope.query, kind, scope.req.headers['user-agent']);
  const body = await readObjectBody(ctx);
  const type = store.type;
  const obj = checkTypeMeta(body.value, groupVersionString(type.group, type.version), type.kind);
  validateFields(ctx, obj, kind, body);
  return { q, obj };
}

export async function handleCreate(ctx: HandlerContext): Promise<void> {
  const { q, obj } = await readWrite(ctx, 'CreateOptions');
  respondObject(ctx, 201, await ctx.store.create(obj, writeContext(ctx, q)));
}

export async function handleUpdate(ctx: HandlerContext, subresource = ''): Promise<void> {
  const { q, obj } = await readWrite(ctx, 'UpdateOptions');
  const { object, created } = await ctx.store.update(
    ctx.scope.info.name,
    () => obj,
    writeContext(ctx, q, subresource),
    {
      allowCreate: subresource === '' && ctx.store.type.allowCreateOnUpdate === true,
      clientPrecondition: true,
    },
  );
  respondObject(ctx, created ? 201 : 200, object);
}
