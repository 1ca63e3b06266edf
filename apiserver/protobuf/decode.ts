/**
 * Protobuf message bytes → the JSON object the API server works with, driven by the message
 * tables (`table.ts`) and the special messages (`special.ts`).
 *
 * The result is what Go's `encoding/json` writes for the decoded struct, except that nil or zero
 * values Go would write as `null` (a zero `metav1.Time`, an empty list without `omitempty`) are
 * left out — the same object to every Go and kuberx reader. Unknown field numbers are skipped, as
 * upstream's (non-strict) protobuf decoding does. Malformed bytes throw `WireError`.
 */
import { specialCodecs, type Nested } from './special.js';
import { lookupMessage, type FieldDescriptor, type ScalarType } from './table.js';
import {
  Reader,
  guarded,
  skip,
  toNumber,
  wireBytes,
  wireFixed32,
  wireFixed64,
  wireVarint,
  WireError,
} from './wire.js';

type Obj = Record<string, unknown>;

/** Decodes the bytes of message `key` (e.g. `core.v1.ConfigMap`) into its JSON object. */
export function decodeMessage(key: string, bytes: Uint8Array, enveloped: Nested['enveloped']): Obj {
  return guarded(() =>
    readMessage(key, bytes, { decode: nestedDecode, encode: noEncode, enveloped }),
  );

  function nestedDecode(k: string, b: Uint8Array): Obj {
    return readMessage(k, b, { decode: nestedDecode, encode: noEncode, enveloped });
  }
}

function noEncode(): void {
  throw new Error('protobuf: encoding is not available while decoding');
}

function readMessage(key: string, bytes: Uint8Array, nested: Nested): Obj {
  const desc = lookupMessage(key);
  if (!desc) throw new Error(`protobuf: no message ${key} in the tables`);
  const reader = Reader.create(bytes);
  const out: Obj = {};
  const inlined = new Set<FieldDescriptor>();
  while (reader.pos < reader.len) {
    const key32 = reader.uint32();
    const number = key32 >>> 3;
    const wire = key32 & 7;
    if (number === 0) throw new WireError(`proto: ${desc.key}: illegal tag 0 (wire type ${wire})`);
    const f = desc.byNumber.get(number);
    if (!f) {
      skip(reader, wire);
      continue;
    }
    if (f.inline) {
      expectWire(f, wire, wireBytes);
      Object.assign(out, readMessage(f.message!, reader.bytes(), nested));
      inlined.add(f);
    } else if (f.map) {
      expectWire(f, wire, wireBytes);
      const [k, v] = readMapEntry(f, reader.bytes(), nested);
      const map = (out[f.json] ??= {}) as Obj;
      map[k] = v ?? null;
    } else if (f.message) {
      expectWire(f, wire, wireBytes);
      const value = readValue(f.message, reader.bytes(), nested);
      if (f.repeated) ((out[f.json] ??= []) as unknown[]).push(value ?? null);
      else if (value === undefined) delete out[f.json];
      else out[f.json] = value;
    } else if (f.repeated) {
      const list = (out[f.json] ??= []) as unknown[];
      if (wire === wireBytes && packable(f.scalar!)) {
        const end = reader.uint32() + reader.pos;
        while (reader.pos < end) list.push(readScalar(reader, f.scalar!));
      } else {
        expectWire(f, wire, wireOf(f.scalar!));
        list.push(readScalar(reader, f.scalar!));
      }
    } else {
      expectWire(f, wire, wireOf(f.scalar!));
      out[f.json] = readScalar(reader, f.scalar!);
    }
  }
  for (const f of desc.fields) {
    if (f.inline && !inlined.has(f)) {
      for (const [k, v] of Object.entries(readMessage(f.message!, new Uint8Array(), nested))) {
        if (!(k in out)) out[k] = v;
      }
    }
    if (!f.scalar || f.repeated || f.map) continue;
    const v = out[f.json];
    if (v === undefined) {
      if (f.presence === 'always') out[f.json] = zeroOf(f.scalar);
    } else if (f.presence === 'omitempty' && v === zeroOf(f.scalar)) {
      delete out[f.json];
    }
  }
  return out;
}

function readValue(key: string, bytes: Uint8Array, nested: Nested): unknown {
  const special = specialCodecs.get(key);
  return special ? special.decode(bytes, nested) : nested.decode(key, bytes);
}

function readMapEntry(f: FieldDescriptor, bytes: Uint8Array, nested: Nested): [string, unknown] {
  const reader = Reader.create(bytes);
  let key = '';
  let value: unknown;
  while (reader.pos < reader.len) {
    const key32 = reader.uint32();
    const number = key32 >>> 3;
    const wire = key32 & 7;
    if (number === 1 && wire === wireBytes) key = reader.string();
    else if (number === 2 && f.message && wire === wireBytes) {
      value = readValue(f.message, reader.bytes(), nested);
    } else if (number === 2 && f.scalar && wire === wireOf(f.scalar)) {
      value = readScalar(reader, f.scalar);
    } else skip(reader, wire);
  }
  if (value === undefined) {
    value = f.message ? readValue(f.message, new Uint8Array(), nested) : zeroOf(f.scalar!);
  }
  return [key, value];
}

function readScalar(reader: Reader, type: ScalarType): unknown {
  switch (type) {
    case 'string':
      return reader.string();
    case 'bytes':
      return Buffer.from(reader.bytes()).toString('base64');
    case 'bool':
      return reader.bool();
    case 'int32':
      return reader.int32();
    case 'uint32':
      return reader.uint32();
    case 'int64':
      return toNumber(reader.int64());
    case 'uint64':
      return toNumber(reader.uint64());
    case 'double':
      return reader.double();
    case 'float':
      return reader.float();
  }
}

function zeroOf(type: ScalarType): unknown {
  if (type === 'string' || type === 'bytes') return '';
  return type === 'bool' ? false : 0;
}

function packable(type: ScalarType): boolean {
  return type !== 'string' && type !== 'bytes';
}

function wireOf(type: ScalarType): number {
  if (type === 'string' || type === 'bytes') return wireBytes;
  if (type === 'double') return wireFixed64;
  if (type === 'float') return wireFixed32;
  return wireVarint;
}

function expectWire(f: FieldDescriptor, wire: number, want: number): void {
  if (wire !== want) {
    const name = f.json.charAt(0).toUpperCase() + f.json.slice(1);
    throw new WireError(`proto: wrong wireType = ${wire} for field ${name}`);
  }
}
