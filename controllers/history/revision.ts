/**
 * ControllerRevisions as values (`pkg/controller/history/controller_history.go`): naming, hashing,
 * ordering and equality. Pure functions; nothing here talks to the server.
 *
 * - The hash is FNV-1 (32-bit, as upstream's `fnv.New32`) over the canonical JSON of `data` (keys
 *   sorted), then the decimal collision count when one is given, encoded with
 *   `rand.SafeEncodeString`. Upstream hashes Go's JSON bytes, so values differ from upstream's
 *   but are deterministic and change whenever the data changes.
 * - Revisions order by `revision`, then creation time, then name (`SortControllerRevisions`).
 * - Two revisions are equal when their data is equal, unless both carry a hash label and the
 *   labels differ (`EqualRevision`).
 */
import type { ControllerRevision, Kind, KubernetesObject } from '../../framework/index.js';
import {
  canonicalJson,
  compareByCreation,
  newControllerRef,
  safeEncodeString,
} from '../util/index.js';
import { controllerRevisionHashLabel, maxRevisionNamePrefixLength } from './defaults.js';

export type Revision = Readonly<ControllerRevision>;

/** FNV-1 (multiply, then xor) of `bytes`. */
function fnv32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= b;
  }
  return h >>> 0;
}

/** `ControllerRevisionName`: `<prefix>-<hash>`, the prefix cut to 223 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.slice(0, maxRevisionNamePrefixLength)}-${hash}`;
}

/** `HashControllerRevision`: the hash of the revision's data and the optional probe. */
export function hashControllerRevision(
  revision: Pick<ControllerRevision, 'data'>,
  probe?: number | null,
): string {
  const encoder = new TextEncoder();
  let h = fnv32(encoder.encode(canonicalJson(revision.data ?? null)));
  if (probe !== undefined && probe !== null) h = fnv32(encoder.encode(String(probe)), h);
  return safeEncodeString(String(h));
}

export interface NewRevisionOptions {
  parent: Readonly<KubernetesObject>;
  parentKind: Kind;
  /** Labels copied onto the revision (the pod template's). */
  templateLabels?: Readonly<Record<string, string>>;
  data: unknown;
  revision: number;
  collisionCount?: number | null;
  annotations?: Readonly<Record<string, string>>;
}

/**
 * `NewControllerRevision`: a revision controlled by `parent`, labelled with the template's labels
 * and its hash, named `<parent>-<hash>`.
 */
export function newControllerRevision(o: NewRevisionOptions): ControllerRevision {
  const cr: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      namespace: o.parent.metadata?.namespace,
      labels: { ...(o.templateLabels ?? {}) },
      annotations: o.annotations ? { ...o.annotations } : undefined,
      ownerReferences: [newControllerRef(o.parent, o.parentKind)],
    },
    data: structuredClone(o.data) as object,
    revision: o.revision,
  };
  const hash = hashControllerRevision(cr, o.collisionCount);
  cr.metadata!.name = controllerRevisionName(o.parent.metadata?.name ?? '', hash);
  cr.metadata!.labels![controllerRevisionHashLabel] = hash;
  return cr;
}

/** `SortControllerRevisions`: a sorted copy (revision, then creation time, then name). */
export function sortControllerRevisions<R extends Revision>(revisions: readonly R[]): R[] {
  return [...revisions].sort((a, b) => {
    const byRevision = (a.revision ?? 0) - (b.revision ?? 0);
    return byRevision !== 0 ? byRevision : compareByCreation(a, b);
  });
}

/** `EqualRevision`. */
export function equalRevision(a: Revision | undefined, b: Revision | undefined): boolean {
  if (!a || !b) return a === b;
  const ha = a.metadata?.labels?.[controllerRevisionHashLabel];
  const hb = b.metadata?.labels?.[controllerRevisionHashLabel];
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return canonicalJson(a.data ?? null) === canonicalJson(b.data ?? null);
}

/** `FindEqualRevisions`: the revisions equal to `needle`, in the input order. */
export function findEqualRevisions<R extends Revision>(
  revisions: readonly R[],
  needle: Revision,
): R[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** The largest `revision` (0 for none; `maxRevision`). */
export function maxRevision(revisions: readonly Revision[]): number {
  let max = 0;
  for (const r of revisions) max = Math.max(max, r.revision ?? 0);
  return max;
}

/** `nextRevision`: 1 more than the last of `sorted` (1 when empty). */
export function nextRevision(sorted: readonly Revision[]): number {
  return sorted.length === 0 ? 1 : (sorted[sorted.length - 1]!.revision ?? 0) + 1;
}
