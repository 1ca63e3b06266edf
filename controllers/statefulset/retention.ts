/**
 * `persistentVolumeClaimRetentionPolicy` as owner references on a pod's PVCs
 * (`stateful_set_utils.go`, StatefulSetAutoDeletePVC, GA in 1.32):
 *
 * | whenScaled / whenDeleted | owner of a PVC of a live ordinal | of a scaled-down ordinal |
 * | ------------------------ | -------------------------------- | ------------------------ |
 * | Retain / Retain          | none                             | none                     |
 * | Retain / Delete          | the set                          | the set                  |
 * | Delete / Retain          | none                             | the pod                  |
 * | Delete / Delete          | the set                          | the pod                  |
 *
 * The garbage collector then deletes a PVC with its owner. References are controller references.
 * A PVC referring to an older set or pod of the same name (a stale UID) is left alone; one with
 * another controller keeps it, with the set's and pod's references removed (unless both policies
 * are Retain, when other controllers do not matter).
 */
import {
  Pod as PodKind,
  StatefulSet as StatefulSetKind,
  apiVersionOf,
  type Kind,
  type KubernetesObject,
  type OwnerReference,
  type PersistentVolumeClaim,
  type Pod,
} from '../../framework/index.js';
import { newControllerRef } from '../util/index.js';
import { inOrdinalRange, retentionPolicy, type SetObj } from './identity.js';

type Claim = Readonly<PersistentVolumeClaim>;
type Obj = Readonly<KubernetesObject>;

/** `matchesRef`: same apiVersion, kind and name (whatever the UID). */
function matchesRef(ref: OwnerReference, obj: Obj, kind: Kind): boolean {
  return (
    ref.apiVersion === apiVersionOf(kind) &&
    ref.kind === kind.kind &&
    ref.name === obj.metadata?.name
  );
}

/** `hasOwnerRef`: a reference to `owner`'s UID. */
export function hasOwnerRef(target: Obj, owner: Obj): boolean {
  const uid = owner.metadata?.uid;
  return (target.metadata?.ownerReferences ?? []).some((r) => r.uid === uid);
}

/** `hasStaleOwnerRef`: the first reference naming `owner` has another UID. */
export function hasStaleOwnerRef(target: Obj, owner: Obj, kind: Kind): boolean {
  const ref = (target.metadata?.ownerReferences ?? []).find((r) => matchesRef(r, owner, kind));
  return !!ref && ref.uid !== owner.metadata?.uid;
}

/** `hasUnexpectedController`; see the module comment. */
export function hasUnexpectedController(claim: Claim, set: SetObj, pod: Readonly<Pod>): boolean {
  const policy = retentionPolicy(set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Retain') return false;
  for (const ref of claim.metadata?.ownerReferences ?? []) {
    if (matchesRef(ref, set, StatefulSetKind)) {
      if (ref.uid !== set.metadata?.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod, PodKind)) {
      if (ref.uid !== pod.metadata?.uid) return true;
      continue;
    }
    if (ref.controller) return true;
  }
  return false;
}

/** `hasNonControllerOwner`: the set or pod owns the claim without being its controller. */
function hasNonControllerOwner(claim: Claim, set: SetObj, pod: Readonly<Pod>): boolean {
  return (claim.metadata?.ownerReferences ?? []).some(
    (r) => (r.uid === set.metadata?.uid || r.uid === pod.metadata?.uid) && !r.controller,
  );
}

/** `isClaimOwnerUpToDate`: the claim's references already say what the policy wants. */
export function isClaimOwnerUpToDate(claim: Claim, set: SetObj, pod: Readonly<Pod>): boolean {
  if (hasStaleOwnerRef(claim, set, StatefulSetKind) || hasStaleOwnerRef(claim, pod, PodKind)) {
    return true;
  }
  if (hasUnexpectedController(claim, set, pod)) {
    return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  }
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const policy = retentionPolicy(set);
  const scaledDown = !inOrdinalRange(pod, set);
  const setRef = hasOwnerRef(claim, set);
  const podRef = hasOwnerRef(claim, pod);
  if (policy.whenScaled === 'Delete' && policy.whenDeleted === 'Delete') {
    return scaledDown !== setRef && scaledDown === podRef;
  }
  if (policy.whenScaled === 'Delete' && policy.whenDeleted === 'Retain') {
    return !setRef && scaledDown === podRef;
  }
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Delete') {
    return setRef && !podRef;
  }
  return !setRef && !podRef;
}

function addControllerRef(refs: OwnerReference[], owner: Obj, kind: Kind): OwnerReference[] {
  if (refs.some((r) => r.uid === owner.metadata?.uid)) return refs;
  return [...refs, newControllerRef(owner, kind)];
}

/**
 * `updateClaimOwnerRefForSetAndPod`: the owner references the claim should carry — its other
 * references, plus the set's and pod's as the policy wants (none when another controller has
 * it).
 */
export function claimOwnerRefsFor(claim: Claim, set: SetObj, pod: Readonly<Pod>): OwnerReference[] {
  let refs = (claim.metadata?.ownerReferences ?? []).filter(
    (r) => !matchesRef(r, set, StatefulSetKind) && !matchesRef(r, pod, PodKind),
  );
  if (hasUnexpectedController(claim, set, pod)) return refs;
  const policy = retentionPolicy(set);
  const scaledDown = !inOrdinalRange(pod, set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Delete') {
    refs = addControllerRef(refs, set, StatefulSetKind);
  } else if (policy.whenScaled === 'Delete' && policy.whenDeleted === 'Retain') {
    if (scaledDown) refs = addControllerRef(refs, pod, PodKind);
  } else if (policy.whenScaled === 'Delete' && policy.whenDeleted === 'Delete') {
    refs = addControllerRef(refs, scaledDown ? pod : set, scaledDown ? PodKind : StatefulSetKind);
  }
  return refs;
}
