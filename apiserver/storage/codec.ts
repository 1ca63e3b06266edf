/**
 * How objects are stored: UTF-8 JSON in the storage version, without `metadata.resourceVersion`
 * (as upstream's `PrepareObjectForStorage` strips it). The resourceVersion of a read object is
 * the key's `modRevision`, set on decode — so it is always exactly the revision of the write
 * that produced the object.
 */
import type { KeyValue } from '../../store/index.js';
import type { KubeObject } from '../registry/types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Serialises an object for storage (resourceVersion removed; the argument is not modified). */
export function encodeObject(obj: KubeObject): Uint8Array {
  const { metadata, ...rest } = obj;
  if (!metadata) return encoder.encode(JSON.stringify(obj));
  const { resourceVersion: _rv, ...meta } = metadata;
  return encoder.encode(JSON.stringify({ ...rest, metadata: meta }));
}

/** Parses a stored value and stamps `metadata.resourceVersion` with `revision`. */
export function decodeObject(value: Uint8Array, revision: number): KubeObject {
  const obj = JSON.parse(decoder.decode(value)) as KubeObject;
  (obj.metadata ??= {}).resourceVersion = String(revision);
  return obj;
}

/** {@link decodeObject} of a key's current value. */
export function decodeKeyValue(kv: KeyValue): KubeObject {
  return decodeObject(kv.value, kv.modRevision);
}
