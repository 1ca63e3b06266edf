/**
 * The StatefulSet update algorithm (`stateful_set_control.go`, `UpdateStatefulSet`). One call:
 *
 * 1. Revisions: the set's template as a revision; an equal latest revision is reused, an equal
 *    older one gets the next revision number (a rollback), otherwise a new one is created. The
 *    current revision is `status.currentRevision` (the update revision when unknown).
 * 2. Pods are split into replicas (ordinals in `[start, start + replicas)`, missing ones
 *    synthesised at the revision the partition calls for) and condemned (other ordinals, highest
 *    first).
 * 3. Being deleted → status only. Otherwise each replica is processed: finished pods are
 *    deleted (recreated on a later sync); missing pods are created after their PVCs (blocked by a
 *    PVC still owned by an earlier pod); pending pods get their missing PVCs; identity, storage
 *    and PVC owner references are restored. OrderedReady (monotonic) stops at the first step
 *    taken and at any pod not Running, Ready and available; Parallel runs all replicas in
 *    slow-start batches (1, 2, 4, …).
 * 4. Condemned pods: PVC owners fixed, then deleted (monotonic: one at a time, only when it is
 *    the first unavailable pod or all pods are available).
 * 5. RollingUpdate: pods with ordinal ≥ partition at another revision are deleted from the highest
 *    ordinal down, one at a time waiting for availability — or, when `maxUnavailable` is set, up to
 *    maxUnavailable minus the unavailable replicas at once (upstream's MaxUnavailableStatefulSet
 *    path). OnDelete: nothing.
 * 6. Status is written when it changed; then history beyond revisionHistoryLimit is deleted,
 *    oldest first, never a revision a pod, the current or the update revision uses.
 *
 * Errors of step 3–5 still write the status computed so far, then are thrown. Parallel batches are
 * not capped at upstream's 500 (only sets of more than 1011 replicas differ).
 */
import {
  isNotFound,
  labelSelectorFromObject,
  StatefulSet as StatefulSetKind,
  type ApiClient,
  type Client,
  type Clock,
  type ControllerRevision,
  type Logger,
  type Pod,
} from '../../framework/index.js';
import {
  applyTemplatePatch,
  equalRevision,
  findEqualRevisions,
  newControllerRevision,
  nextRevision,
  sortControllerRevisions,
  templatePatch,
  type ControllerHistory,
  type Revision,
} from '../history/index.js';
import { aggregate, getScaledValueFromIntOrPercent, slowStartBatch } from '../util/index.js';
import {
  allowsBurst,
  endOrdinal,
  inOrdinalRange,
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  isUnavailable,
  identityMatches,
  newVersionedStatefulSetPod,
  ordinalOf,
  podRevision,
  startOrdinal,
  storageMatches,
  type SetObj,
} from './identity.js';
import type { StatefulPodControl } from './podcontrol.js';
import {
  completeRollingUpdate,
  countReplicas,
  inconsistentStatus,
  writeStatus,
  type StatefulSetStatus,
} from './status.js';

export interface StatefulSetControlOptions {
  client: Client;
  api: ApiClient;
  clock: Clock;
  history: ControllerHistory;
  podControl: StatefulPodControl;
  log?: Logger;
}

type P = Readonly<Pod>;

/** Thrown by a step with the status computed so far. */
class StepError extends Error {
  constructor(
    readonly status: StatefulSetStatus,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

export class StatefulSetControl {
  constructor(private readonly o: StatefulSetControlOptions) {}

  /** `UpdateStatefulSet`; resolves with the status written (or that needed no write). */
  async updateStatefulSet(set: SetObj, pods: readonly P[]): Promise<StatefulSetStatus> {
    const revisions = sortControllerRevisions(
      this.o.history.list(set, labelSelectorFromObject(set.spec?.selector)),
    );
    const { current, update, status, error } = await this.performUpdate(set, pods, revisions);
    let truncateError: unknown;
    try {
      await this.truncateHistory(set, pods, revisions, current, update);
    } catch (err) {
      truncateError = err;
    }
    const errors = [error, truncateError].filter((e) => e !== undefined) as Error[];
    const combined = aggregate(errors);
    if (combined) throw combined;
    return status!;
  }

  private async performUpdate(set: SetObj, pods: readonly P[], revisions: Revision[]) {
    let current: Revision | undefined;
    let update: Revision | undefined;
    try {
      const r = await this.revisions(set, revisions);
      current = r.current;
      update = r.update;
      let status: StatefulSetStatus;
      let stepError: unknown;
      try {
        status = await this.update(set, current, update, r.collisionCount, pods);
      } catch (err) {
        if (!(err instanceof StepError)) throw err;
        status = err.status;
        stepError = err.error;
      }
      let statusError: unknown;
      try {
        completeRollingUpdate(set, status);
        if (inconsistentStatus(set, status)) {
          await writeStatus(this.o.client, this.o.api, set, status);
        }
      } catch (err) {
        statusError = err;
      }
      return { current, update, status, error: stepError ?? statusError };
    } catch (err) {
      return { current, update, error: err };
    }
  }

  /** `getStatefulSetRevisions`. */
  private async revisions(set: SetObj, revisions: Revision[]) {
    let collisionCount = set.status?.collisionCount ?? 0;
    let update: Revision = newControllerRevision({
      parent: set,
      parentKind: StatefulSetKind,
      templateLabels: set.spec?.template?.metadata?.labels,
      data: templatePatch(set),
      revision: nextRevision(revisions),
      collisionCount,
      annotations: set.metadata?.annotations,
    });
    const equal = findEqualRevisions(revisions, update);
    if (equal.length > 0 && equalRevision(revisions.at(-1), equal.at(-1))) {
      update = revisions.at(-1)!;
    } else if (equal.length > 0) {
      update = await this.o.history.updateRevision(equal.at(-1)!, update.revision ?? 0);
    } else {
      const created = await this.o.history.create(set, update, collisionCount);
      update = created.revision;
      collisionCount = created.collisionCount;
    }
    const current =
      revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  /** `updateStatefulSet`: steps 2–5; throws a {@link StepError} carrying the status. */
  private async update(
    set: SetObj,
    currentRevision: Revision,
    updateRevision: Revision,
    collisionCount: number,
    pods: readonly P[],
  ): Promise<StatefulSetStatus> {
    const now = this.o.clock.now();
    const minReady = set.spec?.minReadySeconds ?? 0;
    const currentSet = applyTemplatePatch(set, currentRevision.data);
    const updateSet = applyTemplatePatch(set, updateRevision.data);
    const names = {
      current: currentRevision.metadata?.name ?? '',
      update: updateRevision.metadata?.name ?? '',
    };
    const status: StatefulSetStatus = {
      observedGeneration: set.metadata?.generation,
      currentRevision: names.current,
      updateRevision: names.update,
      collisionCount,
      replicas: 0,
    };
    countReplicas(status, minReady, now, names, pods);

    const start = startOrdinal(set);
    const replicas: P[] = new Array(Math.max(0, endOrdinal(set) - start + 1));
    const condemned: P[] = [];
    for (const pod of pods) {
      if (inOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
      else if (ordinalOf(pod) >= 0) condemned.push(pod);
    }
    for (let i = 0; i < replicas.length; i++) {
      replicas[i] ??= newVersionedStatefulSetPod(
        currentSet,
        updateSet,
        names.current,
        names.update,
        start + i,
      );
    }
    condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
    const unavailable = (p: P) => isUnavailable(p, minReady, now);
    let firstUnavailable = replicas.find(unavailable);
    for (let i = condemned.length - 1; i >= 0 && !firstUnavailable; i--) {
      if (unavailable(condemned[i]!)) firstUnavailable = condemned[i];
    }
    if (set.metadata?.deletionTimestamp) return status;

    const monotonic = !allowsBurst(set);
    /** Recounts over replicas and condemned; throws with the status when `err` is set. */
    const exit = (err?: unknown): StatefulSetStatus => {
      countReplicas(status, minReady, now, names, replicas, condemned);
      if (err !== undefined) throw new StepError(status, err);
      return status;
    };
    const pc = this.o.podControl;
    const steps: Array<[readonly P[], (i: number) => Promise<boolean>]> = [
      [replicas, (i) => this.processReplica(set, updateSet, monotonic, replicas, i, now)],
      [
        condemned,
        async (i) => {
          if (!pc.claimsMatchRetentionPolicy(updateSet, condemned[i]!)) {
            await pc.updatePodClaimForRetentionPolicy(updateSet, condemned[i]!);
          }
          return false;
        },
      ],
      [
        condemned,
        async (i) => {
          const pod = condemned[i]!;
          if (isTerminating(pod)) return monotonic;
          if (monotonic && pod !== firstUnavailable) {
            if (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, now)) return true;
          }
          await pc.deleteStatefulPod(set, pod);
          return true;
        },
      ],
    ];
    for (const [list, fn] of steps) {
      let stopped: boolean;
      try {
        stopped = await runForAll(list, fn, monotonic);
      } catch (err) {
        return exit(err);
      }
      if (stopped) return exit();
    }

    countReplicas(status, minReady, now, names, replicas, condemned);
    if (set.spec?.updateStrategy?.type === 'OnDelete') return status;
    try {
      await this.rollingUpdate(set, replicas, names.update, status, now);
    } catch (err) {
      throw new StepError(status, err);
    }
    return status;
  }

  /** `processReplica`: resolves true when a monotonic set must stop here. */
  private async processReplica(
    set: SetObj,
    updateSet: SetObj,
    monotonic: boolean,
    replicas: P[],
    i: number,
    now: number,
  ): Promise<boolean> {
    const pc = this.o.podControl;
    const pod = replicas[i]!;
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!pod.metadata?.deletionTimestamp) await pc.deleteStatefulPod(set, pod);
      return true;
    }
    if (!isCreated(pod)) {
      if (pc.podClaimIsStale(set, pod)) return true;
      await pc.createStatefulPod(set, structuredClone(pod) as Pod);
      if (monotonic) return true;
    }
    if (isPending(pod)) await pc.createPersistentVolumeClaims(set, pod);
    if (monotonic) {
      if (isTerminating(pod)) return true;
      if (!isRunningAndReady(pod)) return true;
      if (!isRunningAndAvailable(pod, set.spec?.minReadySeconds ?? 0, now)) return true;
    }
    if (!isCreated(pod)) return false;
    const retentionMatch = pc.claimsMatchRetentionPolicy(updateSet, pod);
    if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) return false;
    await pc.updateStatefulPod(updateSet, pod);
    return false;
  }

  /** Step 5 for RollingUpdate; see the module comment. */
  private async rollingUpdate(
    set: SetObj,
    replicas: P[],
    updateRevision: string,
    status: StatefulSetStatus,
    now: number,
  ): Promise<void> {
    const ru = set.spec?.updateStrategy?.rollingUpdate;
    const updateMin = ru?.partition ?? 0;
    const minReady = set.spec?.minReadySeconds ?? 0;
    const deletePod = async (pod: P) => {
      try {
        await this.o.podControl.deleteStatefulPod(set, pod);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
    };
    if (ru?.maxUnavailable === undefined || ru.maxUnavailable === null) {
      for (let target = replicas.length - 1; target >= updateMin; target--) {
        const pod = replicas[target]!;
        if (podRevision(pod) !== updateRevision && !isTerminating(pod)) return deletePod(pod);
        if (isUnavailable(pod, minReady, now)) return;
      }
      return;
    }
    const maxUnavailable = Math.max(
      1,
      getScaledValueFromIntOrPercent(ru.maxUnavailable, set.spec?.replicas ?? 1, false),
    );
    const unavailable = replicas.filter((p) => isUnavailable(p, minReady, now)).length;
    if (unavailable >= maxUnavailable) return;
    let toDelete = maxUnavailable - unavailable;
    for (let target = replicas.length - 1; target >= updateMin && toDelete > 0; target--) {
      const pod = replicas[target]!;
      if (podRevision(pod) !== updateRevision && !isTerminating(pod)) {
        await deletePod(pod);
        toDelete--;
      }
    }
  }

  /** `truncateHistory`. */
  private async truncateHistory(
    set: SetObj,
    pods: readonly P[],
    revisions: readonly Revision[],
    current: Revision | undefined,
    update: Revision | undefined,
  ): Promise<void> {
    const live = new Set<string>();
    if (current) live.add(current.metadata?.name ?? '');
    if (update) live.add(update.metadata?.name ?? '');
    for (const p of pods) live.add(podRevision(p));
    const history = revisions.filter((r) => !live.has(r.metadata?.name ?? ''));
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    if (limit < 0 || history.length <= limit) return;
    for (const r of history.slice(0, history.length - limit)) {
      await this.o.history.delete(r as ControllerRevision);
    }
  }
}

/**
 * `runForAll`: monotonic → in order, stopping at the first step that says so (resolves true);
 * burst → all at once in slow-start batches, rejecting with the first failed batch's error.
 */
async function runForAll(
  list: readonly P[],
  fn: (i: number) => Promise<boolean>,
  monotonic: boolean,
): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < list.length; i++) if (await fn(i)) return true;
    return false;
  }
  const { error } = await slowStartBatch(list.length, 1, async (i) => void (await fn(i)));
  if (error !== undefined) throw error;
  return false;
}
