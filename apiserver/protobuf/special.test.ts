/**
 * Decoding hand-built byte vectors of the messages with a special JSON form, each row naming the
 * upstream rule it checks (apimachinery `time_proto.go`, `micro_time_proto.go`,
 * `quantity_proto.go`, `intstr.go`, `runtime/types_proto.go`, apiextensions `marshal.go`).
 */
import { decodeObject, encodeObject } from './index.js';
import { decodeMessage } from './decode.js';
import { specialCodecs } from './special.js';
import { WireError } from './wire.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string) => Buffer.from(s, 'ascii').toString('hex');
const noEnvelope = () => {
  throw new Error('no nested envelope expected');
};
const decode = (key: string, bytes: string) => decodeMessage(key, hex(bytes), noEnvelope);

describe('special messages decode to their upstream JSON form', () => {
  test.each([
    {
      rule: 'metav1.Time is whole seconds in RFC 3339 UTC',
      key: 'meta.v1.ObjectMeta',
      bytes: '42 08 08 80 e2 cf aa 06 10 00', // creationTimestamp{seconds: 1700000000, nanos: 0}
      json: { creationTimestamp: '2023-11-14T22:13:20Z' },
    },
    {
      rule: 'metav1.Time ignores nanos (JSON only ever carried seconds)',
      key: 'meta.v1.ObjectMeta',
      bytes: '42 0b 08 80 e2 cf aa 06 10 95 9a ef 3a', // nanos 123456789
      json: { creationTimestamp: '2023-11-14T22:13:20Z' },
    },
    {
      rule: 'metav1.Time: an empty message is the zero time, which JSON leaves out',
      key: 'meta.v1.ObjectMeta',
      bytes: `0a 03 ${ascii('cm1')} 42 00`,
      json: { name: 'cm1' },
    },
    {
      rule: 'metav1.Time: seconds 0 is the Unix epoch, not the zero time',
      key: 'meta.v1.ObjectMeta',
      bytes: '42 02 08 00',
      json: { creationTimestamp: '1970-01-01T00:00:00Z' },
    },
    {
      rule: 'metav1.MicroTime keeps microseconds (RFC3339Micro)',
      key: 'coordination.v1.LeaseSpec',
      bytes: '22 0b 08 80 e2 cf aa 06 10 95 9a ef 3a', // renewTime
      json: { renewTime: '2023-11-14T22:13:20.123456Z' },
    },
    {
      rule: 'resource.Quantity is its string',
      key: 'core.v1.ResourceRequirements',
      bytes: `0a 0d 0a 03 ${ascii('cpu')} 12 06 0a 04 ${ascii('500m')}`,
      json: { limits: { cpu: '500m' } },
    },
    {
      rule: 'resource.Quantity: the empty message is the zero quantity "0"',
      key: 'core.v1.ResourceRequirements',
      bytes: `12 07 0a 03 ${ascii('cpu')} 12 00`,
      json: { requests: { cpu: '0' } },
    },
    {
      rule: 'intstr.IntOrString type 0 is the int',
      key: 'core.v1.ServicePort',
      bytes: '18 50 22 07 08 00 10 90 3f 1a 00', // port 80, targetPort 8080
      json: { port: 80, targetPort: 8080 },
    },
    {
      rule: 'intstr.IntOrString type 1 is the string',
      key: 'core.v1.ServicePort',
      bytes: `18 50 22 0a 08 01 10 00 1a 04 ${ascii('http')}`,
      json: { port: 80, targetPort: 'http' },
    },
    {
      rule: 'runtime.RawExtension raw bytes are the JSON value',
      key: 'apps.v1.ControllerRevision',
      bytes: `12 0b 0a 09 ${ascii('{"a":[1]}')} 18 02`,
      json: { data: { a: [1] }, revision: 2 },
    },
    {
      rule: 'metav1.FieldsV1 Raw is the managed fields JSON',
      key: 'meta.v1.ManagedFieldsEntry',
      bytes: `0a 04 ${ascii('kctl')} 3a 11 0a 0f ${ascii('{"f:data":{}}  ')}`,
      json: { manager: 'kctl', fieldsV1: { 'f:data': {} } },
    },
    {
      rule: 'bytes are base64 in JSON (Secret data)',
      key: 'core.v1.Secret',
      bytes: `12 08 0a 01 ${ascii('k')} 12 03 ${ascii('abc')}`,
      json: { data: { k: 'YWJj' } },
    },
    {
      rule: 'ExtraValue (a []string type) is a JSON array',
      key: 'authentication.v1.UserInfo',
      bytes: `22 0d 0a 01 ${ascii('x')} 12 08 0a 02 ${ascii('v1')} 0a 02 ${ascii('v2')}`,
      json: { extra: { x: ['v1', 'v2'] } },
    },
    {
      rule: 'JSONSchemaPropsOrBool without a schema is its boolean',
      key: 'apiextensions.v1.JSONSchemaProps',
      bytes: 'f2 01 02 08 00', // additionalProperties{allows: false}
      json: { additionalProperties: false },
    },
    {
      rule: 'JSONSchemaPropsOrBool with a schema is the schema',
      key: 'apiextensions.v1.JSONSchemaProps',
      bytes: `f2 01 0c 08 01 12 08 2a 06 ${ascii('string')}`,
      json: { additionalProperties: { type: 'string' } },
    },
    {
      rule: 'JSONSchemaPropsOrArray with several schemas is an array',
      key: 'apiextensions.v1.JSONSchemaProps',
      bytes: `c2 01 10 12 06 2a 04 ${ascii('text')} 12 06 2a 04 ${ascii('bool')}`,
      json: { items: [{ type: 'text' }, { type: 'bool' }] },
    },
    {
      rule: 'JSONSchemaPropsOrStringArray with properties is a string array',
      key: 'apiextensions.v1.JSONSchemaProps',
      bytes: `82 02 0b 0a 01 ${ascii('a')} 12 06 12 01 ${ascii('b')} 12 01 ${ascii('c')}`,
      json: { dependencies: { a: ['b', 'c'] } },
    },
    {
      rule: 'apiextensions JSON raw is the default value',
      key: 'apiextensions.v1.JSONSchemaProps',
      bytes: `42 04 0a 02 ${ascii('42')}`,
      json: { default: 42 },
    },
  ])('$rule', ({ key, bytes, json }) => {
    expect(decode(key, bytes)).toEqual(json);
  });
});

describe('special messages reject what upstream cannot decode', () => {
  test('an IntOrString type other than 0 or 1 is impossible', () => {
    expect(() => decode('core.v1.ServicePort', '22 02 08 02')).toThrow(
      new WireError('impossible IntOrString.Type'),
    );
  });

  test('RawExtension bytes that are neither JSON nor protobuf are refused', () => {
    expect(() => decode('apps.v1.ControllerRevision', `12 05 0a 03 ${ascii('{x:')}`)).toThrow(
      WireError,
    );
  });
});

describe('metav1.Duration (nanoseconds on the wire, Go duration text in JSON)', () => {
  const codec = specialCodecs.get('meta.v1.Duration')!;
  const nested = { decode: noEnvelope, encode: noEnvelope, enveloped: noEnvelope };
  test.each([
    { bytes: '', text: '0s' },
    { bytes: '08 80 88 ac a3 cf 02', text: '1m30s' },
    { bytes: '08 80 a6 94 8f af 6c', text: '1h2m3.5s' },
  ])('$bytes decodes to $text', ({ bytes, text }) => {
    expect(codec.decode(hex(bytes), nested)).toBe(text);
  });
});

describe('embedded objects', () => {
  test('a RawExtension holding an enveloped protobuf object decodes to that object', () => {
    const inner = encodeObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'inner' },
      data: { a: 'b' },
    });
    expect(inner.length).toBeLessThan(126); // one-byte lengths below
    // revision = 1, then data = RawExtension{raw: <enveloped ConfigMap>}
    const body = Buffer.concat([
      Buffer.from(hex('18 01')),
      Buffer.from([0x12, inner.length + 2, 0x0a, inner.length]),
      Buffer.from(inner),
    ]);
    const obj = decodeMessage('apps.v1.ControllerRevision', body, (b) =>
      decodeObject(b, { apiVersion: 'v1', kind: 'ConfigMap' }),
    );
    expect(obj).toEqual({
      revision: 1,
      data: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' }, data: { a: 'b' } },
    });
  });
});
