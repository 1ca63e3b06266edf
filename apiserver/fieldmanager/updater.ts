/**
 * structured-merge-diff's `merge.Updater`: ownership bookkeeping for updates and applies.
 *
 * - An update (create/update/patch) gives its manager every field it added or changed and takes
 *   those fields away from everyone else, without conflicts.
 * - An apply merges the configuration into the live object, takes ownership of exactly the fields
 *   the configuration sets, reports a conflict for each such field another manager owns with a
 *   different value (unless forced, which takes it), and removes fields the manager applied last
 *   time but not this time when no one else owns them.
 * - `ignored` fields (reset by the strategy, e.g. `status` on the main resource) are never owned.
 *
 * Managers recorded at another API version are left untouched: kuberx does not convert between
 * versions, so their fields can neither conflict nor be taken (upstream converts and compares).
 */
import type { TypeRef } from './atoms.js';
import type { Comparison } from './compare.js';
import { compare, deepEqual, excludeFields } from './compare.js';
import type { Path } from './fieldpath.js';
import { removeItems, merge } from './merge.js';
import { FieldSet } from './set.js';
import type { TypedContext } from './typed.js';
import { ensureNamedFieldsAreMembers, toFieldSet, validateTyped } from './typed.js';

/** The fields one manager owns, at the API version it used. */
export interface VersionedSet {
  set: FieldSet;
  apiVersion: string;
  /** True for an Apply entry, false for Update. */
  applied: boolean;
}

/** Managers by identifier (see `managedfields.ts`). */
export type ManagedFields = Map<string, VersionedSet>;

export interface Conflict {
  manager: string;
  path: Path;
}

/** An apply conflicts with fields other managers own (upstream `merge.Conflicts`). */
export class ConflictsError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} conflict(s)`);
    this.name = 'ConflictsError';
  }
}

export class Updater {
  constructor(
    private readonly ctx: TypedContext,
    private readonly root: TypeRef,
    private readonly ignored: FieldSet = new FieldSet(),
  ) {}

  /** Ownership after an update from `live` to `next` by `manager` (never conflicts). */
  update(
    live: unknown,
    next: unknown,
    version: string,
    managers: ManagedFields,
    manager: string,
  ): ManagedFields {
    const { managers: out, comparison } = this.reconcile(
      live,
      next,
      version,
      new Map(managers),
      manager,
      true,
    );
    const previous = out.get(manager)?.set ?? new FieldSet();
    const set = previous
      .union(comparison.modified)
      .union(comparison.added)
      .difference(comparison.removed)
      .recursiveDifference(this.ignored);
    if (set.empty()) out.delete(manager);
    else out.set(manager, { set, apiVersion: version, applied: false });
    return out;
  }

  /**
   * Merges `config` into `live` for `manager`. Returns the new object, or undefined when the apply
   * changes nothing; throws {@link ConflictsError} unless `force`, and `TypedValueError` when the
   * configuration does not fit the schema.
   */
  apply(
    live: unknown,
    config: unknown,
    version: string,
    managers: ManagedFields,
    manager: string,
    force: boolean,
  ): { object: unknown; managers: ManagedFields } {
    const configSet = validateTyped(this.ctx, this.root, config).recursiveDifference(this.ignored);
    let next = merge(this.ctx, this.root, live, config);
    const lastSet = managers.get(manager);
    const withApplier = new Map(managers);
    withApplier.set(manager, { set: configSet, apiVersion: version, applied: true });
    next = this.prune(next, withApplier, version, lastSet);
    const { managers: out } = this.reconcile(live, next, version, withApplier, manager, force);
    return { object: deepEqual(live, next) ? undefined : next, managers: out };
  }

  /**
   * upstream `update`: the comparison of `oldObj` and `newObj`, and the other managers' sets with
   * conflicting and removed fields taken away. Throws {@link ConflictsError} on conflicts unless
   * `force`.
   */
  private reconcile(
    oldObj: unknown,
    newObj: unknown,
    version: string,
    managers: ManagedFields,
    workflow: string,
    force: boolean,
  ): { managers: ManagedFields; comparison: Comparison } {
    const comparison = excludeFields(compare(this.ctx, this.root, oldObj, newObj), this.ignored);
    const changed = comparison.modified.union(comparison.added);
    const conflicts = new Map<string, FieldSet>();
    for (const [manager, vs] of managers) {
      if (manager === workflow || vs.apiVersion !== version) continue;
      const conflict = vs.set.intersection(changed);
      if (!conflict.empty()) conflicts.set(manager, conflict);
    }
    if (!force && conflicts.size > 0) {
      const list: Conflict[] = [];
      for (const manager of [...conflicts.keys()].sort()) {
        for (const path of conflicts.get(manager)!.paths()) list.push({ manager, path });
      }
      throw new ConflictsError(list);
    }
    for (const [manager, vs] of managers) {
      if (manager === workflow || vs.apiVersion !== version) continue;
      const taken = conflicts.get(manager);
      let set = taken ? vs.set.difference(taken) : vs.set;
      if (!comparison.removed.empty()) set = set.difference(comparison.removed);
      if (set.empty()) managers.delete(manager);
      else if (set !== vs.set) managers.set(manager, { ...vs, set });
    }
    return { managers, comparison };
  }

  /**
   * Removes what `lastSet` applied and the new configuration no longer does, unless another
   * manager (or the new configuration) owns it or it was never owned by the applier.
   */
  private prune(
    merged: unknown,
    managers: ManagedFields,
    version: string,
    lastSet?: VersionedSet,
  ): unknown {
    if (!lastSet || lastSet.set.empty() || lastSet.apiVersion !== version) return merged;
    const ensure = (s: FieldSet) => ensureNamedFieldsAreMembers(this.ctx, s, this.root);
    const fields = (v: unknown) => ensure(toFieldSet(this.ctx, this.root, v).set);
    let pruned = removeItems(this.ctx, this.root, merged, ensure(lastSet.set)) ?? {};
    // Add back what any manager at this version owns.
    let owned = new FieldSet();
    for (const vs of managers.values()) if (vs.apiVersion === version) owned = owned.union(vs.set);
    const mergedSet = fields(merged);
    pruned =
      removeItems(
        this.ctx,
        this.root,
        merged,
        mergedSet.difference(fields(pruned).union(ensure(owned))),
      ) ?? {};
    // Add back what the applier never owned (only its own last fields may go).
    const removed = mergedSet.difference(fields(pruned)).intersection(ensure(lastSet.set));
    return removeItems(this.ctx, this.root, merged, removed) ?? {};
  }
}
