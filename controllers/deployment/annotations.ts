/**
 * Revisions and annotations (`deployment_util.go`): a Deployment's ReplicaSets carry its rollout
 * sequence in `deployment.kubernetes.io/revision`, the revisions a ReplicaSet served before in
 * `revision-history`, and the Deployment size they were scaled for in `desired-replicas` and
 * `max-replicas`. Every function changes the object it is given (a copy) and reports whether it
 * changed anything.
 */
import type { Deployment, ReplicaSet } from '../../framework/index.js';
import {
  deprecatedRollbackTo,
  desiredReplicasAnnotation,
  lastAppliedConfigAnnotation,
  maxReplicasAnnotation,
  revisionAnnotation,
  revisionHistoryAnnotation,
} from './defaults.js';

type Annotated = { metadata?: { annotations?: Record<string, string> } };

/** Annotations never copied from a Deployment to its ReplicaSets (`annotationsToSkip`). */
const annotationsToSkip = new Set([
  lastAppliedConfigAnnotation,
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  deprecatedRollbackTo,
]);

export function skipCopyAnnotation(key: string): boolean {
  return annotationsToSkip.has(key);
}

function annotations(obj: Annotated): Record<string, string> {
  const meta = (obj.metadata ??= {});
  return (meta.annotations ??= {});
}

/** `Revision`: 0 without the annotation; undefined when it does not parse. */
export function revisionOf(obj: Readonly<Annotated>): number | undefined {
  const v = obj.metadata?.annotations?.[revisionAnnotation];
  if (v === undefined) return 0;
  return /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** `MaxRevision`: the highest parsable revision (0 when none). */
export function maxRevision(rss: readonly Readonly<ReplicaSet>[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

/** `LastRevision`: the second highest revision. */
export function lastRevision(rss: readonly Readonly<ReplicaSet>[]): number {
  let max = 0;
  let second = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (v >= max) {
      second = max;
      max = v;
    } else if (v > second) second = v;
  }
  return second;
}

/** `SetDeploymentRevision`. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const a = annotations(d);
  if (a[revisionAnnotation] === revision) return false;
  a[revisionAnnotation] = revision;
  return true;
}

/** `copyDeploymentAnnotationsToReplicaSet`. */
export function copyDeploymentAnnotationsToReplicaSet(
  d: Readonly<Deployment>,
  rs: ReplicaSet,
): boolean {
  const a = annotations(rs);
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (skipCopyAnnotation(k) || (k in a && a[k] === v)) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

/**
 * `SetNewReplicaSetAnnotations`: copies the Deployment's annotations, raises the revision to
 * `newRevision` when it is higher (recording the previous one in revision-history, trimmed from
 * the oldest entry to `limitChars`), and for a ReplicaSet about to be created sets the replicas
 * annotations.
 */
export function setNewReplicaSetAnnotations(
  d: Readonly<Deployment>,
  rs: ReplicaSet,
  newRevision: string,
  exists: boolean,
  limitChars: number,
  maxSurge: number,
): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const a = annotations(rs);
  const had = revisionAnnotation in a;
  const oldRevision = a[revisionAnnotation] ?? '';
  let oldInt = 0;
  if (oldRevision !== '') {
    if (!/^-?\d+$/.test(oldRevision)) return false;
    oldInt = Number(oldRevision);
  }
  if (!/^-?\d+$/.test(newRevision)) return false;
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    a[revisionAnnotation] = newRevision;
    changed = true;
  }
  if (had && oldInt < newInt) {
    const history = a[revisionHistoryAnnotation] ?? '';
    const old = history.split(',');
    if (old[0]!.length === 0) {
      a[revisionHistoryAnnotation] = oldRevision;
    } else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > limitChars && start < old.length) {
        total -= old[start]!.length + 1;
        start++;
      }
      if (total <= limitChars)
        a[revisionHistoryAnnotation] = [...old.slice(start), oldRevision].join(',');
    }
  }
  const replicas = d.spec?.replicas ?? 0;
  if (!exists && setReplicasAnnotations(rs, replicas, replicas + maxSurge)) changed = true;
  return changed;
}

/** `SetDeploymentAnnotationsTo`: the Deployment takes the ReplicaSet's annotations (rollback). */
export function setDeploymentAnnotationsTo(d: Deployment, rs: Readonly<ReplicaSet>): void {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {}))
    if (skipCopyAnnotation(k)) kept[k] = v;
  for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {}))
    if (!skipCopyAnnotation(k)) kept[k] = v;
  (d.metadata ??= {}).annotations = kept;
}

function intAnnotation(rs: Readonly<ReplicaSet>, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** `GetDesiredReplicasAnnotation`. */
export function desiredReplicasOf(rs: Readonly<ReplicaSet>): number | undefined {
  return intAnnotation(rs, desiredReplicasAnnotation);
}

/** `getMaxReplicasAnnotation`. */
export function maxReplicasOf(rs: Readonly<ReplicaSet>): number | undefined {
  return intAnnotation(rs, maxReplicasAnnotation);
}

/** `SetReplicasAnnotations`. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = annotations(rs);
  let changed = false;
  if (a[desiredReplicasAnnotation] !== String(desired)) {
    a[desiredReplicasAnnotation] = String(desired);
    changed = true;
  }
  if (a[maxReplicasAnnotation] !== String(max)) {
    a[maxReplicasAnnotation] = String(max);
    changed = true;
  }
  return changed;
}

/** `ReplicasAnnotationsNeedUpdate`. */
export function replicasAnnotationsNeedUpdate(
  rs: Readonly<ReplicaSet>,
  desired: number,
  max: number,
): boolean {
  const a = rs.metadata?.annotations;
  return (
    !a ||
    a[desiredReplicasAnnotation] !== String(desired) ||
    a[maxReplicasAnnotation] !== String(max)
  );
}
