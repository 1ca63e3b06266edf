/**
 * The NamespaceLifecycle admission plugin (upstream `plugin/namespace/lifecycle`): an object can
 * only be created in a namespace that exists and is not terminating, and the system namespaces
 * (`default`, `kube-system`, `kube-public`) cannot be deleted.
 *
 * - Create in a missing namespace → 404 `namespaces "x" not found`.
 * - Create in a Terminating namespace → 403 `unable to create new content in namespace x because
 *   it is being terminated` (cause `NamespaceTerminating`).
 * - Delete of a system namespace → 403 `namespace x is forbidden: this namespace may not be deleted`.
 * Updates and deletes inside a terminating namespace are allowed (the namespace controller needs
 * them to empty it).
 */
import { newForbidden, newNotFound, StatusError } from '../../common/index.js';
import type { KubeObject } from '../registry/types.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

export interface NamespaceLifecycleOptions {
  /** Looks a namespace up (from the watch cache, falling back to storage); undefined if absent. */
  getNamespace(name: string): Promise<KubeObject | undefined>;
}

export function namespaceLifecycle(opts: NamespaceLifecycleOptions): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(attrs: AdmissionAttributes) {
      const { resource } = attrs;
      if (resource.group === '' && resource.resource === 'namespaces') {
        if (attrs.operation === 'DELETE' && immortalNamespaces.has(attrs.name)) {
          throw newForbidden(
            { group: '', resource: 'namespaces' },
            attrs.name,
            'this namespace may not be deleted',
          );
        }
        return;
      }
      if (!resource.namespaced || attrs.operation !== 'CREATE' || attrs.namespace === '') return;
      // Subresource creates (binding, eviction) act on objects that already exist.
      if (attrs.subresource !== '') return;
      const ns = await opts.getNamespace(attrs.namespace);
      if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, attrs.namespace);
      const phase = (ns.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Terminating' || ns.metadata?.deletionTimestamp) {
        throw new StatusError({
          code: 403,
          reason: 'Forbidden',
          message: `${attrs.resource.resource} "${attrs.name}" is forbidden: unable to create new content in namespace ${attrs.namespace} because it is being terminated`,
          details: {
            name: attrs.name,
            kind: attrs.resource.resource,
            causes: [
              {
                reason: 'NamespaceTerminating',
                message: `namespace ${attrs.namespace} is being terminated`,
                field: 'metadata.namespace',
              },
            ],
          },
        });
      }
    },
  };
}
