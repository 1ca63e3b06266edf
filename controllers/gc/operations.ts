/**
 * The garbage collector's API calls (upstream `operations.go`, `patch.go`): metadata reads,
 * deletes with a uid precondition, and read-modify-write merge patches of owner references and
 * finalizers guarded by the object's resourceVersion (retried on conflict). Custom resources work
 * like built-ins: JSON merge patches need no strategic-merge support.
 */
import {
  isConflict,
  isNotFound,
  NoKindMatchError,
  resourcePath,
  type ApiClient,
  type Kind,
  type ObjectMeta,
  type OwnerReference,
} from '../../framework/index.js';
import { conflictRetries } from './defaults.js';
import type { ObjectIdentity } from './graph.js';

const metadataAccept =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/** An owner or object whose kind the server does not serve (upstream `restMappingError`). */
export class RestMappingError extends Error {
  constructor(kind: string, version: string) {
    super(`unable to get REST mapping for ${kind}/${version}.`);
    this.name = 'RestMappingError';
  }
}

export interface PartialObject {
  metadata?: ObjectMeta;
}

export class Operations {
  constructor(private readonly api: ApiClient) {}

  /** The REST mapping of an apiVersion/kind; throws {@link RestMappingError}. */
  async mapping(apiVersion: string, kind: string): Promise<Kind> {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    try {
      return await this.api.mapper.mapping({ group, version, kind });
    } catch (err) {
      if (err instanceof NoKindMatchError) throw new RestMappingError(kind, apiVersion);
      throw err;
    }
  }

  private async path(id: ObjectIdentity, namespace = id.namespace): Promise<string | undefined> {
    const kind = await this.mapping(id.apiVersion, id.kind);
    // A namespaced kind without a namespace names nothing (upstream reads the cluster-wide path
    // and gets a 404).
    if (kind.namespaced && !namespace) return undefined;
    return resourcePath(kind, { namespace, name: id.name });
  }

  /** The object's metadata; undefined when it does not exist. */
  async getObject(id: ObjectIdentity, namespace?: string): Promise<PartialObject | undefined> {
    const path = await this.path(id, namespace);
    if (!path) return undefined;
    try {
      return await this.api.rest.json<PartialObject>({
        method: 'GET',
        path,
        accept: metadataAccept,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Deletes with a uid precondition and the given propagation policy. */
  async deleteObject(
    id: ObjectIdentity,
    propagationPolicy: 'Background' | 'Foreground' | 'Orphan',
  ): Promise<void> {
    const kind = await this.mapping(id.apiVersion, id.kind);
    await this.api.delete(kind, id.name, {
      namespace: id.namespace || undefined,
      propagationPolicy,
      preconditions: { uid: id.uid },
    });
  }

  /**
   * Reads the object, lets `change` compute new metadata fields (undefined: nothing to do), and
   * writes them as a JSON merge patch guarded by resourceVersion, retrying on conflicts. A missing
   * object (or one with another uid) is not an error.
   */
  async patchMetadata(
    id: ObjectIdentity,
    change: (meta: ObjectMeta) => Partial<ObjectMeta> | undefined,
  ): Promise<void> {
    const kind = await this.mapping(id.apiVersion, id.kind);
    for (let attempt = 1; ; attempt++) {
      const current = await this.getObject(id);
      if (!current?.metadata || current.metadata.uid !== id.uid) return;
      const fields = change(current.metadata);
      if (!fields) return;
      try {
        await this.api.patch(
          kind,
          id.name,
          { metadata: { ...fields, resourceVersion: current.metadata.resourceVersion } },
          { namespace: id.namespace || undefined, type: 'merge' },
        );
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (isConflict(err) && attempt < conflictRetries) continue;
        throw err;
      }
    }
  }

  /** Removes the owner references with these uids (upstream `deleteOwnerRefJSONMergePatch`). */
  removeOwnerReferences(id: ObjectIdentity, ownerUIDs: readonly string[]): Promise<void> {
    return this.patchMetadata(id, (meta) => {
      const refs = meta.ownerReferences ?? [];
      const kept = refs.filter((r) => !ownerUIDs.includes(r.uid));
      return kept.length === refs.length ? undefined : { ownerReferences: kept };
    });
  }

  /** Sets `blockOwnerDeletion: false` on every blocking reference (upstream `unblockOwnerReferences`). */
  unblockOwnerReferences(id: ObjectIdentity): Promise<void> {
    return this.patchMetadata(id, (meta) => {
      const refs = meta.ownerReferences ?? [];
      if (!refs.some((r) => r.blockOwnerDeletion === true)) return undefined;
      const ownerReferences: OwnerReference[] = refs.map((r) =>
        r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r,
      );
      return { ownerReferences };
    });
  }

  /** Removes one finalizer (upstream `removeFinalizer`). */
  removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    return this.patchMetadata(id, (meta) => {
      const finalizers = meta.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return undefined;
      return { finalizers: finalizers.filter((f) => f !== finalizer) };
    });
  }
}
