/**
 * A StatefulSet pod's identity and storage (`stateful_set_utils.go`): the pod of ordinal `i` is
 * named `<set>-<i>`, has hostname `<set>-<i>` and subdomain `spec.serviceName`, the labels
 * `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index` and
 * `controller-revision-hash` (its revision), and one volume per claim template pointing at the
 * PVC `<template>-<set>-<i>`. Ordinals run from `spec.ordinals.start` (default 0).
 *
 * Pure functions over wire objects; the ones that change a pod change the copy they are given.
 */
import {
  StatefulSet as StatefulSetKind,
  type PersistentVolumeClaim,
  type Pod,
  type StatefulSet,
} from '../../framework/index.js';
import { isPodAvailable, isPodReady, newControllerRef, podFromTemplate } from '../util/index.js';
import { podIndexLabel, podNameLabel, revisionLabel } from './defaults.js';

export type SetObj = Readonly<StatefulSet>;
type PodLike = Readonly<Pod>;

const statefulPodName = /^(.*)-([0-9]+)$/;
const maxInt32 = 2 ** 31 - 1;

/** `getParentNameAndOrdinal`: `{ parent: '', ordinal: -1 }` for a name without an ordinal. */
export function parentNameAndOrdinal(pod: PodLike): { parent: string; ordinal: number } {
  const m = statefulPodName.exec(pod.metadata?.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1]!, ordinal: n <= maxInt32 ? n : -1 };
}

/** `getOrdinal`: the pod's ordinal, -1 when its name has none. */
export function ordinalOf(pod: PodLike): number {
  return parentNameAndOrdinal(pod).ordinal;
}

/** `isMemberOf`: the pod's name says it belongs to the set. */
export function isMemberOf(set: SetObj, pod: PodLike): boolean {
  return parentNameAndOrdinal(pod).parent === set.metadata?.name;
}

export function podName(set: SetObj, ordinal: number): string {
  return `${set.metadata?.name}-${ordinal}`;
}

/** `getPersistentVolumeClaimName`: `<template>-<set>-<ordinal>`. */
export function claimName(set: SetObj, templateName: string | undefined, ordinal: number): string {
  return `${templateName}-${set.metadata?.name}-${ordinal}`;
}

export function startOrdinal(set: SetObj): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function endOrdinal(set: SetObj): number {
  return startOrdinal(set) + (set.spec?.replicas ?? 1) - 1;
}

/** `podInOrdinalRange`. */
export function inOrdinalRange(pod: PodLike, set: SetObj): boolean {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

/** `getPersistentVolumeClaims`: the claims of ordinal `ordinal`, in template order. */
export function persistentVolumeClaims(
  set: SetObj,
  ordinal: number,
): Array<{ template: string; claim: PersistentVolumeClaim }> {
  const selectorLabels = set.spec?.selector?.matchLabels ?? {};
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => {
    const claim = structuredClone(t) as PersistentVolumeClaim;
    delete claim.status;
    claim.apiVersion = 'v1';
    claim.kind = 'PersistentVolumeClaim';
    claim.metadata = {
      ...(claim.metadata ?? {}),
      name: claimName(set, t.metadata?.name, ordinal),
      namespace: set.metadata?.namespace,
      labels: { ...(t.metadata?.labels ?? {}), ...selectorLabels },
    };
    return { template: t.metadata?.name ?? '', claim };
  });
}

/** `updateIdentity`: name, namespace and the pod-name and pod-index labels. */
export function updateIdentity(set: SetObj, pod: Pod): void {
  const ordinal = ordinalOf(pod);
  const meta = (pod.metadata ??= {});
  meta.name = podName(set, ordinal);
  meta.namespace = set.metadata?.namespace;
  meta.labels = {
    ...(meta.labels ?? {}),
    [podNameLabel]: meta.name,
    [podIndexLabel]: String(ordinal),
  };
}

/** `updateStorage`: one volume per claim template, then the pod's other volumes. */
export function updateStorage(set: SetObj, pod: Pod): void {
  const spec = (pod.spec ??= { containers: [] });
  const claims = persistentVolumeClaims(set, ordinalOf(pod));
  const templates = new Set(claims.map((c) => c.template));
  spec.volumes = [
    ...claims.map(({ template, claim }) => ({
      name: template,
      persistentVolumeClaim: { claimName: claim.metadata!.name!, readOnly: false },
    })),
    ...(spec.volumes ?? []).filter((v) => !templates.has(v.name)),
  ];
}

/** `newStatefulSetPod`: the pod of `ordinal` from the set's template. */
export function newStatefulSetPod(set: SetObj, ordinal: number): Pod {
  const template = set.spec?.template ?? {};
  const pod = podFromTemplate(template, set, newControllerRef(set, StatefulSetKind));
  delete pod.metadata!.generateName;
  pod.metadata!.name = podName(set, ordinal);
  updateIdentity(set, pod);
  pod.spec = { ...(pod.spec ?? { containers: [] }), hostname: pod.metadata!.name };
  if (set.spec?.serviceName) pod.spec.subdomain = set.spec.serviceName;
  updateStorage(set, pod);
  return pod;
}

/**
 * `newVersionedStatefulSetPod`: ordinals below the partition (or, without a rollingUpdate
 * block, below start + status.currentReplicas) get the current revision, the others the update
 * revision. Go's precedence is kept: the partition branch applies whatever the strategy type.
 */
export function newVersionedStatefulSetPod(
  currentSet: SetObj,
  updateSet: SetObj,
  currentRevision: string,
  updateRevision: string,
  ordinal: number,
): Pod {
  const strategy = currentSet.spec?.updateStrategy;
  const start = startOrdinal(currentSet);
  const useCurrent =
    (strategy?.type === 'RollingUpdate' &&
      !strategy.rollingUpdate &&
      ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (!!strategy?.rollingUpdate && ordinal < start + (strategy.rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, useCurrent ? currentRevision : updateRevision);
  return pod;
}

/** `identityMatches`. */
export function identityMatches(set: SetObj, pod: PodLike): boolean {
  const { parent, ordinal } = parentNameAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    pod.metadata?.name === podName(set, ordinal) &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    pod.metadata?.labels?.[podNameLabel] === pod.metadata?.name
  );
}

/** `storageMatches`: every claim template has its volume naming the right PVC. */
export function storageMatches(set: SetObj, pod: PodLike): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec?.volumeClaimTemplates ?? []).every((t) => {
    const v = volumes.get(t.metadata?.name ?? '');
    return v?.persistentVolumeClaim?.claimName === claimName(set, t.metadata?.name, ordinal);
  });
}

export function podRevision(pod: PodLike): string {
  return pod.metadata?.labels?.[revisionLabel] ?? '';
}

export function setPodRevision(pod: Pod, revision: string): void {
  const meta = (pod.metadata ??= {});
  meta.labels = { ...(meta.labels ?? {}), [revisionLabel]: revision };
}

/** `isCreated`: the API server has it (its phase is set). */
export const isCreated = (pod: PodLike): boolean => !!pod.status?.phase;
export const isPending = (pod: PodLike): boolean => pod.status?.phase === 'Pending';
export const isFailed = (pod: PodLike): boolean => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: PodLike): boolean => pod.status?.phase === 'Succeeded';
export const isTerminating = (pod: PodLike): boolean => !!pod.metadata?.deletionTimestamp;

/** `isRunningAndReady`. */
export function isRunningAndReady(pod: PodLike): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** `isRunningAndAvailable` (available for minReadySeconds at `nowMs`). */
export function isRunningAndAvailable(
  pod: PodLike,
  minReadySeconds: number,
  nowMs: number,
): boolean {
  return isPodAvailable(pod, minReadySeconds, nowMs);
}

/** `isUnavailable`: not available, or being deleted. */
export function isUnavailable(pod: PodLike, minReadySeconds: number, nowMs: number): boolean {
  return !isRunningAndAvailable(pod, minReadySeconds, nowMs) || isTerminating(pod);
}

/** `allowsBurst`: Parallel pod management. */
export function allowsBurst(set: SetObj): boolean {
  return set.spec?.podManagementPolicy === 'Parallel';
}

/** The PVC retention policy, Retain/Retain when unset. */
export function retentionPolicy(set: SetObj): { whenDeleted: string; whenScaled: string } {
  const p = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: p?.whenDeleted ?? 'Retain', whenScaled: p?.whenScaled ?? 'Retain' };
}
