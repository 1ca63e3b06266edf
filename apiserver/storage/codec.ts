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

const metadataOrder = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/**
 * Parses a stored value and stamps `metadata.resourceVersion` with `revision`. Fields come out in
 * the order kube-apiserver writes them (apiVersion, kind, metadata, then the rest; metadata's
 * own fields in ObjectMeta order), whatever order the client sent.
 */
export function decodeObject(value: Uint8Array, revision: number): KubeObject {
  return stamped(JSON.parse(decoder.decode(value)) as KubeObject, revision);
}

/**
 * What {@link decodeObject} would return for `obj` written at `revision`, without the JSON round
 * trip: a copy in the canonical field order with the resourceVersion set. Shares nested values
 * with `obj`.
 */
export function stamped(obj: KubeObject, revision: number): KubeObject {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const meta: Record<string, unknown> = {};
  const source: Record<string, unknown> = { ...metadata, resourceVersion: String(revision) };
  for (const k of metadataOrder) if (source[k] !== undefined) meta[k] = source[k];
  for (const [k, v] of Object.entries(source)) if (!(k in meta) && v !== undefined) meta[k] = v;
  return { apiVersion, kind, metadata: meta, ...rest };
}

/** {@link decodeObject} of a key's current value. */
export function decodeKeyValue(kv: KeyValue): KubeObject {
  return decodeObject(kv.value, kv.modRevision);
}
