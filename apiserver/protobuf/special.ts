/**
 * Messages whose JSON form is not an object of their fields, with the upstream rule each follows:
 *
 * | message | wire | JSON |
 * | --- | --- | --- |
 * | `meta.v1.Time` | seconds=1, nanos=2 (empty = zero time) | RFC 3339 seconds; zero → left out |
 * | `meta.v1.MicroTime` | seconds=1, nanos=2 | RFC 3339 with microseconds |
 * | `meta.v1.Duration` | duration=1 (ns) | Go duration text |
 * | `resource.Quantity` | string=1 | the quantity string (zero value `"0"`) |
 * | `intstr.IntOrString` | type=1, intVal=2, strVal=3 | a number (type 0) or a string (type 1) |
 * | `runtime.RawExtension`, `meta.v1.FieldsV1`, `apiextensions.v1.JSON` | raw=1 | the raw JSON |
 * | `meta.v1.Verbs`, `*.ExtraValue` | items=1 (repeated) | a string array |
 * | `apiextensions.v1.JSONSchemaPropsOr{Array,Bool,StringArray}` | schema / alternative | either form |
 *
 * A RawExtension whose bytes are themselves an enveloped protobuf object (a protobuf client's
 * embedded object) decodes to that object's JSON.
 */
import { protobufMagic } from './defaults.js';
import { formatDuration, formatMicroTime, formatTime, parseDuration, parseTime } from './time.js';
import {
  lastField,
  rawFields,
  tag,
  toBigInt,
  toNumber,
  wireBytes,
  wireVarint,
  WireError,
  type Writer,
} from './wire.js';

/** Access to the generic codec for messages nested in special ones. */
export interface Nested {
  decode(key: string, bytes: Uint8Array): Record<string, unknown>;
  /** The JSON object of an enveloped (`k8s\0`-prefixed) protobuf object. */
  enveloped(bytes: Uint8Array): Record<string, unknown>;
  encode(key: string, value: unknown, writer: Writer, path: string): void;
}

export interface SpecialCodec {
  /** The JSON value; undefined leaves the field out. Throws `WireError` on bad input. */
  decode(bytes: Uint8Array, nested: Nested): unknown;
  /** Writes the message body of `value`; throws `Error` naming `path` when it has the wrong type. */
  encode(value: unknown, writer: Writer, nested: Nested, path: string): void;
}

const schemaProps = 'apiextensions.v1.JSONSchemaProps';

function wrongType(path: string, want: string, value: unknown): Error {
  return new Error(`${path}: expected ${want}, got ${JSON.stringify(value)}`);
}

function str(f: ReturnType<typeof lastField>): string {
  return f?.bytes ? Buffer.from(f.bytes).toString('utf8') : '';
}

const time = (micro: boolean): SpecialCodec => ({
  decode(bytes) {
    if (bytes.length === 0) return undefined;
    const fields = rawFields(bytes);
    const seconds = toNumber(lastField(fields, 1)?.varint ?? 0);
    const nanos = toNumber(lastField(fields, 2)?.varint ?? 0);
    return micro ? formatMicroTime(seconds, nanos) : formatTime(seconds);
  },
  encode(value, writer, _nested, path) {
    if (typeof value !== 'string') throw wrongType(path, 'an RFC 3339 time', value);
    const { seconds, nanos } = parseTime(value);
    writer.uint32(tag(1, wireVarint)).int64(seconds);
    writer.uint32(tag(2, wireVarint)).int32(micro ? Math.floor(nanos / 1000) * 1000 : 0);
  },
});

const rawJSON: SpecialCodec = {
  decode(bytes, nested) {
    const raw = lastField(rawFields(bytes), 1)?.bytes;
    if (!raw || raw.length === 0) return undefined;
    if (protobufMagic.every((b, i) => raw[i] === b)) return nested.enveloped(raw);
    try {
      return JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch {
      throw new WireError('raw field holds neither JSON nor a protobuf object');
    }
  },
  encode(value, writer) {
    writer.uint32(tag(1, wireBytes)).bytes(Buffer.from(JSON.stringify(value), 'utf8'));
  },
};

const stringList: SpecialCodec = {
  decode(bytes) {
    return rawFields(bytes)
      .filter((f) => f.number === 1 && f.bytes)
      .map((f) => str(f));
  },
  encode(value, writer, _nested, path) {
    if (!Array.isArray(value)) throw wrongType(path, 'an array of strings', value);
    for (const item of value) writer.uint32(tag(1, wireBytes)).string(String(item));
  },
};

/**
 * A JSONSchemaProps or an alternative: an array of schemas (field `alt`), an array of strings
 * (field `alt`), or a boolean (`allows`, field 1, with the schema in field 2).
 */
function schemaOr(alt: number, altKind: 'schemas' | 'strings' | 'bool'): SpecialCodec {
  return {
    decode(bytes, nested) {
      const fields = rawFields(bytes);
      const schemaField = altKind === 'bool' ? 2 : 1;
      const schema = lastField(fields, schemaField)?.bytes;
      if (altKind === 'bool') {
        if (schema) return nested.decode(schemaProps, schema);
        return toNumber(lastField(fields, alt)?.varint ?? 0) !== 0;
      }
      const alts = fields.filter((f) => f.number === alt && f.bytes);
      if (alts.length > 0) {
        return alts.map((f) =>
          altKind === 'strings' ? str(f) : nested.decode(schemaProps, f.bytes!),
        );
      }
      return schema ? nested.decode(schemaProps, schema) : undefined;
    },
    encode(value, writer, nested, path) {
      if (altKind === 'bool' && typeof value === 'boolean') {
        writer.uint32(tag(1, wireVarint)).bool(value);
        return;
      }
      if (altKind !== 'bool' && Array.isArray(value)) {
        for (const item of value) {
          if (altKind === 'strings') writer.uint32(tag(alt, wireBytes)).string(String(item));
          else nestedField(writer, alt, nested, item, path);
        }
        return;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw wrongType(path, 'a JSON schema object', value);
      }
      if (altKind === 'bool') writer.uint32(tag(1, wireVarint)).bool(true);
      nestedField(writer, altKind === 'bool' ? 2 : 1, nested, value, path);
    },
  };
}

function nestedField(writer: Writer, number: number, nested: Nested, value: unknown, path: string) {
  writer.uint32(tag(number, wireBytes)).fork();
  nested.encode(schemaProps, value, writer, path);
  writer.ldelim();
}

const quantity: SpecialCodec = {
  decode(bytes) {
    return str(lastField(rawFields(bytes), 1)) || '0';
  },
  encode(value, writer, _nested, path) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw wrongType(path, 'a quantity', value);
    }
    writer.uint32(tag(1, wireBytes)).string(String(value));
  },
};

const intOrString: SpecialCodec = {
  decode(bytes) {
    const fields = rawFields(bytes);
    const type = toNumber(lastField(fields, 1)?.varint ?? 0);
    if (type === 0) return toNumber(lastField(fields, 2)?.varint ?? 0) | 0;
    if (type === 1) return str(lastField(fields, 3));
    throw new WireError('impossible IntOrString.Type');
  },
  encode(value, writer, _nested, path) {
    const isInt = typeof value === 'number';
    if (!isInt && typeof value !== 'string') throw wrongType(path, 'an int or a string', value);
    writer.uint32(tag(1, wireVarint)).int64(isInt ? 0 : 1);
    writer.uint32(tag(2, wireVarint)).int32(isInt ? value : 0);
    writer.uint32(tag(3, wireBytes)).string(isInt ? '' : value);
  },
};

const duration: SpecialCodec = {
  decode(bytes) {
    return formatDuration(toBigInt(lastField(rawFields(bytes), 1)?.varint ?? 0));
  },
  encode(value, writer, _nested, path) {
    if (typeof value !== 'string') throw wrongType(path, 'a duration', value);
    writer.uint32(tag(1, wireVarint)).int64(parseDuration(value).toString());
  },
};

/** Special codecs by message key. */
export const specialCodecs: ReadonlyMap<string, SpecialCodec> = new Map([
  ['meta.v1.Time', time(false)],
  ['meta.v1.MicroTime', time(true)],
  ['meta.v1.Duration', duration],
  ['meta.v1.FieldsV1', rawJSON],
  ['meta.v1.Verbs', stringList],
  ['resource.Quantity', quantity],
  ['intstr.IntOrString', intOrString],
  ['runtime.RawExtension', rawJSON],
  ['apiextensions.v1.JSON', rawJSON],
  ['apiextensions.v1.JSONSchemaPropsOrArray', schemaOr(2, 'schemas')],
  ['apiextensions.v1.JSONSchemaPropsOrBool', schemaOr(1, 'bool')],
  ['apiextensions.v1.JSONSchemaPropsOrStringArray', schemaOr(2, 'strings')],
  ['authentication.v1.ExtraValue', stringList],
  ['authorization.v1.ExtraValue', stringList],
  ['certificates.v1.ExtraValue', stringList],
]);
