/**
 * Namespace REST behaviour (upstream `pkg/registry/core/namespace/storage`):
 *
 * - The first DELETE never removes a namespace: it sets `deletionTimestamp` and
 *   `status.phase = Terminating` (recording the GC finalizers the propagation policy asks for) and
 *   returns the namespace. The namespace controller empties it, removes `kubernetes` from
 *   `spec.finalizers` through `/finalize`, and deletes again.
 * - A DELETE while `spec.finalizers` is not empty is 409 ("The system is ensuring all content is
 *   removed from this namespace…"); once empty, the generic delete removes it (or waits for
 *   `metadata.finalizers`).
 * - PUT `namespaces/NAME/finalize` changes only `spec.finalizers`.
 */
import { newConflict, newNotFound } from '../../common/index.js';
import type { HandlerContext } from '../handlers/context.js';
import { readObjectBody } from '../handlers/body.js';
import { respondObject } from '../handlers/context.js';
import { writeContext } from '../handlers/write.js';
import { deleteObject, type DeleteOutcome } from '../registry/generic/deletion.js';
import type { WriteContext } from '../registry/generic/context.js';
import type { DeleteOptions } from '../registry/generic/hooks.js';
import { checkTypeMeta, rfc3339 } from '../registry/generic/meta.js';
import { GenericStore } from '../registry/generic/store.js';
import { finishesDeletion } from '../registry/generic/prepare.js';
import type { KubeObject } from '../registry/types.js';
import { parseWriteQuery } from '../server/params.js';

type Obj = Record<string, unknown>;

const specFinalizers = (ns: KubeObject): string[] =>
  ((ns.spec as Obj | undefined)?.finalizers as string[] | undefined) ?? [];

export class NamespaceStore extends GenericStore {
  override async delete(
    name: string,
    options: DeleteOptions,
    ctx: WriteContext,
  ): Promise<DeleteOutcome> {
    const current = await this.readCurrent('', name);
    if (!current) throw newNotFound(this.groupResource, name);
    await this.admitDelete(current.obj, ctx);
    const pre = options.preconditions;
    if (current.obj.metadata?.deletionTimestamp === undefined) {
      const { object } = await this.update(
        name,
        (ns) => {
          if (!ns) return {} as never;
          const meta = ns.metadata!;
          if (pre?.uid && pre.uid !== meta.uid) {
            throw newConflict(
              { group: '', resource: 'Namespace' },
              name,
              `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`,
            );
          }
          meta.deletionTimestamp ??= rfc3339(this.clock.now());
          const status = (ns.status ??= {}) as Obj;
          status.phase = 'Terminating';
          const policy = options.orphanDependents === true ? 'Orphan' : options.propagationPolicy;
          const rest = (meta.finalizers ?? []).filter(
            (f) => f !== 'orphan' && f !== 'foregroundDeletion',
          );
          if (policy === 'Orphan') rest.push('orphan');
          if (policy === 'Foreground') rest.push('foregroundDeletion');
          if (rest.length > 0) meta.finalizers = rest;
          else delete meta.finalizers;
          return ns;
        },
        ctx,
        { raw: true },
      );
      return { object, deleted: false, finalized: false };
    }
    if (specFinalizers(current.obj).length > 0) {
      throw newConflict(
        this.groupResource,
        name,
        'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.',
      );
    }
    return deleteObject(this, name, options, ctx);
  }
}

/** PUT namespaces/NAME/finalize: only `spec.finalizers` is taken from the body. */
export async function handleFinalize(ctx: HandlerContext): Promise<void> {
  const { scope, store } = ctx;
  const q = parseWriteQuery(scope.query, 'UpdateOptions', scope.req.headers['user-agent']);
  const body = await readObjectBody(ctx);
  const sent = checkTypeMeta(body.value, 'v1', 'Namespace');
  const { object } = await store.update(
    scope.info.name,
    (ns) => {
      if (!ns) return {} as never;
      const rv = sent.metadata?.resourceVersion;
      if (rv) ns.metadata!.resourceVersion = rv;
      const spec = (ns.spec ??= {}) as Obj;
      const finalizers = specFinalizers(sent);
      if (finalizers.length > 0) spec.finalizers = finalizers;
      else delete spec.finalizers;
      return ns;
    },
    writeContext(ctx, q, 'finalize'),
    { raw: true, clientPrecondition: true },
  );
  // Upstream `ShouldDeleteNamespaceDuringUpdate`: the finalize that empties the last finalizer
  // list of a deleting namespace removes it.
  if (finishesDeletion(object, store.type)) {
    const outcome = await store.delete(scope.info.name, {}, writeContext(ctx, q, ''));
    respondObject(ctx, 200, outcome.object);
    return;
  }
  respondObject(ctx, 200, object);
}
