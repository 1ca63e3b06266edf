/**
 * Finding and ordering a Deployment's ReplicaSets (`deployment_util.go`, `controller_utils.go`).
 * The new ReplicaSet is the oldest one whose template equals the Deployment's, ignoring the
 * pod-template-hash label, under semantic equality (defaulted templates, quantities by value).
 */
import type { Deployment, ReplicaSet } from '../../framework/index.js';
import { compareByCreation, semanticEqual } from '../util/index.js';
import { revisionOf } from './annotations.js';
import { podTemplateHashLabel } from './defaults.js';

type Template = NonNullable<NonNullable<ReplicaSet['spec']>['template']>;

/** `spec.replicas` (defaulted by the API server; absent counts as 0). */
export function specReplicas(rs: Readonly<ReplicaSet> | undefined): number {
  return rs?.spec?.replicas ?? 0;
}

/** `ReplicaSetsByCreationTimestamp`: oldest first, names break ties. */
export const byCreationTimestamp: (a: Readonly<ReplicaSet>, b: Readonly<ReplicaSet>) => number =
  compareByCreation;

/** `ReplicaSetsBySizeOlder`: larger first, older first among equals (scaling down). */
export function bySizeOlder(a: Readonly<ReplicaSet>, b: Readonly<ReplicaSet>): number {
  if (specReplicas(a) === specReplicas(b)) return byCreationTimestamp(a, b);
  return specReplicas(b) - specReplicas(a);
}

/** `ReplicaSetsBySizeNewer`: larger first, newer first among equals (scaling up). */
export function bySizeNewer(a: Readonly<ReplicaSet>, b: Readonly<ReplicaSet>): number {
  if (specReplicas(a) === specReplicas(b)) return byCreationTimestamp(b, a);
  return specReplicas(b) - specReplicas(a);
}

/** `ReplicaSetsByRevision`: lowest revision first; creation time breaks ties and parse errors. */
export function byRevision(a: Readonly<ReplicaSet>, b: Readonly<ReplicaSet>): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreationTimestamp(a, b);
  return ra - rb;
}

/** `FilterActiveReplicaSets`: those that ought to have pods. */
export function filterActive<T extends Readonly<ReplicaSet>>(rss: readonly (T | undefined)[]): T[] {
  return rss.filter((rs): rs is T => !!rs && specReplicas(rs) > 0);
}

/** `EqualIgnoreHash`: templates equal once the pod-template-hash label is removed from both. */
export function equalIgnoreHash(
  a: Readonly<Template> | undefined,
  b: Readonly<Template> | undefined,
): boolean {
  const strip = (t: Readonly<Template> | undefined) => {
    const copy = structuredClone(t ?? {}) as Template;
    if (copy.metadata?.labels) delete copy.metadata.labels[podTemplateHashLabel];
    return copy;
  };
  return semanticEqual(strip(a), strip(b));
}

/** `FindNewReplicaSet`: the oldest ReplicaSet running the Deployment's template. */
export function findNewReplicaSet<T extends Readonly<ReplicaSet>>(
  d: Readonly<Deployment>,
  rss: readonly T[],
): T | undefined {
  return [...rss]
    .sort(byCreationTimestamp)
    .find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** `FindOldReplicaSets`: every other ReplicaSet (`all`), and those with replicas (`required`). */
export function findOldReplicaSets<T extends Readonly<ReplicaSet>>(
  d: Readonly<Deployment>,
  rss: readonly T[],
): { required: T[]; all: T[] } {
  const newRS = findNewReplicaSet(d, rss);
  const all = rss.filter((rs) => !newRS || rs.metadata?.uid !== newRS.metadata?.uid);
  return { required: all.filter((rs) => specReplicas(rs) !== 0), all };
}

/**
 * `FindActiveOrLatest`: the only ReplicaSet with replicas, or the newest when none has any;
 * undefined when several have replicas (they must be scaled proportionally).
 */
export function findActiveOrLatest<T extends Readonly<ReplicaSet>>(
  newRS: T | undefined,
  oldRSs: readonly T[],
): T | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sortedOld = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActive([...sortedOld, newRS]);
  if (active.length === 0) return newRS ?? sortedOld[0];
  return active.length === 1 ? active[0] : undefined;
}

/** `SetFromReplicaSetTemplate`: the Deployment takes the template without its hash label. */
export function setFromReplicaSetTemplate(
  d: Deployment,
  template: Readonly<Template> | undefined,
): void {
  const copy = structuredClone(template ?? {}) as Template;
  if (copy.metadata?.labels) delete copy.metadata.labels[podTemplateHashLabel];
  (d.spec ??= {} as NonNullable<Deployment['spec']>).template = copy as NonNullable<
    Deployment['spec']
  >['template'];
}

function sum(
  rss: readonly (Readonly<ReplicaSet> | undefined)[],
  f: (rs: Readonly<ReplicaSet>) => number,
): number {
  let total = 0;
  for (const rs of rss) if (rs) total += f(rs);
  return total;
}

/** `GetReplicaCountForReplicaSets`: Σ spec.replicas. */
export const replicaCount = (rss: readonly (Readonly<ReplicaSet> | undefined)[]) =>
  sum(rss, specReplicas);
/** `GetActualReplicaCountForReplicaSets`: Σ status.replicas. */
export const actualReplicaCount = (rss: readonly (Readonly<ReplicaSet> | undefined)[]) =>
  sum(rss, (rs) => rs.status?.replicas ?? 0);
/** `GetReadyReplicaCountForReplicaSets`. */
export const readyReplicaCount = (rss: readonly (Readonly<ReplicaSet> | undefined)[]) =>
  sum(rss, (rs) => rs.status?.readyReplicas ?? 0);
/** `GetAvailableReplicaCountForReplicaSets`. */
export const availableReplicaCount = (rss: readonly (Readonly<ReplicaSet> | undefined)[]) =>
  sum(rss, (rs) => rs.status?.availableReplicas ?? 0);

/**
 * `GetTerminatingReplicaCountForReplicaSets`: Σ status.terminatingReplicas, skipping ReplicaSets
 * never synced; undefined when a synced one does not report it.
 */
export function terminatingReplicaCount(
  rss: readonly (Readonly<ReplicaSet> | undefined)[],
): number | undefined {
  let total = 0;
  for (const rs of rss) {
    if (!rs) continue;
    const t = (rs.status as { terminatingReplicas?: number } | undefined)?.terminatingReplicas;
    if ((rs.status?.observedGeneration ?? 0) === 0 && t === undefined) continue;
    if (t === undefined) return undefined;
    total += t;
  }
  return total;
}
