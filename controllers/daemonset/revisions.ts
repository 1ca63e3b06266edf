/**
 * A DaemonSet's revision history (`daemon/update.go`: `constructHistory`, `snapshot`,
 * `dedupCurHistories`, `cleanupHistory`).
 *
 * - Its revisions are claimed (owned and orphans matching the selector adopted, owned ones that no
 *   longer match released). Each is labelled `controller-revision-hash` (its name when missing).
 * - The current revision is the one whose data is the DaemonSet's template patch; when none is,
 *   one is created, named `<ds>-<hash>` with the template's pod-template hash (`ComputeHash` with
 *   the collision count) and numbered one past the others. A name taken by other data bumps
 *   `status.collisionCount` (when the count was not stale) and fails the sync, which is retried.
 *   Duplicates of the current revision are merged into the newest, and its number raised when an
 *   old revision has a higher one.
 * - Old revisions beyond revisionHistoryLimit are deleted, oldest first, unless a pod of the
 *   DaemonSet still carries their hash.
 *
 * Deviation: when merging duplicate current revisions, only pods labelled with a duplicate's hash
 * are relabelled (upstream relabels every pod whose hash differs from the kept one).
 */
import {
  ControllerRevision,
  DaemonSet as DaemonSetKind,
  getControllerOf,
  isAlreadyExists,
  labelSelectorFromObject,
  Pod,
  type ApiClient,
  type Client,
  type Informer,
  type KubernetesObject,
} from '../../framework/index.js';
import {
  maxRevision,
  sortControllerRevisions,
  templateMatches,
  templatePatch,
  type ControllerHistory,
  type Revision,
} from '../history/index.js';
import { claimChildren, computeHash, newControllerRef, ownedAndOrphans } from '../util/index.js';
import { uniqueLabelKey } from './defaults.js';
import type { DS } from './placement.js';

export interface DaemonSetHistoryOptions {
  client: Client;
  api: ApiClient;
  history: ControllerHistory;
  revisions: Informer<ControllerRevision>;
}

export class DaemonSetHistory {
  constructor(private readonly o: DaemonSetHistoryOptions) {}

  /** `controlledHistories`: claims the DaemonSet's revisions. */
  async controlled(ds: DS): Promise<Revision[]> {
    const candidates = ownedAndOrphans(
      this.o.revisions as unknown as Informer<KubernetesObject>,
      ds.metadata?.namespace ?? '',
      ds.metadata?.uid ?? '',
    ) as Revision[];
    return claimChildren(candidates, {
      client: this.o.client,
      api: this.o.api,
      owner: ds,
      ownerKind: DaemonSetKind,
      childKind: ControllerRevision,
      selector: labelSelectorFromObject(ds.spec?.selector),
    });
  }

  /** `constructHistory`: the current revision and the old ones. */
  async construct(ds: DS): Promise<{ current: Revision; old: Revision[] }> {
    const currents: Revision[] = [];
    const old: Revision[] = [];
    for (let revision of await this.controlled(ds)) {
      if (revision.metadata?.labels?.[uniqueLabelKey] === undefined) {
        const labelled = structuredClone(revision) as ControllerRevision;
        labelled.metadata!.labels = {
          ...(labelled.metadata!.labels ?? {}),
          [uniqueLabelKey]: labelled.metadata!.name!,
        };
        revision = await this.o.client.update(labelled, { kind: ControllerRevision });
      }
      if (templateMatches(ds, revision.data)) currents.push(revision);
      else old.push(revision);
    }
    const next = maxRevision(old) + 1;
    if (currents.length === 0) return { current: await this.snapshot(ds, next), old };
    let current = await this.dedup(ds, currents);
    if ((current.revision ?? 0) < next)
      current = await this.o.history.updateRevision(current, next);
    return { current, old };
  }

  /** `snapshot`: creates the current revision; see the module comment for collisions. */
  private async snapshot(ds: DS, revision: number): Promise<Revision> {
    const collisionCount = ds.status?.collisionCount;
    const hash = computeHash(ds.spec?.template, collisionCount);
    const name = `${ds.metadata?.name}-${hash}`;
    const namespace = ds.metadata?.namespace;
    const cr: ControllerRevision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace,
        labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [uniqueLabelKey]: hash },
        annotations: ds.metadata?.annotations ? { ...ds.metadata.annotations } : undefined,
        ownerReferences: [newControllerRef(ds, DaemonSetKind)],
      },
      data: templatePatch(ds),
      revision,
    };
    try {
      return await this.o.client.create(cr, { kind: ControllerRevision });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await this.o.api.get(ControllerRevision, name, { namespace });
      if (templateMatches(ds, existing.data)) return existing;
      const fresh = await this.o.api.get(DaemonSetKind, ds.metadata?.name ?? '', { namespace });
      if ((fresh.status?.collisionCount ?? null) !== (collisionCount ?? null)) {
        throw new Error(
          `found a stale collision count (${collisionCount ?? 0}, expected ${fresh.status?.collisionCount ?? 0}) of DaemonSet "${ds.metadata?.name}" while processing; will retry until it is updated`,
          { cause: err },
        );
      }
      fresh.status = {
        ...(fresh.status ?? {}),
        collisionCount: (collisionCount ?? 0) + 1,
      } as never;
      await this.o.client.updateStatus(fresh, { kind: DaemonSetKind });
      throw err;
    }
  }

  /** `dedupCurHistories`: keeps the newest current revision; see the module comment. */
  private async dedup(ds: DS, currents: Revision[]): Promise<Revision> {
    if (currents.length === 1) return currents[0]!;
    const keep = sortControllerRevisions(currents).at(-1)!;
    const keepHash = keep.metadata?.labels?.[uniqueLabelKey];
    const namespace = ds.metadata?.namespace;
    for (const dup of currents) {
      if (dup === keep) continue;
      const dupHash = dup.metadata?.labels?.[uniqueLabelKey];
      const pods = await this.o.client.list(Pod, { namespace });
      for (const pod of pods) {
        if (getControllerOf(pod)?.uid !== ds.metadata?.uid) continue;
        if (pod.metadata?.labels?.[uniqueLabelKey] !== dupHash || dupHash === keepHash) continue;
        await this.o.client.patch(
          Pod,
          pod.metadata?.name ?? '',
          { metadata: { labels: { [uniqueLabelKey]: keepHash } } },
          { namespace, type: 'strategic' },
        );
      }
      await this.o.history.delete(dup);
    }
    return keep;
  }

  /** `cleanupHistory`: `liveHashes` are the hashes pods of the DaemonSet carry. */
  async cleanup(ds: DS, old: readonly Revision[], liveHashes: ReadonlySet<string>): Promise<void> {
    let toKill = old.length - (ds.spec?.revisionHistoryLimit ?? 10);
    if (toKill <= 0) return;
    for (const revision of sortControllerRevisions(old)) {
      if (toKill <= 0) break;
      if (liveHashes.has(revision.metadata?.labels?.[uniqueLabelKey] ?? '')) continue;
      await this.o.history.delete(revision);
      toKill--;
    }
  }
}
