/**
 * A JSON object → protobuf message bytes, driven by the message tables (`table.ts`) and the
 * special messages (`special.ts`).
 *
 * Fields are written in field-number order, repeated scalars unpacked and map entries sorted by
 * key, as gogo-protobuf writes them, so equal objects give equal bytes. JSON fields the message
 * does not have (`apiVersion`/`kind`, which travel in the envelope) and `null` values are left
 * out. A value of the wrong JSON type throws an `Error` naming its path: objects reaching the
 * encoder were validated against the same schema, so that is a server fault.
 */
import { specialCodecs, type Nested } from './special.js';
import { lookupMessage, type FieldDescriptor, type ScalarType } from './table.js';
import { Writer, tag, wireBytes, wireFixed32, wireFixed64, wireVarint } from './wire.js';

type Obj = Record<string, unknown>;

/** Encodes `value` as message `key` (e.g. `core.v1.ConfigMap`). */
export function encodeMessage(key: string, value: unknown): Uint8Array {
  const writer = Writer.create();
  writeMessage(key, value, writer, key);
  return writer.finish();
}

const nested: Nested = {
  encode: (key, value, writer, path) => writeMessage(key, value, writer, path),
  decode: () => {
    throw new Error('protobuf: decoding is not available while encoding');
  },
  enveloped: () => {
    throw new Error('protobuf: decoding is not available while encoding');
  },
};

function writeMessage(key: string, value: unknown, writer: Writer, path: string): void {
  const desc = lookupMessage(key);
  if (!desc) throw new Error(`protobuf: no message ${key} in the tables`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${path}: expected an object, got ${JSON.stringify(value)}`);
  }
  const obj = value as Obj;
  for (const f of desc.fields) {
    const fieldPath = `${path}.${f.json}`;
    if (f.inline) {
      writer.uint32(tag(f.number, wireBytes)).fork();
      writeMessage(f.message!, obj, writer, path);
      writer.ldelim();
      continue;
    }
    const v = obj[f.json];
    if (v === undefined || v === null) continue;
    if (f.map) writeMap(f, v, writer, fieldPath);
    else if (f.repeated) {
      if (!Array.isArray(v)) throw new Error(`${fieldPath}: expected an array`);
      v.forEach((item, i) => writeValue(f, item, writer, `${fieldPath}[${i}]`));
    } else writeValue(f, v, writer, fieldPath);
  }
}

function writeMap(f: FieldDescriptor, v: unknown, writer: Writer, path: string): void {
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${path}: expected an object`);
  const map = v as Obj;
  for (const k of Object.keys(map).sort()) {
    writer.uint32(tag(f.number, wireBytes)).fork();
    writer.uint32(tag(1, wireBytes)).string(k);
    if (map[k] !== null && map[k] !== undefined) {
      writeValue({ ...f, number: 2 }, map[k], writer, `${path}[${k}]`);
    }
    writer.ldelim();
  }
}

function writeValue(f: FieldDescriptor, v: unknown, writer: Writer, path: string): void {
  if (f.message) {
    writer.uint32(tag(f.number, wireBytes)).fork();
    const special = specialCodecs.get(f.message);
    if (special) special.encode(v, writer, nested, path);
    else writeMessage(f.message, v, writer, path);
    writer.ldelim();
    return;
  }
  writeScalar(f.number, f.scalar!, v, writer, path);
}

function writeScalar(number: number, type: ScalarType, v: unknown, w: Writer, path: string): void {
  const bad = (want: string) => new Error(`${path}: expected ${want}, got ${JSON.stringify(v)}`);
  switch (type) {
    case 'string':
      if (typeof v !== 'string') throw bad('a string');
      w.uint32(tag(number, wireBytes)).string(v);
      return;
    case 'bytes':
      if (typeof v !== 'string') throw bad('base64 data');
      w.uint32(tag(number, wireBytes)).bytes(Buffer.from(v, 'base64'));
      return;
    case 'bool':
      if (typeof v !== 'boolean') throw bad('a boolean');
      w.uint32(tag(number, wireVarint)).bool(v);
      return;
    case 'double':
    case 'float':
      if (typeof v !== 'number') throw bad('a number');
      if (type === 'double') w.uint32(tag(number, wireFixed64)).double(v);
      else w.uint32(tag(number, wireFixed32)).float(v);
      return;
    default:
      if (typeof v !== 'number' || !Number.isInteger(v)) throw bad('an integer');
      w.uint32(tag(number, wireVarint));
      if (type === 'int32') w.int32(v);
      else if (type === 'uint32') w.uint32(v);
      else if (type === 'uint64') w.uint64(v);
      else w.int64(v);
  }
}
