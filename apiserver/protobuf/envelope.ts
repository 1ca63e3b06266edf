/**
 * The envelope around every Kubernetes protobuf object: the 4-byte magic `k8s\0`, then a
 * `runtime.Unknown` message — `typeMeta` (1: `apiVersion` = 1, `kind` = 2), `raw` (2: the
 * object's own message), `contentEncoding` (3) and `contentType` (4), both empty in practice.
 * Watch streams frame each event with a 4-byte big-endian length instead, and the event itself
 * is not enveloped (upstream's raw serializer); its object is.
 */
import { protobufMagic } from './defaults.js';
import { Reader, Writer, WireError, guarded, skip, tag, wireBytes } from './wire.js';

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

/** True when `bytes` start with the protobuf magic. */
export function hasMagic(bytes: Uint8Array): boolean {
  return bytes.length >= protobufMagic.length && protobufMagic.every((b, i) => bytes[i] === b);
}

/** Reads an enveloped object; errors carry upstream's wording (`empty data`, …). */
export function readEnvelope(bytes: Uint8Array): Envelope {
  if (bytes.length === 0) throw new WireError('empty data');
  if (!hasMagic(bytes)) {
    throw new WireError(
      `provided data does not appear to be a protobuf message, expected prefix [${protobufMagic.join(' ')}]`,
    );
  }
  if (bytes.length === protobufMagic.length) throw new WireError('empty body');
  const env: Envelope = {
    apiVersion: '',
    kind: '',
    raw: new Uint8Array(),
    contentEncoding: '',
    contentType: '',
  };
  guarded(() => {
    const reader = Reader.create(bytes.subarray(protobufMagic.length));
    while (reader.pos < reader.len) {
      const key = reader.uint32();
      const number = key >>> 3;
      const wire = key & 7;
      if (number >= 1 && number <= 4 && wire !== wireBytes) {
        throw new WireError(`proto: wrong wireType = ${wire} for field ${unknownFields[number]}`);
      }
      if (number === 1) readTypeMeta(reader.bytes(), env);
      else if (number === 2) env.raw = reader.bytes();
      else if (number === 3) env.contentEncoding = reader.string();
      else if (number === 4) env.contentType = reader.string();
      else skip(reader, wire);
    }
  });
  return env;
}

const unknownFields = ['', 'TypeMeta', 'Raw', 'ContentEncoding', 'ContentType'];

function readTypeMeta(bytes: Uint8Array, env: Envelope): void {
  const reader = Reader.create(bytes);
  while (reader.pos < reader.len) {
    const key = reader.uint32();
    const number = key >>> 3;
    const wire = key & 7;
    if ((number === 1 || number === 2) && wire !== wireBytes) {
      throw new WireError(
        `proto: wrong wireType = ${wire} for field ${number === 1 ? 'APIVersion' : 'Kind'}`,
      );
    }
    if (number === 1) env.apiVersion = reader.string();
    else if (number === 2) env.kind = reader.string();
    else skip(reader, wire);
  }
}

/** The enveloped bytes of an object's message. */
export function writeEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const writer = Writer.create();
  writer.uint32(tag(1, wireBytes)).fork();
  writer.uint32(tag(1, wireBytes)).string(apiVersion);
  writer.uint32(tag(2, wireBytes)).string(kind);
  writer.ldelim();
  writer.uint32(tag(2, wireBytes)).bytes(raw);
  writer.uint32(tag(3, wireBytes)).string('');
  writer.uint32(tag(4, wireBytes)).string('');
  const body = writer.finish();
  const out = new Uint8Array(protobufMagic.length + body.length);
  out.set(protobufMagic, 0);
  out.set(body, protobufMagic.length);
  return out;
}
