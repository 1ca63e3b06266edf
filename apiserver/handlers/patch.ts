/**
 * PATCH of an object or of its `/status`: JSON patch, merge patch, strategic merge patch (built-in
 * types; 415 where `ResourceType.strategicMerge` is false) and server-side apply (when an applier
 * is configured). The patch is applied to the stored object inside the store's guaranteed-update
 * loop, so a concurrent write makes it re-apply to the new state rather than fail; a patch that
 * names `metadata.resourceVersion` makes that a precondition (409 when stale).
 */
import { newBadRequest, newNotFound } from '../../common/index.js';
import { checkTypeMeta } from '../registry/generic/meta.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import { applyJsonPatch, applyMergePatch } from '../patch/json.js';
import { strategicMergePatch } from '../patch/strategic/index.js';
import { readBody } from '../server/http.js';
import { patchType, type PatchType } from '../server/negotiation.js';
import { parseWriteQuery } from '../server/params.js';
import { groupVersionString } from '../server/typeregistry.js';
import { decodeText, validateFields } from './body.js';
import { respondObject, type HandlerContext } from './context.js';
import { writeContext } from './write.js';

/** Server-side apply, provided by `apiserver/fieldmanager` (absent: apply patches are 415). */
export type Applier = (args: {
  type: ResourceType;
  live: KubeObject | undefined;
  patch: KubeObject;
  manager: string;
  force: boolean;
  subresource: string;
  now: string;
}) => KubeObject;

export function acceptedPatchTypes(ctx: HandlerContext, applier: boolean): PatchType[] {
  const kinds: PatchType[] = ['json', 'merge'];
  if (ctx.store.type.strategicMerge !== false) kinds.push('strategic');
  if (applier) kinds.push('apply');
  return kinds;
}

export async function handlePatch(
  ctx: HandlerContext,
  subresource = '',
  applier?: Applier,
): Promise<void> {
  const { scope, store } = ctx;
  const kind = patchType(scope.req.headers['content-type'], acceptedPatchTypes(ctx, !!applier));
  const q = parseWriteQuery(scope.query, 'PatchOptions', scope.req.headers['user-agent'], {
    apply: kind === 'apply',
  });
  const raw = (await readBody(scope.req, ctx.services.maxRequestBodyBytes)).toString('utf8');
  const patch = decodeText(raw, kind === 'apply' ? 'yaml' : 'json');
  const type = store.type;
  const apiVersion = groupVersionString(type.group, type.version);
  const name = scope.info.name;
  const wctx = { ...writeContext(ctx, q, subresource), applied: kind === 'apply' };

  const transform = (current: KubeObject | undefined): KubeObject => {
    if (kind === 'apply') {
      const applied = checkTypeMeta(structuredClone(patch), apiVersion, type.kind);
      validateFields(ctx, applied, 'PatchOptions', { text: raw, encoding: 'yaml' });
      const result = applier!({
        type,
        live: current,
        patch: applied,
        manager: q.fieldManager,
        force: q.force === true,
        subresource,
        now: store.requestContext(scope.info.namespace).now,
      });
      return checkTypeMeta(result, apiVersion, type.kind);
    }
    if (!current) throw newNotFound(store.groupResource, name);
    let patched: unknown;
    if (kind === 'json') patched = applyJsonPatch(current, patch);
    else if (kind === 'merge') patched = applyMergePatch(current, patch);
    else {
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
        throw newBadRequest('the body of a strategic merge patch must be a JSON object');
      }
      const schemas = ctx.services.schemas;
      patched = schemas
        ? strategicMergePatch(
            schemas,
            schemas.forKind({ group: type.group, version: type.version, kind: type.kind }),
            current as Record<string, unknown>,
            patch,
          )
        : applyMergePatch(current, patch);
    }
    const obj = checkTypeMeta(patched, apiVersion, type.kind);
    validateFields(ctx, obj, 'PatchOptions');
    return obj;
  };
  const { object, created } = await store.update(name, transform, wctx, {
    allowCreate: kind === 'apply' && subresource === '',
  });
  respondObject(ctx, created ? 201 : 200, object);
}
