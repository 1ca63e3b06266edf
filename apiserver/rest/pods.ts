/**
 * Pod REST behaviour (upstream `pkg/registry/core/pod`):
 *
 * - Graceful deletion: a DELETE gives the pod `deletionTimestamp = now + grace` and keeps it until
 *   a delete with grace 0 (the node, once containers stopped). Grace is the request's value, else
 *   `spec.terminationGracePeriodSeconds` (default 30); 0 for unscheduled or finished pods.
 * - `pods/binding` (POST a Binding): sets `spec.nodeName` and the PodScheduled condition; 409 when
 *   the pod is already bound or being deleted.
 * - `pods/eviction` (POST a policy/v1 Eviction): deletes the pod with the eviction's options,
 *   unless a PodDisruptionBudget selecting it allows no disruption (429 TooManyRequests).
 */
import {
  CauseType,
  StatusError,
  labelSelectorFromObject,
  newBadRequest,
  newConflict,
  newInvalid,
  newTooManyRequests,
  type FieldError,
} from '../../common/index.js';
import type { HandlerContext } from '../handlers/context.js';
import { defaultTerminationGracePeriodSeconds } from '../defaults.js';
import type { DeleteOptions, StoreHooks } from '../registry/generic/hooks.js';
import type { KubeObject } from '../registry/types.js';
import { readTypedObject } from '../handlers/body.js';
import type { TypeMeta } from '../protobuf/index.js';
import { writeObject } from '../server/http.js';
import { parseDeleteOptions } from '../server/params.js';

type Obj = Record<string, unknown>;

export const podHooks: StoreHooks = {
  returnDeletedObject: true,
  gracePeriodSeconds(pod: KubeObject, options: DeleteOptions): number {
    const spec = (pod.spec ?? {}) as Obj;
    const status = (pod.status ?? {}) as Obj;
    let period =
      options.gracePeriodSeconds ??
      (spec.terminationGracePeriodSeconds as number | undefined) ??
      defaultTerminationGracePeriodSeconds;
    if (!spec.nodeName) period = 0;
    if (status.phase === 'Failed' || status.phase === 'Succeeded') period = 0;
    return period < 0 ? 1 : period;
  },
};

function successStatus(code: number) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
}

async function readJSONBody(ctx: HandlerContext, expected: TypeMeta): Promise<Obj> {
  const body = (await readTypedObject(ctx, expected)).value;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw newBadRequest('the request body must be a JSON object');
  }
  return body as Obj;
}

/** POST pods/NAME/binding. */
export async function handleBinding(ctx: HandlerContext): Promise<void> {
  const { scope, store } = ctx;
  const binding = await readJSONBody(ctx, { apiVersion: 'v1', kind: 'Binding' });
  const meta = (binding.metadata ?? {}) as Obj;
  const name = scope.info.name;
  if (meta.name && meta.name !== name) {
    throw newBadRequest('name in URL does not match name in Binding object');
  }
  const target = (binding.target ?? {}) as Obj;
  const errs: FieldError[] = [];
  if (!target.name) errs.push({ type: CauseType.FieldValueRequired, field: 'target.name' });
  if (target.kind && target.kind !== 'Node') {
    errs.push({ type: CauseType.FieldValueNotFound, field: 'target.kind', value: target.kind });
  }
  if (errs.length > 0) throw newInvalid({ group: '', kind: 'Binding' }, name, errs);
  const dryRun = scope.query.getAll('dryRun').length > 0;
  const gr = { group: '', resource: 'pods/binding' };
  await store.update(
    name,
    (pod) => {
      if (!pod) return {} as KubeObject; // the store answers 404
      const spec = (pod.spec ??= {}) as Obj;
      if (pod.metadata?.deletionTimestamp) {
        throw newConflict(gr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      }
      if (spec.nodeName) {
        throw newConflict(
          gr,
          name,
          `pod ${name} is already assigned to node "${String(spec.nodeName)}"`,
        );
      }
      spec.nodeName = target.name;
      const annotations = meta.annotations as Record<string, string> | undefined;
      if (annotations) Object.assign((pod.metadata!.annotations ??= {}), annotations);
      setCondition(pod, 'PodScheduled', store.requestContext('').now);
      return pod;
    },
    { namespace: scope.info.namespace, dryRun, subresource: 'binding', user: scope.user },
    { raw: true },
  );
  writeObject(scope.res, 201, successStatus(201));
}

function setCondition(pod: KubeObject, type: string, now: string): void {
  const status = (pod.status ??= {}) as Obj;
  const conditions = ((status.conditions as Obj[] | undefined) ??= []);
  const existing = conditions.find((c) => c.type === type);
  if (existing) {
    if (existing.status !== 'True') existing.lastTransitionTime = now;
    existing.status = 'True';
  } else {
    conditions.push({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now });
  }
}

/** POST pods/NAME/eviction. */
export async function handleEviction(ctx: HandlerContext): Promise<void> {
  const { scope, store } = ctx;
  const eviction = await readJSONBody(ctx, { apiVersion: 'policy/v1', kind: 'Eviction' });
  const name = scope.info.name;
  const meta = (eviction.metadata ?? {}) as Obj;
  if (meta.name && meta.name !== name) {
    throw newBadRequest('name in URL does not match name in Eviction object');
  }
  const options = parseDeleteOptions(scope.query, eviction.deleteOptions ?? undefined);
  const wctx = {
    namespace: scope.info.namespace,
    dryRun: (options.dryRun ?? []).length > 0,
    user: scope.user,
  };
  const pod = await store.get(scope.info.namespace, name);
  const status = (pod.status ?? {}) as Obj;
  const terminal = ['Succeeded', 'Failed', 'Pending'].includes(status.phase as string);
  if (!terminal && !pod.metadata?.deletionTimestamp) {
    await checkDisruptionBudgets(ctx, pod, wctx.dryRun);
  }
  await store.delete(name, options, wctx);
  writeObject(scope.res, 201, successStatus(201));
}

/** The PodDisruptionBudget check (when the type is served): one budget at most, with room. */
async function checkDisruptionBudgets(ctx: HandlerContext, pod: KubeObject, dryRun: boolean) {
  const pdbs = ctx.services.storeFor('policy', 'poddisruptionbudgets');
  if (!pdbs) return;
  const ns = ctx.scope.info.namespace;
  const matching: KubeObject[] = [];
  for (const entry of pdbs.cacher.scan(pdbs.listPrefix(ns), pdbs.listPrefix(ns))) {
    const pdb = pdbs.view.parse(entry);
    const selector = (pdb.spec as Obj | undefined)?.selector;
    try {
      if (labelSelectorFromObject(selector as never).matches(pod.metadata?.labels))
        matching.push(pdb);
    } catch {
      // An invalid selector selects nothing.
    }
  }
  if (matching.length === 0) return;
  if (matching.length > 1) {
    throw new StatusError({
      code: 500,
      reason: 'InternalError',
      message:
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    });
  }
  const pdb = matching[0]!;
  const pdbName = pdb.metadata?.name ?? '';
  const refuse = (message: string) => {
    const err = newTooManyRequests(
      "Cannot evict pod as it would violate the pod's disruption budget.",
      0,
    );
    err.status.details = { causes: [{ reason: 'DisruptionBudget', message }] };
    return err;
  };
  const st = (pdb.status ?? {}) as Obj;
  if (((st.observedGeneration as number | undefined) ?? 0) < (pdb.metadata?.generation ?? 0)) {
    throw refuse(`The disruption budget ${pdbName} is still being processed by the server.`);
  }
  const allowed = (st.disruptionsAllowed as number | undefined) ?? 0;
  if (allowed <= 0) {
    throw refuse(
      `The disruption budget ${pdbName} needs ${String(st.desiredHealthy ?? 0)} healthy pods and has ${String(st.currentHealthy ?? 0)} currently`,
    );
  }
  if (dryRun) return;
  await pdbs.update(
    pdbName,
    (cur) => {
      if (!cur) return {} as KubeObject;
      const s = (cur.status ??= {}) as Obj;
      s.disruptionsAllowed = Math.max(0, ((s.disruptionsAllowed as number) ?? 0) - 1);
      const disrupted = ((s.disruptedPods as Obj | undefined) ??= {});
      disrupted[pod.metadata?.name ?? ''] = pdbs.requestContext(ns).now;
      return cur;
    },
    { namespace: ns, subresource: 'status' },
  );
}
