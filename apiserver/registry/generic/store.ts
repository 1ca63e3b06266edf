/**
 * The generic registry store (upstream `genericregistry.Store`): create, get, update and delete of
 * one resource type over the {@link Storage} interface, with everything that is the same for
 * every type — system metadata, generateName, optimistic concurrency, dry run, admission, and the
 * type's strategy hooks at upstream's points.
 *
 * Contract:
 * - Objects go in and come out in the served version; storage sees the storage version.
 * - Writes are compare-and-swap on the key's modRevision. An update whose body names a
 *   resourceVersion that is not the stored one is 409 Conflict; one without (when the type allows
 *   unconditional updates) and every patch retry on a concurrent write until they apply.
 * - A write that would not change the stored bytes is not written (the resourceVersion stays).
 * - Dry-run writes run every step but the storage write; they return the object as it would be.
 * - Errors are `StatusError`s with upstream's reasons; storage failures surface as 500 (or 410/504
 *   where upstream maps them).
 */
import {
  CauseType,
  type Clock,
  newAlreadyExists,
  newConflict,
  newInternalError,
  newInvalid,
  newNotFound,
  newTimeout,
  realClock,
  type FieldError,
} from '../../../common/index.js';
import type { KeyValue, Storage } from '../../../store/index.js';
import { runAdmit, runValidate, type AdmissionPlugin } from '../../admission/types.js';
import * as defaults from '../../defaults.js';
import { objectKey, resourcePrefix } from '../../server/typeregistry.js';
import { decodeKeyValue, encodeObject } from '../../storage/codec.js';
import type { Cacher } from '../../watchcache/cacher.js';
import type { KubeObject, RequestContext, ResourceType } from '../types.js';
import type { FieldManager, WriteContext } from './context.js';
import { encodeForWrite, type EncodedForWrite } from './encode.js';
import { deleteObject, type DeleteOutcome } from './deletion.js';
import type { DeleteOptions, StoreHooks } from './hooks.js';
import type { LeaseManager } from './leases.js';
import {
  checkAddressing,
  fillSystemFields,
  generateName,
  keepSystemFields,
  rfc3339,
  validateGenericMeta,
} from './meta.js';
import {
  finishesDeletion,
  prepareForCreate,
  prepareForStatusUpdate,
  prepareForUpdate,
} from './prepare.js';
import { TypeView } from './view.js';

export interface GenericStoreOptions {
  type: ResourceType;
  storage: Storage;
  cacher: Cacher;
  clock?: Clock;
  admission?: readonly AdmissionPlugin[];
  hooks?: StoreHooks;
  fieldManager?: FieldManager;
  leases?: LeaseManager;
}

/** What a guaranteed update's transform sees and returns. */
export type UpdateTransform = (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>;

export interface UpdateOptions {
  /** Create the object when it is missing (PUT on allowCreateOnUpdate types, apply patches). */
  allowCreate?: boolean;
  /** The transform's result carries the client's resourceVersion precondition (PUT). */
  clientPrecondition?: boolean;
  /**
   * Write the transform's result as is, without defaulting, strategy, validation or admission
   * (upstream subresources that call storage's GuaranteedUpdate directly, e.g. pods/binding).
   */
  raw?: boolean;
}

export class GenericStore {
  readonly type: ResourceType;
  readonly view: TypeView;
  readonly storage: Storage;
  readonly cacher: Cacher;
  readonly clock: Clock;
  readonly hooks: StoreHooks;
  protected readonly admission: readonly AdmissionPlugin[];
  protected readonly fieldManager?: FieldManager;
  protected readonly leases?: LeaseManager;

  constructor(opts: GenericStoreOptions) {
    this.type = opts.type;
    this.view = new TypeView(opts.type);
    this.storage = opts.storage;
    this.cacher = opts.cacher;
    this.clock = opts.clock ?? realClock;
    this.admission = opts.admission ?? [];
    this.hooks = opts.hooks ?? {};
    this.fieldManager = opts.fieldManager;
    this.leases = opts.leases;
  }

  get groupResource() {
    return { group: this.type.group, resource: this.type.resource };
  }

  get groupKind() {
    return { group: this.type.group, kind: this.type.kind };
  }

  key(namespace: string, name: string): string {
    return objectKey(this.type, namespace, name);
  }

  /** Key prefix of a list: the whole resource, or one namespace of it. */
  listPrefix(namespace: string): string {
    const base = resourcePrefix(this.type);
    return this.type.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  requestContext(namespace: string): RequestContext {
    return { namespace, now: rfc3339(this.clock.now()) };
  }

  /** Reads one object from storage (a consistent read); 404 when absent. */
  async get(namespace: string, name: string): Promise<KubeObject> {
    const current = await this.readCurrent(namespace, name);
    if (!current) throw newNotFound(this.groupResource, name);
    return current.obj;
  }

  /** The stored object and its modRevision, or undefined. */
  async readCurrent(
    namespace: string,
    name: string,
  ): Promise<{ obj: KubeObject; modRevision: number } | undefined> {
    const res = await this.storage.get(this.key(namespace, name));
    if (!res.kv) return undefined;
    return { obj: this.view.fromStorage(decodeKeyValue(res.kv)), modRevision: res.kv.modRevision };
  }

  // -------------------------------------------------------------------------------------------
  // Create
  // -------------------------------------------------------------------------------------------

  /** Creates `obj` (served version, already type-checked); returns the stored object. */
  async create(obj: KubeObject, ctx: WriteContext): Promise<KubeObject> {
    checkAddressing(obj, { namespaced: this.type.namespaced, namespace: ctx.namespace });
    const meta = obj.metadata!;
    if (meta.resourceVersion) {
      throw newInternalError('resourceVersion should not be set on objects to be created');
    }
    const generated = !meta.name && !!meta.generateName;
    for (let attempt = 0; ; attempt++) {
      const candidate = attempt === 0 ? obj : structuredClone(obj);
      if (generated) candidate.metadata!.name = generateName(meta.generateName!);
      try {
        return await this.createOnce(candidate, ctx);
      } catch (err) {
        const collided =
          err instanceof Error && (err as { reason?: string }).reason === 'AlreadyExists';
        if (!generated || !collided) throw err;
        if (attempt + 1 >= defaults.maxNameGenerationAttempts) {
          throw newTimeout(
            `The POST operation against ${this.type.resource} could not be completed at this time, please try again.`,
            1,
          );
        }
      }
    }
  }

  private async createOnce(obj: KubeObject, ctx: WriteContext): Promise<KubeObject> {
    const meta = obj.metadata!;
    const rctx = this.requestContext(ctx.namespace);
    fillSystemFields(meta, this.clock.now());
    this.type.defaults?.(obj);
    await runAdmit(this.admission, this.attrs('CREATE', obj, undefined, ctx));
    prepareForCreate(this.type, obj, rctx);
    await this.hooks.beforeCreate?.(obj, ctx.dryRun === true);
    let stored = false;
    try {
      this.validate(meta.name ?? '', this.type.validateCreate?.(obj, rctx) ?? [], obj);
      await runValidate(this.admission, this.attrs('CREATE', obj, undefined, ctx));
      if (!ctx.applied) {
        this.fieldManager?.update(
          this.type,
          undefined,
          obj,
          ctx.fieldManager ?? '',
          ctx.subresource ?? '',
        );
      }
      if (ctx.dryRun) return obj;
      const lease = await this.leases?.leaseFor(this.type.ttlSeconds);
      const key = this.key(ctx.namespace, meta.name!);
      const encoded = encodeForWrite(this, key, obj);
      encoded.announce();
      let res;
      try {
        res = await this.storage.create(key, encoded.bytes, lease ? { lease } : undefined);
      } finally {
        if (!res?.succeeded) encoded.withdraw();
      }
      if (!res.succeeded) throw newAlreadyExists(this.groupResource, meta.name!);
      stored = true;
      const out = this.written(res.kv, encoded);
      this.hooks.afterCreate?.(out);
      return out;
    } finally {
      if (!stored) this.hooks.abortCreate?.(obj);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Update (upstream GuaranteedUpdate): read, transform, validate, compare-and-swap; retry.
  // -------------------------------------------------------------------------------------------

  /**
   * Updates `name` with `transform(current)`. Returns the stored result and whether it was
   * created. With `clientPrecondition`, a resourceVersion in the result that differs from the
   * stored one is 409; otherwise conflicts are retried.
   */
  async update(
    name: string,
    transform: UpdateTransform,
    ctx: WriteContext,
    opts: UpdateOptions = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.key(ctx.namespace, name);
    for (;;) {
      const current = await this.readCurrent(ctx.namespace, name);
      const next = await transform(current ? structuredClone(current.obj) : undefined);
      if (!current) {
        if (!opts.allowCreate) throw newNotFound(this.groupResource, name);
        checkAddressing(next, { namespaced: this.type.namespaced, namespace: ctx.namespace, name });
        delete next.metadata!.resourceVersion;
        try {
          return { object: await this.create(next, { ...ctx, subresource: '' }), created: true };
        } catch (err) {
          if ((err as { reason?: string }).reason === 'AlreadyExists') continue;
          throw err;
        }
      }
      checkAddressing(next, { namespaced: this.type.namespaced, namespace: ctx.namespace, name });
      const sentRv = next.metadata!.resourceVersion;
      const currentRv = String(current.modRevision);
      if (sentRv && sentRv !== currentRv) {
        throw newConflict(this.groupResource, name);
      }
      if (!sentRv && opts.clientPrecondition && this.type.allowUnconditionalUpdate === false) {
        throw newInvalid(this.groupKind, name, [
          {
            type: CauseType.FieldValueInvalid,
            field: 'metadata.resourceVersion',
            value: 0,
            detail: 'must be specified for an update',
          },
        ]);
      }
      const result = opts.raw
        ? await this.writeRaw(key, next, current.modRevision, ctx.dryRun === true)
        : await this.updateOnce(key, next, current, ctx);
      if (result) return { object: result, created: false };
      if (sentRv && opts.clientPrecondition) throw newConflict(this.groupResource, name);
    }
  }

  /** One attempt; undefined when the compare-and-swap lost a race. */
  private async updateOnce(
    key: string,
    obj: KubeObject,
    current: { obj: KubeObject; modRevision: number },
    ctx: WriteContext,
  ): Promise<KubeObject | undefined> {
    const old = current.obj;
    const meta = (obj.metadata ??= {});
    const rctx = this.requestContext(ctx.namespace);
    const errs = keepSystemFields(meta, old.metadata ?? {});
    this.type.defaults?.(obj);
    await runAdmit(this.admission, this.attrs('UPDATE', obj, old, ctx));
    const status = ctx.subresource === 'status';
    if (status) prepareForStatusUpdate(this.type, obj, old, rctx);
    else prepareForUpdate(this.type, obj, old, rctx);
    await this.hooks.beforeUpdate?.(obj, old, ctx.dryRun === true);
    let stored = false;
    try {
      const typeErrs = status
        ? (this.type.validateStatusUpdate?.(obj, old, rctx) ?? [])
        : (this.type.validateUpdate?.(obj, old, rctx) ?? []);
      this.validate(meta.name ?? '', [...errs, ...typeErrs], obj, old);
      await runValidate(this.admission, this.attrs('UPDATE', obj, old, ctx));
      if (!ctx.applied) {
        this.fieldManager?.update(
          this.type,
          old,
          obj,
          ctx.fieldManager ?? '',
          ctx.subresource ?? '',
        );
      }
      if (finishesDeletion(obj, this.type)) {
        if (ctx.dryRun) return obj;
        const res = await this.storage.delete(key, current.modRevision);
        if (!res.succeeded) return undefined;
        stored = true;
        this.hooks.afterDelete?.(old);
        meta.resourceVersion = String(res.revision);
        return obj;
      }
      const encoded = encodeForWrite(this, key, obj);
      if (Buffer.compare(encoded.bytes, encodeObject(this.view.toStorage(old))) === 0) {
        return old;
      }
      if (ctx.dryRun) return obj;
      const lease = await this.leases?.leaseFor(this.type.ttlSeconds);
      encoded.announce();
      let res;
      try {
        res = await this.storage.update(
          key,
          encoded.bytes,
          current.modRevision,
          lease ? { lease } : undefined,
        );
      } finally {
        if (!res?.succeeded) encoded.withdraw();
      }
      if (!res.succeeded) return undefined;
      stored = true;
      const out = this.written(res.kv, encoded);
      this.hooks.afterUpdate?.(out, old);
      return out;
    } finally {
      if (!stored) this.hooks.abortUpdate?.(obj, old);
    }
  }

  /**
   * The served object after a successful write (`kv`) of what `encoded` holds: stamped with the
   * revision, in canonical field order; decoded from storage only when a conversion is involved.
   */
  private written(kv: KeyValue, encoded: EncodedForWrite): KubeObject {
    if (this.view.identity && !this.type.conversion) return encoded.stamped(kv.modRevision);
    return this.view.fromStorage(decodeKeyValue(kv));
  }

  /** A compare-and-swap write of `obj` as given; undefined when it lost a race. */
  private async writeRaw(
    key: string,
    obj: KubeObject,
    modRevision: number,
    dryRun: boolean,
  ): Promise<KubeObject | undefined> {
    if (dryRun) return obj;
    const res = await this.storage.update(key, encodeObject(this.view.toStorage(obj)), modRevision);
    return res.succeeded ? this.view.fromStorage(decodeKeyValue(res.kv)) : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Shared helpers
  // -------------------------------------------------------------------------------------------

  /** 422 with the type's errors, or the generic metadata errors when the type found none. */
  validate(name: string, typeErrors: FieldError[], obj: KubeObject, old?: KubeObject): void {
    if (typeErrors.length > 0) throw newInvalid(this.groupKind, name, typeErrors);
    const generic = validateGenericMeta(obj.metadata ?? {}, old?.metadata);
    if (generic.length > 0) throw newInvalid(this.groupKind, name, generic);
  }

  attrs(
    operation: 'CREATE' | 'UPDATE' | 'DELETE',
    object: KubeObject | undefined,
    oldObject: KubeObject | undefined,
    ctx: WriteContext,
  ) {
    return {
      operation,
      resource: this.type,
      subresource: ctx.subresource ?? '',
      namespace: ctx.namespace,
      name: object?.metadata?.name ?? oldObject?.metadata?.name ?? '',
      object,
      oldObject,
      dryRun: ctx.dryRun === true,
      user: ctx.user,
    };
  }

  /** Deletes `name` (see `deletion.ts`); subclasses override for special REST behaviour. */
  delete(name: string, options: DeleteOptions, ctx: WriteContext): Promise<DeleteOutcome> {
    return deleteObject(this, name, options, ctx);
  }

  /** Runs admission for a DELETE (NamespaceLifecycle guards system namespaces). */
  async admitDelete(old: KubeObject, ctx: WriteContext): Promise<void> {
    await runValidate(this.admission, this.attrs('DELETE', undefined, old, ctx));
  }
}
