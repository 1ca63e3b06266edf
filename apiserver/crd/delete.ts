/**
 * The first DELETE of a CustomResourceDefinition, as upstream's CRD REST `Delete` does it: the
 * stored CRD gets `deletionTimestamp` (now), the `customresourcecleanup.apiextensions.k8s.io`
 * finalizer and the condition `Terminating` True / `InstanceDeletionPending`, in one write that
 * bypasses the strategy (no generation bump), and the response is 200 with the CRD. The CRD
 * controller then deletes the instances and removes the finalizer.
 *
 * Preconditions (`uid`, `resourceVersion`) are checked first (409 with upstream's messages);
 * validating admission runs as for any DELETE; `dryRun=All` writes nothing. A DELETE of a CRD
 * that is already being deleted, a collection DELETE and every other request go on down the
 * chain untouched.
 *
 * It is a request {@link Filter} so that the generic machinery stays untouched; it must run
 * after authentication and authorization filters (it is appended last).
 */
import { newConflict } from '../../common/index.js';
import { maxRequestBodyBytes } from '../defaults.js';
import type { GenericStore } from '../registry/generic/store.js';
import type { KubeObject } from '../registry/index.js';
import { rfc3339 } from '../registry/generic/meta.js';
import { parseJSON, readBody, writeObject } from '../server/http.js';
import { negotiate } from '../server/negotiation.js';
import { parseDeleteOptions } from '../server/params.js';
import { warningHeaders, type Filter } from '../server/scope.js';
import { setCondition, Terminating } from './conditions.js';
import * as defaults from './defaults.js';

/** The filter, over the CRD store (undefined while the server does not serve CRDs). */
export function crdDeleteFilter(crdStore: () => GenericStore | undefined): Filter {
  return async (scope, next) => {
    const info = scope.info;
    const mine =
      info.isResourceRequest &&
      info.verb === 'delete' &&
      info.apiGroup === defaults.apiextensionsGroup &&
      info.resource === defaults.crdResource &&
      info.subresource === '' &&
      info.name !== '';
    const store = mine ? crdStore() : undefined;
    if (!store || info.apiVersion !== store.type.version) return next();
    const current = await store.readCurrent('', info.name);
    if (!current || current.obj.metadata?.deletionTimestamp) return next();

    const raw = await readBody(scope.req, maxRequestBodyBytes);
    const options = parseDeleteOptions(scope.query, raw.length > 0 ? parseJSON(raw) : undefined);
    const dryRun = (options.dryRun ?? []).length > 0;
    const ctx = { namespace: '', dryRun, user: scope.user };
    await store.admitDelete(current.obj, ctx);
    const pre = options.preconditions;
    const gr = { group: defaults.apiextensionsGroup, resource: defaults.crdResource };
    const { object } = await store.update(
      info.name,
      (crd) => {
        if (!crd) return {} as KubeObject; // gone meanwhile: the store answers 404
        const meta = crd.metadata!;
        if (pre?.uid && pre.uid !== meta.uid) {
          throw newConflict(
            gr,
            info.name,
            `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`,
          );
        }
        if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
          throw newConflict(
            gr,
            info.name,
            `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`,
          );
        }
        const now = rfc3339(store.clock.now());
        meta.deletionTimestamp ??= now;
        const finalizers = meta.finalizers ?? [];
        if (!finalizers.includes(defaults.customResourceCleanupFinalizer)) {
          meta.finalizers = [...finalizers, defaults.customResourceCleanupFinalizer];
        }
        setCondition(
          crd,
          {
            type: Terminating,
            status: 'True',
            reason: 'InstanceDeletionPending',
            message:
              'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
          },
          now,
        );
        return crd;
      },
      ctx,
      { raw: true },
    );
    const n = negotiate(scope.req.headers.accept);
    writeObject(scope.res, 200, object, n.encoding, n.contentType, warningHeaders(scope));
  };
}
