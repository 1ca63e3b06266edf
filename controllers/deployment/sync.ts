/**
 * The writing half of the Deployment controller (`sync.go`, `progress.go`): finding or creating
 * the new ReplicaSet and syncing revisions, scaling ReplicaSets (with events and replicas
 * annotations), history cleanup and status writes. The strategies (`rolling.ts`, `recreate.ts`)
 * and the legacy rollback (`rollback.ts`) are built on it.
 *
 * `d` is the controller's private copy of the Deployment for one sync; status writes update it
 * (including its resourceVersion) so later writes in the same sync do not conflict.
 */
import {
  Deployment,
  isAlreadyExists,
  isNotFound,
  ReplicaSet,
  type Client,
  type Clock,
  type EventRecorder,
  type Informer,
  type OwnerReference,
} from '../../framework/index.js';
import {
  computeHash,
  errorMessage,
  isNamespaceTerminating,
  newControllerRef,
} from '../util/index.js';
import {
  maxRevision,
  replicasAnnotationsNeedUpdate,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  desiredReplicasOf,
} from './annotations.js';
import {
  getDeploymentCondition,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  newDeploymentCondition,
  setDeploymentCondition,
} from './conditions.js';
import {
  maxRevHistoryLengthInChars,
  podTemplateHashLabel,
  reasons,
  revisionAnnotation,
} from './defaults.js';
import { maxSurge, newRSNewReplicas } from './fenceposts.js';
import {
  byRevision,
  equalIgnoreHash,
  filterActive,
  findNewReplicaSet,
  findOldReplicaSets,
  specReplicas,
} from './replicasets.js';
import { planScale } from './scale.js';
import { calculateStatus, rolloutStatus, statusEqual, stuckRequeueMs } from './status.js';

type RS = Readonly<ReplicaSet>;

export interface SyncerOptions {
  client: Client;
  clock: Clock;
  recorder: EventRecorder;
  rsInformer: Informer<ReplicaSet>;
  /** Requeues the Deployment after `ms`, or rate limited now when `ms` is undefined. */
  requeue(d: Readonly<Deployment>, ms?: number): void;
}

export class DeploymentSyncer {
  constructor(readonly o: SyncerOptions) {}

  now(): number {
    return this.o.clock.now();
  }

  /** `UpdateStatus` of `d`; `d` takes the stored resourceVersion. */
  async updateStatus(d: Deployment): Promise<void> {
    const stored = await this.o.client.updateStatus(d, { kind: Deployment });
    (d.metadata ??= {}).resourceVersion = stored.metadata?.resourceVersion;
  }

  /** `getAllReplicaSetsAndSyncRevision`. */
  async allReplicaSetsAndSyncRevision(d: Deployment, rsList: readonly RS[], create: boolean) {
    const { all: oldRSs } = findOldReplicaSets(d, rsList);
    const newRS = await this.newReplicaSet(d, rsList, oldRSs, create);
    return { newRS, oldRSs };
  }

  /**
   * `getNewReplicaSet`: syncs the existing new ReplicaSet's annotations, revision and
   * minReadySeconds (returning right after writing it), records the revision on the Deployment;
   * or, with `create`, creates `<name>-<hash>` (a hash collision bumps collisionCount and fails).
   */
  async newReplicaSet(
    d: Deployment,
    rsList: readonly RS[],
    oldRSs: readonly RS[],
    create: boolean,
  ): Promise<RS | undefined> {
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = String(maxRevision(oldRSs) + 1);
    if (existing) {
      const copy = structuredClone(existing) as ReplicaSet;
      const annotationsUpdated = setNewReplicaSetAnnotations(
        d,
        copy,
        newRevision,
        true,
        maxRevHistoryLengthInChars,
        maxSurge(d),
      );
      const minReady = d.spec?.minReadySeconds ?? 0;
      if (annotationsUpdated || (copy.spec?.minReadySeconds ?? 0) !== minReady) {
        copy.spec!.minReadySeconds = minReady;
        return this.o.client.update(copy, { kind: ReplicaSet });
      }
      let needsUpdate = setDeploymentRevision(
        d,
        copy.metadata?.annotations?.[revisionAnnotation] ?? '',
      );
      if (hasProgressDeadline(d) && !getDeploymentCondition(d.status, 'Progressing')) {
        const c = newDeploymentCondition(
          'Progressing',
          'True',
          reasons.foundNewRS,
          `Found new replica set "${copy.metadata?.name}"`,
          this.now(),
        );
        setDeploymentCondition((d.status ??= {}), c);
        needsUpdate = true;
      }
      if (needsUpdate) await this.updateStatus(d);
      return copy;
    }
    if (!create) return undefined;
    return this.createNewReplicaSet(d, oldRSs, newRevision);
  }

  private async createNewReplicaSet(
    d: Deployment,
    oldRSs: readonly RS[],
    newRevision: string,
  ): Promise<RS> {
    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    const labels = { ...(template.metadata?.labels ?? {}), [podTemplateHashLabel]: hash };
    (template.metadata ??= {}).labels = labels;
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [podTemplateHashLabel]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata?.name}-${hash}`,
        namespace: d.metadata?.namespace,
        ownerReferences: [newControllerRef(d, Deployment) as OwnerReference],
        labels,
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    rs.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false, maxRevHistoryLengthInChars, maxSurge(d));
    let created: RS;
    let alreadyExisted = false;
    try {
      created = await this.o.client.create(rs, { kind: ReplicaSet });
    } catch (err) {
      if (isAlreadyExists(err)) {
        alreadyExisted = true;
        const found = this.o.rsInformer.store.getByName(rs.metadata!.namespace, rs.metadata!.name!);
        if (!found) throw err;
        const ref = found.metadata?.ownerReferences?.find((r) => r.controller);
        if (
          ref?.uid === d.metadata?.uid &&
          equalIgnoreHash(d.spec?.template, found.spec?.template)
        ) {
          created = found;
        } else {
          (d.status ??= {}).collisionCount = (d.status.collisionCount ?? 0) + 1;
          await this.updateStatus(d).catch(() => undefined);
          throw err;
        }
      } else if (isNamespaceTerminating(err)) {
        throw err;
      } else {
        const msg = `Failed to create new replica set "${rs.metadata?.name}": ${errorMessage(err)}`;
        if (hasProgressDeadline(d)) {
          setDeploymentCondition(
            (d.status ??= {}),
            newDeploymentCondition('Progressing', 'False', reasons.failedRSCreate, msg, this.now()),
          );
          await this.updateStatus(d).catch(() => undefined);
        }
        void this.o.recorder.event(d, 'Warning', reasons.failedRSCreate, msg);
        throw err;
      }
    }
    if (!alreadyExisted && replicas > 0) {
      void this.o.recorder.event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${created.metadata?.name} to ${replicas}`,
      );
    }
    let needsUpdate = setDeploymentRevision(d, newRevision);
    if (!alreadyExisted && hasProgressDeadline(d)) {
      const c = newDeploymentCondition(
        'Progressing',
        'True',
        reasons.newReplicaSet,
        `Created new replica set "${created.metadata?.name}"`,
        this.now(),
      );
      setDeploymentCondition((d.status ??= {}), c);
      needsUpdate = true;
    }
    if (needsUpdate) await this.updateStatus(d);
    return created;
  }

  /** `scaleReplicaSetAndRecordEvent`: nothing when the size is already `size`. */
  async scaleAndRecord(
    rs: RS,
    size: number,
    d: Readonly<Deployment>,
  ): Promise<{ scaled: boolean; rs: RS }> {
    if (specReplicas(rs) === size) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, size, d, specReplicas(rs) < size ? 'up' : 'down');
  }

  /** `scaleReplicaSet`: writes the size and the replicas annotations when either changes. */
  async scaleReplicaSet(
    rs: RS,
    size: number,
    d: Readonly<Deployment>,
    operation: string,
  ): Promise<{ scaled: boolean; rs: RS }> {
    const replicas = d.spec?.replicas ?? 0;
    const max = replicas + maxSurge(d);
    const resize = specReplicas(rs) !== size;
    if (!resize && !replicasAnnotationsNeedUpdate(rs, replicas, max)) return { scaled: false, rs };
    const old = specReplicas(rs);
    const copy = structuredClone(rs) as ReplicaSet;
    copy.spec!.replicas = size;
    setReplicasAnnotations(copy, replicas, max);
    const updated = await this.o.client.update(copy, { kind: ReplicaSet });
    if (resize) {
      void this.o.recorder.event(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${operation} replica set ${updated.metadata?.name} to ${size} from ${old}`,
      );
    }
    return { scaled: resize, rs: updated };
  }

  /** `scale`: applies {@link planScale}, stopping at the first failed write. */
  async scale(
    d: Readonly<Deployment>,
    newRS: RS | undefined,
    oldRSs: readonly RS[],
  ): Promise<void> {
    for (const step of planScale(d, newRS, oldRSs)) {
      if (step.onlyIfResized) await this.scaleAndRecord(step.rs, step.replicas, d);
      else await this.scaleReplicaSet(step.rs, step.replicas, d, step.operation);
    }
  }

  /**
   * `cleanupDeployment`: deletes the oldest old ReplicaSets beyond revisionHistoryLimit, skipping
   * any with replicas, with unobserved changes, or being deleted.
   */
  async cleanupDeployment(oldRSs: readonly RS[], d: Readonly<Deployment>): Promise<void> {
    if (!hasRevisionHistoryLimit(d)) return;
    for (const rs of replicaSetsToCleanup(oldRSs, d.spec?.revisionHistoryLimit ?? 0)) {
      try {
        await this.o.client.delete(ReplicaSet, rs.metadata?.name ?? '', {
          namespace: rs.metadata?.namespace,
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** `syncDeploymentStatus`: writes calculateStatus when it differs. */
  async syncDeploymentStatus(
    allRSs: readonly (RS | undefined)[],
    newRS: RS | undefined,
    d: Deployment,
  ): Promise<void> {
    const next = calculateStatus(allRSs, newRS, d, this.now());
    if (statusEqual(d.status, next)) return;
    d.status = next;
    await this.updateStatus(d);
  }

  /** `syncRolloutStatus`: writes the rollout status when it differs, else requeues a stuck rollout. */
  async syncRolloutStatus(
    allRSs: readonly (RS | undefined)[],
    newRS: RS | undefined,
    d: Deployment,
  ): Promise<void> {
    const next = rolloutStatus(allRSs, newRS, d, this.now());
    if (statusEqual(d.status, next)) {
      const after = stuckRequeueMs(d, next, this.now());
      if (after !== undefined) this.o.requeue(d, after === 0 ? undefined : after);
      return;
    }
    d.status = next;
    await this.updateStatus(d);
  }

  /** `sync`: proportional scaling and (when paused) cleanup, then status. */
  async sync(d: Deployment, rsList: readonly RS[]): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSetsAndSyncRevision(d, rsList, false);
    await this.scale(d, newRS, oldRSs);
    if (d.spec?.paused && !rollbackTo(d)) await this.cleanupDeployment(oldRSs, d);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /** `syncStatusOnly` (a Deployment being deleted). */
  async syncStatusOnly(d: Deployment, rsList: readonly RS[]): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSetsAndSyncRevision(d, rsList, false);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /** `isScalingEvent`: an active ReplicaSet was sized for a different spec.replicas. */
  async isScalingEvent(d: Deployment, rsList: readonly RS[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.allReplicaSetsAndSyncRevision(d, rsList, false);
    return filterActive([...oldRSs, newRS]).some((rs) => {
      const desired = desiredReplicasOf(rs);
      return desired !== undefined && desired !== (d.spec?.replicas ?? 0);
    });
  }

  /** `checkPausedConditions`: Progressing Unknown DeploymentPaused / DeploymentResumed. */
  async checkPausedConditions(d: Deployment): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const cond = getDeploymentCondition(d.status, 'Progressing');
    if (cond?.reason === reasons.timedOut) return;
    const pausedExists = cond?.reason === reasons.paused;
    let next;
    if (d.spec?.paused && !pausedExists) {
      next = newDeploymentCondition(
        'Progressing',
        'Unknown',
        reasons.paused,
        'Deployment is paused',
        this.now(),
      );
    } else if (!d.spec?.paused && pausedExists) {
      next = newDeploymentCondition(
        'Progressing',
        'Unknown',
        reasons.resumed,
        'Deployment is resumed',
        this.now(),
      );
    }
    if (!next) return;
    setDeploymentCondition((d.status ??= {}), next);
    await this.updateStatus(d);
  }
}

/** The revision `deprecated.deployment.rollback.to` asks for, if it parses. */
export function rollbackTo(d: Readonly<Deployment>): number | undefined {
  const v = d.metadata?.annotations?.['deprecated.deployment.rollback.to'];
  if (!v || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** The old ReplicaSets `cleanupDeployment` deletes (lowest revisions first). */
export function replicaSetsToCleanup(oldRSs: readonly RS[], limit: number): RS[] {
  const alive = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = alive.length - limit;
  if (diff <= 0) return [];
  return [...alive]
    .sort(byRevision)
    .slice(0, diff)
    .filter(
      (rs) =>
        (rs.status?.replicas ?? 0) === 0 &&
        specReplicas(rs) === 0 &&
        (rs.metadata?.generation ?? 0) <= (rs.status?.observedGeneration ?? 0) &&
        !rs.metadata?.deletionTimestamp,
    );
}
