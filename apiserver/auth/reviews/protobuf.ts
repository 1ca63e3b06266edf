/**
 * Decoding of the protobuf request bodies that typed clients send for the review and TokenRequest
 * kinds (client-go ≥ 1.32, so `kubectl auth can-i`, `auth whoami` and `create token` from kubectl
 * 1.32+): the Kubernetes envelope (`k8s\0` + `runtime.Unknown{typeMeta, raw}`) around the kind's
 * message, decoded by a small proto2 wire reader into the JSON shape the handlers take. Only the
 * fields these kinds have are known (field numbers from `k8s.io/api/{authentication,
 * authorization}/v1/generated.proto`); unknown fields are skipped. Responses stay JSON (the clients
 * accept it). Malformed input is a 400, never a crash.
 */
import { newBadRequest } from '../../../common/index.js';

type FieldType =
  | 'string'
  | 'bool'
  | 'int64'
  | 'bytes'
  | Schema
  | { map: Schema }
  | { repeated: 'string' | Schema };
interface Schema {
  [field: number]: [name: string, type: FieldType];
}

const typeMeta: Schema = { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] };
const unknown: Schema = {
  1: ['typeMeta', typeMeta],
  2: ['raw', 'bytes'],
  3: ['contentEncoding', 'string'],
  4: ['contentType', 'string'],
};
const objectMeta: Schema = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
};
const extraValue: Schema = { 1: ['items', { repeated: 'string' }] };
const resourceAttributes: Schema = {
  1: ['namespace', 'string'],
  2: ['verb', 'string'],
  3: ['group', 'string'],
  4: ['version', 'string'],
  5: ['resource', 'string'],
  6: ['subresource', 'string'],
  7: ['name', 'string'],
};
const nonResourceAttributes: Schema = { 1: ['path', 'string'], 2: ['verb', 'string'] };
const sarSpec: Schema = {
  1: ['resourceAttributes', resourceAttributes],
  2: ['nonResourceAttributes', nonResourceAttributes],
  3: ['user', 'string'],
  4: ['groups', { repeated: 'string' }],
  5: ['extra', { map: extraValue }],
  6: ['uid', 'string'],
};
const boundObjectRef: Schema = {
  1: ['kind', 'string'],
  2: ['apiVersion', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
};

/** Message schemas by kind. */
const kinds: Record<string, Schema> = {
  SubjectAccessReview: { 1: ['metadata', objectMeta], 2: ['spec', sarSpec] },
  LocalSubjectAccessReview: { 1: ['metadata', objectMeta], 2: ['spec', sarSpec] },
  SelfSubjectAccessReview: {
    1: ['metadata', objectMeta],
    2: [
      'spec',
      {
        1: ['resourceAttributes', resourceAttributes],
        2: ['nonResourceAttributes', nonResourceAttributes],
      },
    ],
  },
  SelfSubjectRulesReview: {
    1: ['metadata', objectMeta],
    2: ['spec', { 1: ['namespace', 'string'] }],
  },
  SelfSubjectReview: { 1: ['metadata', objectMeta] },
  TokenReview: {
    1: ['metadata', objectMeta],
    2: ['spec', { 1: ['token', 'string'], 2: ['audiences', { repeated: 'string' }] }],
  },
  TokenRequest: {
    1: ['metadata', objectMeta],
    2: [
      'spec',
      {
        1: ['audiences', { repeated: 'string' }],
        3: ['boundObjectRef', boundObjectRef],
        4: ['expirationSeconds', 'int64'],
      },
    ],
  },
};

export const protobufContentType = 'application/vnd.kubernetes.protobuf';
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Whether a Content-Type names the Kubernetes protobuf encoding. */
export function isProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === protobufContentType;
}

/** Decodes an enveloped protobuf body of `kind` into its JSON form (with apiVersion and kind). */
export function decodeProtobuf(body: Buffer, kind: string): Record<string, unknown> {
  const schema = kinds[kind];
  if (!schema) throw newBadRequest(`protobuf is not supported for ${kind}`);
  if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic))
    throw newBadRequest('the body of the request is not a Kubernetes protobuf envelope');
  try {
    const env = decode(body.subarray(magic.length), unknown);
    const tm = (env.typeMeta ?? {}) as Record<string, string>;
    if (tm.kind && tm.kind !== kind)
      throw newBadRequest(
        `the kind in the data (${tm.kind}) does not match the expected kind (${kind})`,
      );
    const obj = decode((env.raw as Buffer | undefined) ?? Buffer.alloc(0), schema);
    return { ...(tm.apiVersion ? { apiVersion: tm.apiVersion } : {}), kind, ...obj };
  } catch (err) {
    if (err instanceof Error && err.name === 'StatusError') throw err;
    throw newBadRequest(
      `error decoding request body: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new Error('varint too long');
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    if (len < 0 || this.pos + len > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
    if (this.pos > this.buf.length) throw new Error('truncated field');
  }
}

function decode(buf: Buffer, schema: Schema, depth = 0): Record<string, unknown> {
  if (depth > 16) throw new Error('message nested too deeply');
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const tag = Number(r.varint());
    const field = tag >>> 3;
    const wire = tag & 7;
    const spec = schema[field];
    if (!spec) {
      r.skip(wire);
      continue;
    }
    const [name, type] = spec;
    if (type === 'bool' || type === 'int64') {
      if (wire !== 0) throw new Error(`field ${name}: wrong wire type`);
      const v = r.varint();
      out[name] = type === 'bool' ? v !== 0n : Number(BigInt.asIntN(64, v));
      continue;
    }
    if (wire !== 2) throw new Error(`field ${name}: wrong wire type`);
    const data = r.bytes();
    if (type === 'string') out[name] = data.toString('utf8');
    else if (type === 'bytes') out[name] = data;
    else if ('repeated' in type) {
      const list = (out[name] ??= []) as unknown[];
      list.push(
        type.repeated === 'string'
          ? data.toString('utf8')
          : decode(data, type.repeated as Schema, depth + 1),
      );
    } else if ('map' in type) {
      const entry = decode(
        data,
        { 1: ['key', 'string'], 2: ['value', type.map as Schema] },
        depth + 1,
      );
      const map = (out[name] ??= {}) as Record<string, unknown>;
      const value = (entry.value ?? {}) as Record<string, unknown>;
      map[String(entry.key ?? '')] = value.items ?? [];
    } else {
      out[name] = decode(data, type as Schema, depth + 1);
    }
  }
  return out;
}
