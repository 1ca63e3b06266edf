/**
 * The Kubernetes protobuf wire format (`application/vnd.kubernetes.protobuf`) for the built-in
 * types: request bodies decode into the same JSON objects the server takes from JSON clients,
 * and objects encode for clients that prefer protobuf.
 *
 * ```ts
 * if (isProtobuf(req.headers['content-type'])) obj = decodeObject(body, { apiVersion: 'v1', kind: 'ConfigMap' });
 * res.end(encodeObject(obj)); // obj.apiVersion/kind name the message
 * ```
 *
 * Guarantees: decoding never throws anything but a 400 `StatusError` for bad input, worded as
 * upstream's `transformDecodeError`; the envelope's `apiVersion`/`kind` win over the expected
 * ones, which only fill what the envelope leaves empty. Encoding throws a plain `Error` for a kind
 * without a message ({@link hasProtobuf} says which have one) or a value of the wrong JSON type.
 * Custom resources have no protobuf form (upstream answers 415/406 for them).
 */
import { newBadRequest } from '../../common/index.js';
import { summaryMaxBytes } from './defaults.js';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { readEnvelope, writeEnvelope } from './envelope.js';
import { messageForKind } from './table.js';
import { WireError } from './wire.js';

export { protobufMediaType } from './defaults.js';
export { hasMagic } from './envelope.js';
export { lookupMessage, messageForKind, messageKeys, packageOf } from './table.js';
export type { FieldDescriptor, MessageDescriptor } from './table.js';

type Obj = Record<string, unknown>;

/** A group/version/kind as `apiVersion` and `kind` spell it. */
export interface TypeMeta {
  apiVersion: string;
  kind: string;
}

/** True when a `Content-Type` header names the protobuf media type. */
export function isProtobuf(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/vnd.kubernetes.protobuf';
}

/** True when objects of this kind have a protobuf message (every built-in kind). */
export function hasProtobuf(type: TypeMeta): boolean {
  return messageForKind(type.apiVersion, type.kind) !== undefined;
}

/**
 * Decodes an enveloped protobuf object into its JSON object, `apiVersion` and `kind` first.
 * `expected` is the endpoint's type: it names the object in errors and fills an envelope
 * without type information.
 */
export function decodeObject(bytes: Uint8Array, expected: TypeMeta): Obj {
  let envelope;
  try {
    envelope = readEnvelope(bytes);
  } catch (err) {
    throw badRequest(err, expected, undefined, bytes);
  }
  const kind = envelope.kind || expected.kind;
  const apiVersion = versionOf(envelope.apiVersion) ? envelope.apiVersion : expected.apiVersion;
  const gvk = { apiVersion, kind };
  const message = messageForKind(apiVersion, kind);
  if (!message) {
    const err = new WireError(`no kind "${kind}" is registered for version "${apiVersion}"`);
    throw badRequest(err, expected, gvk, bytes);
  }
  try {
    const body = decodeMessage(message.key, envelope.raw, (raw) => decodeObject(raw, expected));
    return { apiVersion, kind, ...body };
  } catch (err) {
    throw badRequest(err, expected, gvk, bytes);
  }
}

/** Encodes an object (its `apiVersion` and `kind` name the message) with the envelope. */
export function encodeObject(obj: Obj): Uint8Array {
  const { apiVersion, kind } = obj as Partial<TypeMeta>;
  const message = messageForKind(String(apiVersion ?? ''), String(kind ?? ''));
  if (!message) throw new Error(`protobuf: no message for ${apiVersion}, Kind=${kind}`);
  return writeEnvelope(apiVersion!, kind!, encodeMessage(message.key, obj));
}

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

function badRequest(err: unknown, expected: TypeMeta, gvk: TypeMeta | undefined, body: Uint8Array) {
  if (!(err instanceof WireError)) return err;
  if (gvk?.kind) {
    return newBadRequest(
      `${gvk.kind} in version "${versionOf(gvk.apiVersion)}" cannot be handled as a ${expected.kind}: ${err.message}`,
    );
  }
  return newBadRequest(
    `the object provided is unrecognized (must be of type ${expected.kind}): ${err.message} (${summarize(body)})`,
  );
}

/** upstream's `summarizeData`: the first bytes, as text for JSON and as hex otherwise. */
function summarize(body: Uint8Array): string {
  if (body.length === 0) return '<empty>';
  const head = Buffer.from(body.subarray(0, summaryMaxBytes));
  const more = body.length > summaryMaxBytes ? ' ...' : '';
  return (body[0] === 0x7b ? head.toString('utf8') : head.toString('hex')) + more;
}
