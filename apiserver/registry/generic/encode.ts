/**
 * Serialising an object for a write, once: the bytes for storage, and — when the served version
 * is the storage version — the watch-cache entry of the write, announced to the cache before the
 * write so that the storage event does not have to be decoded again (`watchcache/pending.ts`).
 */
import { encodeWrite } from '../../storage/codec.js';
import type { Cacher } from '../../watchcache/cacher.js';
import type { PendingWrite } from '../../watchcache/pending.js';
import type { KubeObject, ResourceType } from '../types.js';
import type { TypeView } from './view.js';

export interface EncodedForWrite {
  bytes: Uint8Array;
  /** The object as stored at `revision`, in the storage version (see `EncodedWrite.stamped`). */
  stamped(revision: number): KubeObject;
  /** Tells the watch cache the write is about to happen (no-op when it cannot be prebuilt). */
  announce(): void;
  /** Withdraws the announcement; call it when the write did not happen. */
  withdraw(): void;
}

const nothing = () => undefined;

/** Encodes `obj` (served version, not modified) for a write to `key`. */
export function encodeForWrite(
  target: { type: ResourceType; view: TypeView; cacher: Cacher },
  key: string,
  obj: KubeObject,
): EncodedForWrite {
  const { type, view, cacher } = target;
  const stored = view.toStorage(obj);
  const { bytes, template, stamped } = encodeWrite(stored);
  const plain = { bytes, stamped, announce: nothing, withdraw: nothing };
  if (!template || !view.identity || type.conversion) return plain;
  const meta = stored.metadata ?? {};
  let fields: Record<string, string>;
  try {
    fields = view.fieldLabels(stored);
  } catch {
    return plain;
  }
  const namespace = meta.namespace ?? '';
  const name = meta.name ?? '';
  const labels = { ...meta.labels };
  const pending: PendingWrite = {
    value: bytes,
    entry: (kv) => ({
      key: kv.key,
      namespace,
      name,
      rv: kv.modRevision,
      // One flat string: a concatenation would keep both halves and the text they were cut from.
      json: [template.head, kv.modRevision, template.tail].join(''),
      labels,
      fields,
    }),
  };
  return {
    ...plain,
    announce: () => cacher.announce(key, pending),
    withdraw: () => cacher.withdraw(key, pending),
  };
}
