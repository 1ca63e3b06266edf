/**
 * `metadata.managedFields` on the wire (`metav1.ManagedFieldsEntry`) and in memory (sets by
 * manager identifier), as upstream's `managedfields/internal` converts them:
 *
 * - A manager identifier is the JSON of the entry without fieldsType, fieldsV1 and time (and
 *   without apiVersion for Apply entries), e.g.
 *   `{"manager":"kubectl","operation":"Update","apiVersion":"apps/v1"}`.
 * - Entries are encoded sorted by operation (Apply before Update), then time (seconds), manager,
 *   apiVersion and subresource.
 * - Decoding rejects entries without a valid operation, apiVersion or fieldsType, with
 *   upstream's messages.
 * - Conflicts render as upstream's 409: `Apply failed with 1 conflict: conflict with
 *   "kubectl-client-side-apply" using apps/v1: .spec.replicas`, one cause per field.
 */
import type { StatusError } from '../../common/index.js';
import { CauseType, newApplyConflict } from '../../common/index.js';
import { pathToString } from './fieldpath.js';
import { FieldSet } from './set.js';
import type { Conflict, ManagedFields } from './updater.js';

/** `metav1.ManagedFieldsEntry` as JSON. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

/** Decoded managed fields: sets and the time of each manager's last change. */
export interface Managed {
  fields: ManagedFields;
  times: Map<string, string | undefined>;
}

export function emptyManaged(): Managed {
  return { fields: new Map(), times: new Map() };
}

/** upstream `BuildManagerIdentifier`. */
export function buildManagerIdentifier(entry: ManagedFieldsEntry): string {
  const id: ManagedFieldsEntry = {};
  if (entry.manager) id.manager = entry.manager;
  if (entry.operation) id.operation = entry.operation;
  if (entry.apiVersion && entry.operation !== 'Apply') id.apiVersion = entry.apiVersion;
  if (entry.subresource) id.subresource = entry.subresource;
  return JSON.stringify(id);
}

/** upstream `DecodeManagedFields`; throws with upstream's message on a malformed entry. */
export function decodeManagedFields(entries: unknown): Managed {
  const managed = emptyManaged();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((raw, i) => {
    const entry = (raw ?? {}) as ManagedFieldsEntry;
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') {
      throw new Error('operation must be `Apply` or `Update`');
    }
    if (!entry.apiVersion) throw new Error('apiVersion must not be empty');
    if (!entry.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (entry.fieldsType !== 'FieldsV1') {
      throw new Error(
        `invalid fieldsType ${JSON.stringify(entry.fieldsType)} in managed fields entry ${i}`,
      );
    }
    const id = buildManagerIdentifier(entry);
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(entry.fieldsV1 ?? {});
    } catch (err) {
      throw new Error(
        `error decoding versioned set from ${JSON.stringify(entry)}: ${(err as Error).message}`,
      );
    }
    managed.fields.set(id, {
      set,
      apiVersion: entry.apiVersion,
      applied: entry.operation === 'Apply',
    });
    managed.times.set(id, entry.time);
  });
  return managed;
}

/** upstream `encodeManagedFields`: undefined when no manager owns anything. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  if (managed.fields.size === 0) return undefined;
  const entries: ManagedFieldsEntry[] = [];
  for (const [id, vs] of managed.fields) {
    const base = JSON.parse(id) as ManagedFieldsEntry;
    const entry: ManagedFieldsEntry = {};
    if (base.manager) entry.manager = base.manager;
    entry.operation = vs.applied ? 'Apply' : (base.operation ?? 'Update');
    entry.apiVersion = vs.apiVersion;
    const time = managed.times.get(id);
    if (time) entry.time = time;
    entry.fieldsType = 'FieldsV1';
    entry.fieldsV1 = vs.set.toFieldsV1();
    if (base.subresource) entry.subresource = base.subresource;
    entries.push(entry);
  }
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const cmp = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource, q.subresource),
  );
}

/**
 * True when a request asks to clear managed fields: a non-null empty list, or a list of one
 * empty entry (upstream `isResetManagedFields`).
 */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return (
    entries.length === 1 &&
    (entries[0] === null ||
      (typeof entries[0] === 'object' && Object.keys(entries[0] as object).length === 0))
  );
}

/** upstream `printManager`: `"kubectl" using apps/v1`, `"x" with subresource "status" using v1`. */
export function printManager(id: string): string {
  let entry: ManagedFieldsEntry;
  try {
    entry = JSON.parse(id) as ManagedFieldsEntry;
  } catch {
    return JSON.stringify(id);
  }
  let out = JSON.stringify(entry.manager ?? '');
  if (entry.subresource) out = `${out} with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === 'Update') {
    out = entry.time
      ? `${out} using ${entry.apiVersion} at ${entry.time}`
      : `${out} using ${entry.apiVersion ?? ''}`;
  }
  return out;
}

/** upstream `NewConflictError`: 409 Conflict, one `FieldManagerConflict` cause per field. */
export function newConflictError(conflicts: Conflict[]): StatusError {
  const causes = conflicts.map((c) => ({
    reason: CauseType.FieldManagerConflict,
    message: `conflict with ${printManager(c.manager)}`,
    field: pathToString(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0];
    message = `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathToString(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), pathToString(c.path)]);
    }
    const lines: string[] = [];
    for (const manager of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${printManager(manager)}:`);
      for (const path of byManager.get(manager)!) lines.push(`- ${path}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return newApplyConflict(causes, message);
}
