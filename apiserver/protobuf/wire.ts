/**
 * Low-level proto2 wire helpers over protobufjs' `Reader`/`Writer`: tags, a raw field scan for
 * the small special messages, int64 conversion, and the error type of malformed input.
 */
import protobuf from 'protobufjs';

export const Reader = protobuf.Reader;
export const Writer = protobuf.Writer;
export type Reader = protobuf.Reader;
export type Writer = protobuf.Writer;

/** Malformed protobuf input; the message reads like gogo-protobuf's errors. */
export class WireError extends Error {}

export const wireVarint = 0;
export const wireFixed64 = 1;
export const wireBytes = 2;
export const wireFixed32 = 5;

/** The key of a field: number and wire type. */
export function tag(number: number, wire: number): number {
  return ((number << 3) | wire) >>> 0;
}

/** A 64-bit integer as protobufjs reads it: a number, or a Long when long.js is present. */
export type Int64 = number | protobuf.Long;

/** An int64 as a JS number (exact up to 2^53). */
export function toNumber(v: Int64): number {
  return Number(toBigInt(v));
}

/** An int64 as an exact bigint. */
export function toBigInt(v: Int64): bigint {
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return v.unsigned ? bits : BigInt.asIntN(64, bits);
}

export interface RawField {
  number: number;
  wire: number;
  /** The varint of a wire-type-0 field. */
  varint?: Int64;
  /** The payload of a length-delimited field. */
  bytes?: Uint8Array;
}

/** All fields of a message in wire order; fixed-width fields are skipped. */
export function rawFields(bytes: Uint8Array): RawField[] {
  const reader = Reader.create(bytes);
  const out: RawField[] = [];
  while (reader.pos < reader.len) {
    const key = reader.uint32();
    const number = key >>> 3;
    const wire = key & 7;
    if (number === 0) throw new WireError('proto: illegal tag 0 (wire type 0)');
    if (wire === wireVarint) out.push({ number, wire, varint: reader.int64() });
    else if (wire === wireBytes) out.push({ number, wire, bytes: reader.bytes() });
    else skip(reader, wire);
  }
  return out;
}

/** The last occurrence of field `number` (proto2: the last one wins). */
export function lastField(fields: RawField[], number: number): RawField | undefined {
  for (let i = fields.length - 1; i >= 0; i--) if (fields[i]!.number === number) return fields[i];
  return undefined;
}

/** Skips one field value; throws {@link WireError} for an illegal wire type. */
export function skip(reader: Reader, wire: number): void {
  if (wire === 3 || wire === 4 || wire > 5) throw new WireError(`proto: illegal wireType ${wire}`);
  reader.skipType(wire);
}

/** Runs `fn`, turning protobufjs' out-of-range errors into `unexpected EOF`. */
export function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RangeError) throw new WireError('unexpected EOF');
    throw err;
  }
}
