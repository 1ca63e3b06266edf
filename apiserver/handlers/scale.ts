/**
 * The `/scale` subresource, generic over `ResourceType.scale` (the same mapping CRDs declare):
 * GET answers an autoscaling/v1 Scale built from the object; PUT and PATCH change only the
 * replicas at `specReplicasPath`. The Scale's resourceVersion is the object's, so a stale one is
 * 409. Negative replicas are 422 on `Scale.autoscaling`.
 */
import {
  CauseType,
  labelSelectorFromObject,
  newBadRequest,
  newInvalid,
  newNotFound,
} from '../../common/index.js';
import type { KubeObject, ScaleMapping } from '../registry/types.js';
import { applyJsonPatch, applyMergePatch } from '../patch/json.js';
import { readBody } from '../server/http.js';
import { patchType } from '../server/negotiation.js';
import { parseWriteQuery } from '../server/params.js';
import { decodeText, readTypedObject } from './body.js';
import { respondObject, type HandlerContext } from './context.js';
import { writeContext } from './write.js';

type Obj = Record<string, unknown>;

function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter(Boolean);
}

export function readPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const s of segments(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[s];
  }
  return cur;
}

export function writePath(obj: Obj, path: string, value: unknown): void {
  const parts = segments(path);
  let cur = obj;
  for (const s of parts.slice(0, -1)) {
    if (cur[s] === null || typeof cur[s] !== 'object') cur[s] = {};
    cur = cur[s] as Obj;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** The autoscaling/v1 Scale of `obj` under `mapping`. */
export function toScale(obj: KubeObject, mapping: ScaleMapping): KubeObject {
  const meta = obj.metadata ?? {};
  const selectorValue = mapping.labelSelectorPath
    ? readPath(obj, mapping.labelSelectorPath)
    : undefined;
  let selector: string | undefined;
  if (typeof selectorValue === 'string') selector = selectorValue;
  else if (selectorValue && typeof selectorValue === 'object') {
    try {
      selector = labelSelectorFromObject(selectorValue as never).toString();
    } catch {
      selector = undefined;
    }
  }
  const status: Obj = { replicas: (readPath(obj, mapping.statusReplicasPath) as number) ?? 0 };
  if (selector !== undefined) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: (readPath(obj, mapping.specReplicasPath) as number) ?? 0 },
    status,
  };
}

function mappingOf(ctx: HandlerContext): ScaleMapping {
  const m = ctx.store.type.scale;
  if (!m) throw newNotFound(ctx.store.groupResource, ctx.scope.info.name);
  return m;
}

export async function handleScaleGet(ctx: HandlerContext): Promise<void> {
  const obj = await ctx.store.get(ctx.scope.info.namespace, ctx.scope.info.name);
  respondObject(ctx, 200, toScale(obj, mappingOf(ctx)));
}

/** PUT or PATCH of `/scale`. */
export async function handleScaleWrite(ctx: HandlerContext, patch: boolean): Promise<void> {
  const { scope, store } = ctx;
  const mapping = mappingOf(ctx);
  const name = scope.info.name;
  const kind = patch
    ? patchType(scope.req.headers['content-type'], ['json', 'merge', 'strategic'])
    : undefined;
  const q = parseWriteQuery(
    scope.query,
    patch ? 'PatchOptions' : 'UpdateOptions',
    scope.req.headers['user-agent'],
  );
  const body = patch
    ? decodeText(
        (await readBody(scope.req, ctx.services.maxRequestBodyBytes)).toString('utf8'),
        'json',
      )
    : (await readTypedObject(ctx, { apiVersion: 'autoscaling/v1', kind: 'Scale' })).value;
  const { object } = await store.update(
    name,
    (current) => {
      if (!current) throw newNotFound(store.groupResource, name);
      const before = toScale(current, mapping);
      let scale: unknown;
      if (!patch) scale = body;
      else if (kind === 'json') scale = applyJsonPatch(before, body);
      else scale = applyMergePatch(before, body);
      if (scale === null || typeof scale !== 'object' || Array.isArray(scale)) {
        throw newBadRequest('the body must be an autoscaling/v1 Scale');
      }
      const s = scale as KubeObject;
      const replicas = (s.spec as Obj | undefined)?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw newInvalid({ group: 'autoscaling', kind: 'Scale' }, name, [
          {
            type: CauseType.FieldValueInvalid,
            field: 'spec.replicas',
            value: replicas ?? null,
            detail: 'must be greater than or equal to 0',
          },
        ]);
      }
      const rv = s.metadata?.resourceVersion;
      if (rv) current.metadata!.resourceVersion = rv;
      writePath(current as Obj, mapping.specReplicasPath, replicas);
      return current;
    },
    writeContext(ctx, q, 'scale'),
    { clientPrecondition: true },
  );
  respondObject(ctx, 200, toScale(object, mapping));
}
