/**
 * What one write request tells the generic store beyond the object: who asks, where, and how
 * (dry run, field manager, subresource). Built by the HTTP handlers; tests build it directly.
 */
import type { UserInfo } from '../../admission/types.js';
import type { KubeObject, ResourceType } from '../types.js';

export interface WriteContext {
  /** Namespace from the URL ('' for cluster-scoped resources). */
  namespace: string;
  /** `?dryRun=All`: run everything but the storage write. */
  dryRun?: boolean;
  /** `?fieldManager=`; defaulted by the handler from the User-Agent as upstream does. */
  fieldManager?: string;
  /** `status`, `scale`, … or '' for the main resource. */
  subresource?: string;
  /** The object was produced by server-side apply, which already set its managedFields. */
  applied?: boolean;
  user?: UserInfo;
}

/** `metadata.managedFields` bookkeeping, provided by `apiserver/fieldmanager` when present. */
export interface FieldManager {
  /**
   * Records a non-apply write (create, update, patch) in `managedFields` of `obj` (in place): the
   * manager owns the fields it set. `live` is the stored object (absent on create). Never throws.
   */
  update(
    type: ResourceType,
    live: KubeObject | undefined,
    obj: KubeObject,
    manager: string,
    subresource: string,
  ): void;
}
