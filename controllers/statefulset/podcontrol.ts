/**
 * Creating, updating and deleting a StatefulSet's pods and PVCs (`stateful_pod_control.go`), with
 * the events kube-controller-manager records on the set:
 *
 * - pods: `Normal Successful<Verb> "<verb> Pod <pod> in StatefulSet <set> successful"`, or
 *   `Warning Failed<Verb> "<verb> Pod <pod> in StatefulSet <set> failed error: <err>"`;
 * - claims: `Normal SuccessfulCreate "create Claim <pvc> Pod <pod> in StatefulSet <set> success"`,
 *   or `Warning FailedCreate "create Claim <pvc> for Pod <pod> in StatefulSet <set> failed error:
 *   <err>"`.
 *
 * A pod's PVCs are created before the pod; a PVC being deleted blocks the pod. PVCs are read from
 * the cache. Errors are rethrown after their event; events are fire and forget.
 */
import {
  isAlreadyExists,
  isConflict,
  PersistentVolumeClaim as PVCKind,
  Pod as PodKind,
  type ApiClient,
  type Client,
  type EventRecorder,
  type Informer,
  type PersistentVolumeClaim,
  type Pod,
} from '../../framework/index.js';
import { aggregate, errorMessage } from '../util/index.js';
import { podUpdateAttempts } from './defaults.js';
import {
  identityMatches,
  ordinalOf,
  persistentVolumeClaims,
  retentionPolicy,
  storageMatches,
  updateIdentity,
  updateStorage,
  type SetObj,
} from './identity.js';
import {
  claimOwnerRefsFor,
  hasStaleOwnerRef,
  hasUnexpectedController,
  isClaimOwnerUpToDate,
} from './retention.js';

export interface StatefulPodControlOptions {
  client: Client;
  api: ApiClient;
  recorder: EventRecorder;
  claims: Informer<PersistentVolumeClaim>;
}

const title = (verb: string) => verb[0]!.toUpperCase() + verb.slice(1);

export class StatefulPodControl {
  constructor(private readonly o: StatefulPodControlOptions) {}

  /** `CreateStatefulPod`: the PVCs, then the pod, then the PVCs' retention owner references. */
  async createStatefulPod(set: SetObj, pod: Pod): Promise<void> {
    try {
      await this.createPersistentVolumeClaims(set, pod);
    } catch (err) {
      this.recordPodEvent('create', set, pod, err);
      throw err;
    }
    let created: Pod = pod;
    let createErr: unknown;
    try {
      created = await this.o.client.create(pod, { kind: PodKind });
    } catch (err) {
      if (isAlreadyExists(err)) throw err;
      createErr = err;
    }
    try {
      await this.updatePodClaimForRetentionPolicy(set, created);
    } catch (err) {
      this.recordPodEvent('update', set, pod, err);
      throw err;
    }
    this.recordPodEvent('create', set, pod, createErr);
    if (createErr !== undefined) throw createErr;
  }

  /** `UpdateStatefulPod`: restores identity, storage and PVC ownership, retrying on conflict. */
  async updateStatefulPod(set: SetObj, original: Readonly<Pod>): Promise<void> {
    let pod = structuredClone(original) as Pod;
    let attempted = false;
    let lastErr: unknown;
    for (let attempt = 1; attempt <= podUpdateAttempts; attempt++) {
      let consistent = true;
      if (!identityMatches(set, pod)) {
        updateIdentity(set, pod);
        consistent = false;
      }
      if (!storageMatches(set, pod)) {
        updateStorage(set, pod);
        consistent = false;
        try {
          await this.createPersistentVolumeClaims(set, pod);
        } catch (err) {
          this.recordPodEvent('update', set, pod, err);
          throw err;
        }
      }
      if (!this.claimsMatchRetentionPolicy(set, pod)) {
        try {
          await this.updatePodClaimForRetentionPolicy(set, pod);
        } catch (err) {
          this.recordPodEvent('update', set, pod, err);
          throw err;
        }
        consistent = false;
      }
      if (consistent) return;
      attempted = true;
      try {
        await this.o.client.update(pod, { kind: PodKind });
        lastErr = undefined;
        break;
      } catch (err) {
        lastErr = err;
        if (!isConflict(err)) break;
        try {
          pod = await this.o.api.get(PodKind, pod.metadata?.name ?? '', {
            namespace: set.metadata?.namespace,
          });
        } catch {
          // keep the copy; the next attempt fails the same way and the sync is retried
        }
      }
    }
    if (attempted) this.recordPodEvent('update', set, pod, lastErr);
    if (lastErr !== undefined) throw lastErr;
  }

  /** `DeleteStatefulPod`. */
  async deleteStatefulPod(set: SetObj, pod: Readonly<Pod>): Promise<void> {
    let error: unknown;
    try {
      await this.o.client.delete(PodKind, pod.metadata?.name ?? '', {
        namespace: pod.metadata?.namespace,
      });
    } catch (err) {
      error = err;
    }
    this.recordPodEvent('delete', set, pod, error);
    if (error !== undefined) throw error;
  }

  /** `ClaimsMatchRetentionPolicy`: every existing PVC of the pod has the owners the policy wants. */
  claimsMatchRetentionPolicy(set: SetObj, pod: Readonly<Pod>): boolean {
    for (const { claim } of persistentVolumeClaims(set, ordinalOf(pod))) {
      const existing = this.claim(claim);
      if (existing && !isClaimOwnerUpToDate(existing, set, pod)) return false;
    }
    return true;
  }

  /** `UpdatePodClaimForRetentionPolicy`: writes the owner references the policy wants. */
  async updatePodClaimForRetentionPolicy(set: SetObj, pod: Readonly<Pod>): Promise<void> {
    for (const { claim } of persistentVolumeClaims(set, ordinalOf(pod))) {
      const existing = this.claim(claim);
      if (!existing) continue;
      const name = existing.metadata?.name ?? '';
      if (hasUnexpectedController(existing, set, pod)) {
        void this.o.recorder.event(
          set,
          'Warning',
          'ConflictingController',
          `PersistentVolumeClaim ${name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`,
        );
      }
      if (isClaimOwnerUpToDate(existing, set, pod)) continue;
      const updated = structuredClone(existing) as PersistentVolumeClaim;
      updated.metadata!.ownerReferences = claimOwnerRefsFor(existing, set, pod);
      try {
        await this.o.client.update(updated, { kind: PVCKind });
      } catch (err) {
        throw new Error(
          `could not update claim ${name} for delete policy ownerRefs: ${errorMessage(err)}`,
          { cause: err },
        );
      }
    }
  }

  /**
   * `PodClaimIsStale`: with whenScaled Delete, a PVC still owned by an earlier pod of the same
   * name blocks the new pod until the garbage collector removed it.
   */
  podClaimIsStale(set: SetObj, pod: Readonly<Pod>): boolean {
    if (retentionPolicy(set).whenScaled === 'Retain') return false;
    return persistentVolumeClaims(set, ordinalOf(pod)).some(({ claim }) => {
      const existing = this.claim(claim);
      return !!existing && hasStaleOwnerRef(existing, pod, PodKind);
    });
  }

  /** `createPersistentVolumeClaims`: creates the pod's missing PVCs. */
  async createPersistentVolumeClaims(set: SetObj, pod: Readonly<Pod>): Promise<void> {
    const errors: Error[] = [];
    for (const { claim } of persistentVolumeClaims(set, ordinalOf(pod))) {
      const name = claim.metadata?.name ?? '';
      const existing = this.claim(claim);
      if (existing) {
        if (existing.metadata?.deletionTimestamp)
          errors.push(new Error(`pvc ${name} is being deleted`));
        continue;
      }
      try {
        await this.o.client.create(claim, { kind: PVCKind });
        this.recordClaimEvent(set, pod, name, undefined);
      } catch (err) {
        errors.push(
          new Error(`failed to create PVC ${name}: ${errorMessage(err)}`, { cause: err }),
        );
        if (!isAlreadyExists(err)) this.recordClaimEvent(set, pod, name, err);
      }
    }
    const error = aggregate(errors);
    if (error) throw error;
  }

  private claim(claim: PersistentVolumeClaim): Readonly<PersistentVolumeClaim> | undefined {
    return this.o.claims.store.getByName(claim.metadata?.namespace, claim.metadata?.name ?? '');
  }

  private recordPodEvent(verb: string, set: SetObj, pod: Readonly<Pod>, err: unknown): void {
    const podName = pod.metadata?.name;
    const setName = set.metadata?.name;
    if (err === undefined) {
      void this.o.recorder.event(
        set,
        'Normal',
        `Successful${title(verb)}`,
        `${verb} Pod ${podName} in StatefulSet ${setName} successful`,
      );
    } else {
      void this.o.recorder.event(
        set,
        'Warning',
        `Failed${title(verb)}`,
        `${verb} Pod ${podName} in StatefulSet ${setName} failed error: ${errorMessage(err)}`,
      );
    }
  }

  private recordClaimEvent(set: SetObj, pod: Readonly<Pod>, claim: string, err: unknown): void {
    const podName = pod.metadata?.name;
    const setName = set.metadata?.name;
    if (err === undefined) {
      void this.o.recorder.event(
        set,
        'Normal',
        'SuccessfulCreate',
        `create Claim ${claim} Pod ${podName} in StatefulSet ${setName} success`,
      );
    } else {
      void this.o.recorder.event(
        set,
        'Warning',
        'FailedCreate',
        `create Claim ${claim} for Pod ${podName} in StatefulSet ${setName} failed error: ${errorMessage(err)}`,
      );
    }
  }
}
