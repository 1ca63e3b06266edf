/**
 * The NamespaceLifecycle admission plugin (upstream `plugin/namespace/lifecycle`): an object can
 * only be created in a namespace that exists and is not terminating, and the system namespaces
 * cannot be deleted.
 *
 * - Create or update in a missing namespace → 404 `namespaces "x" not found`.
 * - Create in a Terminating namespace → 403 `<resource> "<name>" is forbidden: unable to create
 *   new content in namespace x because it is being terminated`, with the cause
 *   `NamespaceTerminating` (controllers recognise it and stop retrying).
 * - Delete of `default`, `kube-system`, `kube-public` or `kube-node-lease` → 403 `namespaces "x"
 *   is forbidden: this namespace may not be deleted` (upstream guards the first three; kuberx
 *   also keeps the node-lease namespace its simulated nodes need).
 * Updates and deletes inside a terminating namespace are allowed (the namespace controller needs
 * them to empty it); cluster-scoped objects and `localsubjectaccessreviews` are never checked.
 *
 * It runs first in the mutating phase, as upstream, so a create in a missing namespace is a 404
 * before any other plugin looks the namespace's objects up. Deletes are admitted by the store's
 * validating pass only, so the delete guard runs there.
 */
import { newForbidden, newNotFound } from '../../common/index.js';
import type { KubeObject } from '../registry/types.js';
import { admissionForbidden } from './errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

/** Namespaces that cannot be deleted. */
export const immortalNamespaces: ReadonlySet<string> = new Set([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);

/** Upstream `accessReviewResources`: answering them must not reveal whether a namespace exists. */
const accessReviews = new Set(['authorization.k8s.io/localsubjectaccessreviews']);

export interface NamespaceLifecycleOptions {
  /** Looks a namespace up (from the watch cache, falling back to storage); undefined if absent. */
  getNamespace(name: string): Promise<KubeObject | undefined>;
}

const isNamespace = (attrs: AdmissionAttributes) =>
  attrs.resource.group === '' && attrs.resource.resource === 'namespaces';

export function namespaceLifecycle(opts: NamespaceLifecycleOptions): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async admit(attrs) {
      if (attrs.operation === 'DELETE' || isNamespace(attrs)) return;
      if (!attrs.resource.namespaced || attrs.namespace === '') return;
      if (accessReviews.has(`${attrs.resource.group}/${attrs.resource.resource}`)) return;
      const ns = await opts.getNamespace(attrs.namespace);
      if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, attrs.namespace);
      if (attrs.operation !== 'CREATE') return;
      const phase = (ns.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Terminating' || ns.metadata?.deletionTimestamp) {
        const err = admissionForbidden(
          attrs,
          `unable to create new content in namespace ${attrs.namespace} because it is being terminated`,
        );
        err.status.details = {
          ...err.status.details,
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${attrs.namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        };
        throw err;
      }
    },
    validate(attrs) {
      if (
        attrs.operation === 'DELETE' &&
        isNamespace(attrs) &&
        immortalNamespaces.has(attrs.name)
      ) {
        throw newForbidden(
          { group: '', resource: 'namespaces' },
          attrs.name,
          'this namespace may not be deleted',
        );
      }
    },
  };
}
