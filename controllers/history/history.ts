/**
 * A controller's revision history against the server (`history.Interface`, `realHistory`).
 *
 * - {@link ControllerHistory.list} reads the cache: revisions of the parent's namespace that match
 *   the selector and are controlled by the parent or by nobody (orphans the caller may adopt).
 * - {@link ControllerHistory.create} creates a revision named from its hash; when the name is taken
 *   by a revision with the same data, that one is returned; by different data (a hash collision),
 *   the collision count is bumped and the name computed again. The caller stores the returned
 *   count in its status (`collisionCount`).
 * - {@link ControllerHistory.updateRevision} sets a revision's `revision` number (a rollback to an
 *   older template), re-reading and retrying on conflict.
 * - Errors other than those handled above are rethrown; nothing is retried with delays.
 */
import {
  ControllerRevision,
  getControllerOf,
  isAlreadyExists,
  isConflict,
  isNotFound,
  type ApiClient,
  type Client,
  type Informer,
  type KubernetesObject,
  type Selector,
} from '../../framework/index.js';
import { canonicalJson } from '../util/index.js';
import { revisionUpdateAttempts } from './defaults.js';
import { controllerRevisionName, hashControllerRevision, type Revision } from './revision.js';

export interface ControllerHistoryOptions {
  /** The cached client writes go through (they are recorded in the cache at once). */
  client: Client;
  /** Uncached reads (collisions, conflicts). */
  api: ApiClient;
  informer: Informer<ControllerRevision>;
}

export class ControllerHistory {
  constructor(private readonly o: ControllerHistoryOptions) {}

  /** `ListControllerRevisions`: matching revisions the parent controls, and matching orphans. */
  list(parent: Readonly<KubernetesObject>, selector: Selector): Revision[] {
    const uid = parent.metadata?.uid;
    return this.o.informer.store
      .list({ namespace: parent.metadata?.namespace, labelSelector: selector })
      .filter((r) => {
        const ref = getControllerOf(r);
        return !ref || ref.uid === uid;
      });
  }

  /** `CreateControllerRevision`; see the module comment. */
  async create(
    parent: Readonly<KubernetesObject>,
    revision: Revision,
    collisionCount: number,
  ): Promise<{ revision: ControllerRevision; collisionCount: number }> {
    const namespace = parent.metadata?.namespace;
    let count = collisionCount;
    for (;;) {
      const clone = structuredClone(revision) as ControllerRevision;
      const hash = hashControllerRevision(revision, count);
      clone.metadata = { ...clone.metadata, namespace };
      clone.metadata.name = controllerRevisionName(parent.metadata?.name ?? '', hash);
      delete clone.metadata.resourceVersion;
      delete clone.metadata.uid;
      try {
        const created = await this.o.client.create(clone, { kind: ControllerRevision });
        return { revision: created, collisionCount: count };
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      const exists = await this.o.api.get(ControllerRevision, clone.metadata.name, { namespace });
      if (canonicalJson(exists.data ?? null) === canonicalJson(clone.data ?? null)) {
        return { revision: exists, collisionCount: count };
      }
      count++;
    }
  }

  /** `UpdateControllerRevision`: sets the revision number; see the module comment. */
  async updateRevision(revision: Revision, newRevision: number): Promise<ControllerRevision> {
    let clone = structuredClone(revision) as ControllerRevision;
    for (let attempt = 1; ; attempt++) {
      if (clone.revision === newRevision) return clone;
      clone.revision = newRevision;
      try {
        return await this.o.client.update(clone, { kind: ControllerRevision });
      } catch (err) {
        if (!isConflict(err) || attempt >= revisionUpdateAttempts) throw err;
      }
      clone = await this.o.api.get(ControllerRevision, clone.metadata?.name ?? '', {
        namespace: clone.metadata?.namespace,
      });
    }
  }

  /** `DeleteControllerRevision` (an already deleted revision is fine). */
  async delete(revision: Revision): Promise<void> {
    try {
      await this.o.client.delete(ControllerRevision, revision.metadata?.name ?? '', {
        namespace: revision.metadata?.namespace,
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
