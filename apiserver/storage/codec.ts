/**
 * How objects are stored: UTF-8 JSON in the storage version, without `metadata.resourceVersion`
 * (as upstream's `PrepareObjectForStorage` strips it), fields in the order kube-apiserver writes
 * them (see {@link decodeObject}). The resourceVersion of a read object is the key's
 * `modRevision`, set on decode — so it is always exactly the revision of the write that produced
 * the object.
 *
 * {@link encodeWrite} serialises an object once for a write: the stored bytes, and the JSON that
 * decoding them at the revision the write gets will produce, as a template open at the
 * resourceVersion — the watch cache and the response use it instead of parsing and serialising
 * again.
 */
import type { KeyValue } from '../../store/index.js';
import type { KubeObject } from '../registry/types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Serialises an object for storage (resourceVersion removed; the argument is not modified). */
export function encodeObject(obj: KubeObject): Uint8Array {
  return encodeWrite(obj).bytes;
}

/** An object serialised for a write. */
export interface EncodedWrite {
  /** What {@link encodeObject} returns. */
  readonly bytes: Uint8Array;
  /**
   * `head + String(revision) + tail` is `JSON.stringify(decodeObject(bytes, revision))`, for any
   * revision. Absent in the (contrived) case where the object itself holds the placeholder.
   */
  readonly template?: { readonly head: string; readonly tail: string };
  /**
   * What `decodeObject(bytes, revision)` returns, without parsing (it shares nested values with
   * the encoded object, like {@link stamped}). Call it at most once.
   */
  stamped(revision: number): KubeObject;
}

/** A resourceVersion no stored object has (JSON-escaped NULs), marking where the revision goes. */
const placeholder = '\u0000rv\u0000';
const placeholderField = `"resourceVersion":${JSON.stringify(placeholder)}`;

/** JSON of objects {@link EncodedWrite.stamped} returned, while their writer answers with them. */
const knownJson = new WeakMap<KubeObject, string>();

/**
 * The JSON of an object a write just returned (`JSON.stringify(obj)`, already built), for the
 * handler that answers with it at once; undefined for any other object. The object must not have
 * been changed since the write returned it.
 */
export function writtenJson(obj: KubeObject): string | undefined {
  return knownJson.get(obj);
}

/** Serialises `obj` (not modified) once for storage and for its cache entry and response. */
export function encodeWrite(obj: KubeObject): EncodedWrite {
  const canonical = stampedWith(obj, placeholder);
  const json = JSON.stringify(canonical);
  const at = json.indexOf(placeholderField);
  const templated = at >= 0 && json.indexOf(placeholderField, at + 1) < 0;
  const end = at + placeholderField.length;
  const template = templated
    ? { head: `${json.slice(0, at)}"resourceVersion":"`, tail: `"${json.slice(end)}` }
    : undefined;
  const stamped = (revision: number) => {
    canonical.metadata!.resourceVersion = String(revision);
    if (template) knownJson.set(canonical, template.head + revision + template.tail);
    return canonical;
  };
  if (!templated) {
    return { bytes: encoder.encode(JSON.stringify(stampedWith(obj, undefined))), stamped };
  }
  // Removing the field (and one comma next to it) is serialising the object without it.
  let stored: string;
  if (json[at - 1] === ',') stored = json.slice(0, at - 1) + json.slice(end);
  else if (json[end] === ',') stored = json.slice(0, at) + json.slice(end + 1);
  else stored = json.slice(0, at) + json.slice(end);
  return { bytes: encoder.encode(stored), template, stamped };
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
  return stampedWith(obj, String(revision));
}

/** {@link stamped} with `resourceVersion` as given (undefined: none). */
function stampedWith(obj: KubeObject, resourceVersion: string | undefined): KubeObject {
  // Plain loops: object rest/spread costs ten times as much here, on every write and read.
  const metadata = (obj.metadata ?? {}) as Record<string, unknown>;
  const meta: Record<string, unknown> = {};
  for (const k of metadataOrder) {
    const v = k === 'resourceVersion' ? resourceVersion : metadata[k];
    if (v !== undefined) meta[k] = v;
  }
  for (const k in metadata) {
    if (k === 'resourceVersion' || k in meta || !Object.hasOwn(metadata, k)) continue;
    const v = metadata[k];
    if (v !== undefined) meta[k] = v;
  }
  const out: Record<string, unknown> = {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: meta,
  };
  for (const k in obj) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata' || !Object.hasOwn(obj, k)) continue;
    const v = (obj as Record<string, unknown>)[k];
    if (k === '__proto__') {
      Object.defineProperty(out, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[k] = v;
    }
  }
  return out as KubeObject;
}

/** {@link decodeObject} of a key's current value. */
export function decodeKeyValue(kv: KeyValue): KubeObject {
  return decodeObject(kv.value, kv.modRevision);
}
