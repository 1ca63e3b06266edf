/**
 * Create-or-update and create-or-patch (controller-runtime `controllerutil.CreateOrUpdate` /
 * `CreateOrPatch`): read the object, let `mutate` bring it to the desired state, then create it,
 * write it, or do nothing when `mutate` changed nothing. `mutate` must not change name or namespace.
 */
import { isNotFound } from '../../common/index.js';
import type { Client } from './client.js';
import { gvkOf, type KubernetesObject } from './types.js';

export type OperationResult =
  'created' | 'updated' | 'updatedStatus' | 'updatedStatusOnly' | 'unchanged';

/** The JSON merge patch (RFC 7386) that turns `from` into `to`; `undefined` when they are equal. */
export function mergePatch(from: unknown, to: unknown): unknown {
  if (!isPlainObject(from) || !isPlainObject(to)) return deepEqual(from, to) ? undefined : to;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    if (!(key in from)) patch[key] = value;
    else {
      const sub = mergePatch(from[key], value);
      if (sub !== undefined) patch[key] = sub;
    }
  }
  return Object.keys(patch).length ? patch : undefined;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function current<T extends KubernetesObject>(client: Client, obj: T): Promise<T | undefined> {
  try {
    const found = await client.get(gvkOf(obj), obj.metadata!.name!, {
      namespace: obj.metadata?.namespace,
    });
    return structuredClone(found) as T;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The object as stored (a writable copy, or undefined) and as `mutate` wants it. */
async function mutated<T extends KubernetesObject>(
  client: Client,
  obj: T,
  mutate: (obj: T) => void | Promise<void>,
): Promise<{ existing: T | undefined; desired: T }> {
  const existing = await current(client, obj);
  const base = existing ?? obj;
  const desired = structuredClone(base);
  await mutate(desired);
  if (
    base.metadata?.name !== desired.metadata?.name ||
    base.metadata?.namespace !== desired.metadata?.namespace
  ) {
    throw new Error('MutateFn cannot mutate object name and/or object namespace');
  }
  return { existing, desired };
}

/**
 * Reads `obj` (by its apiVersion, kind, namespace and name) from the client's cache, applies
 * `mutate`, and creates or updates it. Returns the result and the object as last written.
 */
export async function createOrUpdate<T extends KubernetesObject>(
  client: Client,
  obj: T,
  mutate: (obj: T) => void | Promise<void>,
): Promise<{ result: OperationResult; object: T }> {
  const { existing, desired } = await mutated(client, obj, mutate);
  if (!existing) return { result: 'created', object: await client.create(desired) };
  if (deepEqual(existing, desired)) return { result: 'unchanged', object: existing };
  return { result: 'updated', object: await client.update(desired) };
}

/**
 * Like {@link createOrUpdate} but writes merge patches: one for the object and one for its
 * `status` subresource when the status changed.
 */
export async function createOrPatch<T extends KubernetesObject & { status?: unknown }>(
  client: Client,
  obj: T,
  mutate: (obj: T) => void | Promise<void>,
): Promise<{ result: OperationResult; object: T }> {
  const { existing, desired } = await mutated(client, obj, mutate);
  if (!existing) {
    const status = desired.status;
    let created = await client.create(desired);
    if (status !== undefined && !deepEqual(created.status, status)) {
      created = await patchStatus(client, created, { status });
    }
    return { result: 'created', object: created };
  }
  const { status: beforeStatus, ...beforeRest } = existing;
  const { status: afterStatus, ...afterRest } = desired;
  const mainPatch = mergePatch(beforeRest, afterRest);
  const statusPatch = mergePatch(beforeStatus ?? {}, afterStatus ?? {});
  let object = existing;
  const gvk = gvkOf(existing);
  const opts = { namespace: existing.metadata?.namespace };
  if (mainPatch) object = (await client.patch(gvk, existing.metadata!.name!, mainPatch, opts)) as T;
  if (statusPatch) object = await patchStatus(client, object, { status: statusPatch });
  const result: OperationResult =
    mainPatch && statusPatch
      ? 'updatedStatus'
      : mainPatch
        ? 'updated'
        : statusPatch
          ? 'updatedStatusOnly'
          : 'unchanged';
  return { result, object };
}

async function patchStatus<T extends KubernetesObject>(
  client: Client,
  obj: T,
  patch: unknown,
): Promise<T> {
  return (await client.patch(gvkOf(obj), obj.metadata!.name!, patch, {
    namespace: obj.metadata?.namespace,
    subresource: 'status',
  })) as T;
}
