/**
 * The field manager of one kind (and subresource): records `metadata.managedFields` on every
 * write and performs server-side apply, as upstream's default field manager chain does
 * (version check → last-applied updater → last-applied manager → skip-non-applied → cap managers
 * → manager info → managed-fields updater → strip meta → structured merge).
 *
 * Contract:
 * - {@link FieldManager.update} never throws: on any failure the live object's managedFields are
 *   kept (upstream `UpdateNoErrors`). Creates (a live object without uid) start tracking; updates
 *   of objects that have no managed fields do not. A request that sends `managedFields: []` (or
 *   one empty entry) resets them; a request that omits them or sends undecodable ones keeps the
 *   live ones; subresources always keep the live ones.
 * - {@link FieldManager.apply} returns the merged object with its managedFields, or throws a
 *   `StatusError`: 409 with one cause per conflicting field, 400 for a wrong kind/version or
 *   managedFields in the configuration, 500 (reason Unknown) when the configuration does not fit
 *   the schema (`.spec.foo: field not declared in schema`), as upstream answers.
 * - An object first applied without managed fields gets a `before-first-apply` Update manager
 *   owning its existing fields; `kubectl` applies upgrade from client-side apply.
 * - Times are RFC 3339 seconds from the injected clock; at most 10 Update managers are kept, the
 *   oldest merged into `ancient-changes` buckets per API version.
 * - Inputs are not modified. Returned objects have their own top level and metadata but share
 *   nested values with the inputs; callers that mutate them deeply must copy first.
 */
import type { Clock } from '../../common/index.js';
import { newBadRequest, realClock, StatusError } from '../../common/index.js';
import type { GroupVersionKind, Schema, SchemaSet } from '../schema/index.js';
import { apiVersionOf } from '../schema/index.js';
import type { TypeRef } from './atoms.js';
import {
  ancientChangesManager,
  beforeFirstApplyManager,
  defaultMaxUpdateManagers,
  kubectlManager,
} from './defaults.js';
import {
  allowedConflictsFromLastApplied,
  buildLastApplied,
  hasLastApplied,
  setLastApplied,
} from './lastapplied.js';
import type { Managed } from './managedfields.js';
import {
  buildManagerIdentifier,
  decodeManagedFields,
  emptyManaged,
  encodeManagedFields,
  isResetManagedFields,
  newConflictError,
} from './managedfields.js';
import { FieldSet } from './set.js';
import type { TypedContext } from './typed.js';
import { TypedValueError } from './typed.js';
import { ConflictsError, Updater } from './updater.js';

type Obj = Record<string, unknown>;

export interface FieldManagerOptions {
  schemas: SchemaSet;
  /** The kind and version objects are written and applied in. */
  gvk: GroupVersionKind;
  /** `''` (default) for the main resource, else `status`, `scale`, … */
  subresource?: string;
  /**
   * Fields the strategy resets and nobody may own, as dotted paths: `['status']` for a main
   * resource with a status subresource, `['spec']` for `/status` (see {@link defaultResetFields}).
   */
  resetFields?: string[];
  clock?: Clock;
  /** Default 10. */
  maxUpdateManagers?: number;
}

/** Fields a generic strategy resets: `status` on a main resource that has `/status`, `spec` on `/status`. */
export function defaultResetFields(subresource: string, hasStatusSubresource: boolean): string[] {
  if (subresource === 'status') return ['spec', 'metadata.labels'];
  if (subresource === '' && hasStatusSubresource) return ['status'];
  return [];
}

const currentOperation = 'current-operation';
const strippedFields = [
  'apiVersion',
  'kind',
  'metadata',
  'metadata.name',
  'metadata.namespace',
  'metadata.creationTimestamp',
  'metadata.selfLink',
  'metadata.uid',
  'metadata.clusterName',
  'metadata.generation',
  'metadata.managedFields',
  'metadata.resourceVersion',
];

function fieldSetOf(paths: string[]): FieldSet {
  return FieldSet.of(...paths.map((p) => p.split('.').map((field) => ({ field }))));
}

export class FieldManager {
  private readonly ctx: TypedContext;
  private readonly root: TypeRef;
  private readonly updater: Updater;
  private readonly version: string;
  private readonly subresource: string;
  private readonly clock: Clock;
  private readonly stripSet = fieldSetOf(strippedFields);

  constructor(private readonly options: FieldManagerOptions) {
    this.ctx = { schemas: options.schemas, strict: false };
    const name = options.schemas.nameForKind(options.gvk);
    this.root = name ? ({ $ref: name } satisfies Schema) : 'deduced';
    this.updater = new Updater(this.ctx, this.root, fieldSetOf(options.resetFields ?? []));
    this.version = apiVersionOf(options.gvk);
    this.subresource = options.subresource ?? '';
    this.clock = options.clock ?? realClock;
  }

  /**
   * Records the write of `next` over `live` (undefined or an object without uid for a create) by
   * `manager`. Returns a copy of `next` with its managedFields set.
   */
  update(live: Obj | undefined, next: Obj, manager: string): Obj {
    const liveObj = live ?? {};
    const out = shallowWithMeta(next);
    try {
      const managed = this.decodeLiveOrNew(liveObj, next);
      setManagedFields(out, undefined);
      const result = this.skipNonAppliedUpdate(liveObj, out, managed, manager);
      setManagedFields(out, encodeManagedFields(result));
    } catch {
      setManagedFields(out, meta(liveObj).managedFields);
    }
    return out;
  }

  /**
   * Server-side apply of `applied` by `manager` onto `live` (undefined when the object does not
   * exist yet). Returns the new object with its managedFields.
   */
  apply(live: Obj | undefined, applied: unknown, manager: string, force: boolean): Obj {
    const liveObj = live ?? {};
    let managed: Managed;
    try {
      managed = decodeManagedFields(meta(liveObj).managedFields);
    } catch (err) {
      throw unknownError(`failed to decode managed fields: ${(err as Error).message}`);
    }
    const config = (applied ?? {}) as Obj;
    const gvk = { apiVersion: config.apiVersion, kind: config.kind };
    if (gvk.apiVersion !== this.version || gvk.kind !== this.options.gvk.kind) {
      throw newBadRequest(`invalid object type: ${gvkString(config)}`);
    }
    try {
      const [object, result] = this.lastAppliedApply(liveObj, config, managed, manager, force);
      setManagedFields(object, encodeManagedFields(result));
      return object;
    } catch (err) {
      if (err instanceof ConflictsError) throw newConflictError(err.conflicts);
      throw err;
    }
  }

  private decodeLiveOrNew(live: Obj, next: Obj): Managed {
    const fromLive = () => {
      try {
        return decodeManagedFields(meta(live).managedFields);
      } catch {
        return emptyManaged();
      }
    };
    if (this.subresource !== '') return fromLive();
    const requested = meta(next).managedFields;
    if (isResetManagedFields(requested)) return emptyManaged();
    try {
      const managed = decodeManagedFields(requested);
      return managed.fields.size === 0 ? fromLive() : managed;
    } catch {
      return fromLive();
    }
  }

  // ---- Update chain -------------------------------------------------------------------------

  private skipNonAppliedUpdate(live: Obj, next: Obj, managed: Managed, manager: string): Managed {
    if (managed.fields.size === 0 && meta(live).uid) return managed;
    return this.capUpdate(live, next, managed, manager);
  }

  private capUpdate(live: Obj, next: Obj, managed: Managed, manager: string): Managed {
    const id = buildManagerIdentifier({
      manager: manager || 'unknown',
      operation: 'Update',
      apiVersion: this.version,
      subresource: this.subresource,
    });
    const result = this.timedUpdate(live, next, managed, id);
    return this.capUpdateManagers(result);
  }

  private timedUpdate(live: Obj, next: Obj, managed: Managed, id: string): Managed {
    const fields = this.updater.update(
      content(live),
      content(next),
      this.version,
      managed.fields,
      currentOperation,
    );
    const times = new Map(managed.times);
    const current = fields.get(currentOperation);
    if (current) {
      const stripped = current.set.difference(this.stripSet);
      fields.delete(currentOperation);
      if (!stripped.empty()) {
        const previous = fields.get(id);
        fields.set(id, { ...current, set: previous ? stripped.union(previous.set) : stripped });
        times.set(id, this.now());
      }
    }
    return { fields, times };
  }

  private capUpdateManagers(managed: Managed): Managed {
    const max = this.options.maxUpdateManagers ?? defaultMaxUpdateManagers;
    const updaters = [...managed.fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
    if (updaters.length <= max) return managed;
    const seconds = (id: string) => {
      const t = managed.times.get(id);
      return t ? Math.floor(Date.parse(t) / 1000) : 0;
    };
    updaters.sort((a, b) => seconds(a) - seconds(b) || (a < b ? -1 : a > b ? 1 : 0));
    const firstByVersion = new Map<string, string>();
    let length = updaters.length;
    for (let i = 0; i < updaters.length && length > max; i++) {
      const id = updaters[i];
      const vs = managed.fields.get(id)!;
      const bucket = buildManagerIdentifier({
        manager: ancientChangesManager,
        operation: 'Update',
        apiVersion: vs.apiVersion,
      });
      const first = firstByVersion.get(vs.apiVersion);
      if (first === undefined) {
        firstByVersion.set(vs.apiVersion, id);
        continue;
      }
      if (!managed.fields.has(bucket)) {
        managed.fields.set(bucket, managed.fields.get(first)!);
        managed.fields.delete(first);
      }
      managed.fields.set(bucket, { ...vs, set: vs.set.union(managed.fields.get(bucket)!.set) });
      managed.fields.delete(id);
      managed.times.set(bucket, managed.times.get(id));
      length--;
    }
    return managed;
  }

  // ---- Apply chain --------------------------------------------------------------------------

  private lastAppliedApply(
    live: Obj,
    config: Obj,
    managed: Managed,
    manager: string,
    force: boolean,
  ): [Obj, Managed] {
    let result: [Obj, Managed];
    try {
      result = this.skipNonAppliedApply(live, config, managed, manager, force);
    } catch (err) {
      if (!(err instanceof ConflictsError) || manager !== kubectlManager) throw err;
      const allowed = allowedConflictsFromLastApplied(
        this.ctx,
        this.root,
        content(live),
        this.version,
      );
      if (!allowed) throw err;
      const remaining = err.conflicts.filter((c) => !allowed.has(c.path));
      if (remaining.length > 0) throw new ConflictsError(remaining);
      result = this.skipNonAppliedApply(live, config, managed, manager, true);
    }
    if (manager === kubectlManager && hasLastApplied(result[0]))
      setLastApplied(result[0], buildLastApplied(config));
    return result;
  }

  private skipNonAppliedApply(
    live: Obj,
    config: Obj,
    managed: Managed,
    manager: string,
    force: boolean,
  ): [Obj, Managed] {
    let current = managed;
    if (current.fields.size === 0) {
      current = this.capUpdate(
        { apiVersion: config.apiVersion, kind: config.kind },
        live,
        current,
        beforeFirstApplyManager,
      );
    }
    const id = buildManagerIdentifier({
      manager,
      operation: 'Apply',
      subresource: this.subresource,
    });
    if (meta(config).managedFields !== undefined && meta(config).managedFields !== null) {
      throw newBadRequest('metadata.managedFields must be nil');
    }
    let outcome: ReturnType<Updater['apply']>;
    try {
      outcome = this.updater.apply(content(live), config, this.version, current.fields, id, force);
    } catch (err) {
      if (err instanceof TypedValueError) {
        throw unknownError(
          `failed to create typed patch object (${objectGVKNN(config)}): ${err.message}`,
        );
      }
      throw err;
    }
    const fields = outcome.managers;
    const applier = fields.get(id);
    if (applier) {
      const stripped = applier.set.difference(this.stripSet);
      if (stripped.empty()) fields.delete(id);
      else fields.set(id, { ...applier, set: stripped });
    }
    const times = new Map(current.times);
    if (outcome.object === undefined) return [content(live), { fields, times }];
    times.set(id, this.now());
    return [outcome.object as Obj, { fields, times }];
  }

  private lastSecond = NaN;
  private lastTime = '';

  /** RFC 3339 seconds of the clock (formatted once per second: every write asks). */
  private now(): string {
    const second = Math.floor(this.clock.now() / 1000);
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.lastTime = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    }
    return this.lastTime;
  }
}

function meta(obj: Obj): Obj {
  const m = obj.metadata;
  return m !== null && typeof m === 'object' ? (m as Obj) : {};
}

/** A copy of `obj` whose top level and metadata are its own; nested values are shared. */
function shallowWithMeta(obj: Obj): Obj {
  const copy = { ...obj };
  if (copy.metadata !== null && typeof copy.metadata === 'object')
    copy.metadata = { ...(copy.metadata as Obj) };
  return copy;
}

/** The object without its managedFields (shares nested values; the walkers never mutate). */
function content(obj: Obj): Obj {
  const copy = shallowWithMeta(obj);
  setManagedFields(copy, undefined);
  return copy;
}

function setManagedFields(obj: Obj, entries: unknown): void {
  const m = obj.metadata;
  if (m === null || typeof m !== 'object') {
    if (entries !== undefined) obj.metadata = { managedFields: entries };
    return;
  }
  if (entries === undefined) delete (m as Obj).managedFields;
  else (m as Obj).managedFields = entries;
}

/** Go's `GroupVersionKind.String()`: `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
function gvkString(obj: Obj): string {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  return `${group}/${version}, Kind=${typeof obj.kind === 'string' ? obj.kind : ''}`;
}

/** upstream `objectGVKNN`: `default/web; apps/v1, Kind=Deployment`. */
function objectGVKNN(obj: Obj): string {
  const m = meta(obj);
  return `${(m.namespace as string) ?? ''}/${(m.name as string) ?? ''}; ${gvkString(obj)}`;
}

/** What the apiserver answers for an error that is not a Status: 500 with reason Unknown. */
function unknownError(message: string): StatusError {
  return new StatusError({ code: 500, reason: '', message });
}
