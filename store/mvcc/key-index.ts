/**
 * The history of one key (etcd `keyIndex`): every stored version in revision order, deletes as
 * tombstones (`version` 0). A delete ends an incarnation; a later put starts a new one with
 * `version` 1 and a new `createRevision`.
 */
import type { KeyValueRecord } from './types.js';

export class KeyHistory {
  /** Versions in increasing `modRevision`. */
  readonly versions: KeyValueRecord[] = [];

  constructor(readonly key: string) {}

  /** The live version now, or undefined when the key is deleted. */
  latest(): KeyValueRecord | undefined {
    const last = this.versions[this.versions.length - 1];
    return last && last.version > 0 ? last : undefined;
  }

  /** The live version as of `revision`, or undefined when the key did not exist then. */
  at(revision: number): KeyValueRecord | undefined {
    const v = this.versions;
    let hi = v.length - 1;
    if (hi < 0) return undefined;
    if (v[hi]!.modRevision <= revision) return v[hi]!.version > 0 ? v[hi] : undefined;
    let lo = 0;
    // Last index with modRevision <= revision.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (v[mid]!.modRevision <= revision) lo = mid;
      else hi = mid - 1;
    }
    const found = v[lo]!;
    return found.modRevision <= revision && found.version > 0 ? found : undefined;
  }

  push(record: KeyValueRecord): void {
    this.versions.push(record);
  }

  get empty(): boolean {
    return this.versions.length === 0;
  }

  /**
   * etcd `keyIndex.compact`: drops every version at or below `revision` except the newest of them,
   * which is dropped too when it is a tombstone. Returns the dropped versions.
   */
  compact(revision: number): KeyValueRecord[] {
    const v = this.versions;
    let keep = -1;
    for (let i = 0; i < v.length && v[i]!.modRevision <= revision; i++) keep = i;
    if (keep < 0) return [];
    const dropUntil = v[keep]!.version === 0 ? keep + 1 : keep;
    return v.splice(0, dropUntil);
  }
}
