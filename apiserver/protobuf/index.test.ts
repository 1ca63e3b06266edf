/**
 * The public door: the envelope (`k8s\0` + runtime.Unknown), errors worded as upstream's protobuf
 * serializer and `transformDecodeError`, type defaulting from the endpoint, and deterministic
 * encoding.
 */
import { StatusError } from '../../common/index.js';
import { decodeObject, encodeObject, hasProtobuf, isProtobuf } from './index.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string) => Buffer.from(s, 'ascii').toString('hex');
const configMap = { apiVersion: 'v1', kind: 'ConfigMap' };

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).status.code).toBe(400);
    expect((err as StatusError).status.reason).toBe('BadRequest');
    return (err as StatusError).status.message ?? '';
  }
  throw new Error('expected a 400');
}

describe('the envelope', () => {
  test('an enveloped ConfigMap (as kubectl 1.33 writes it) decodes with its type first', () => {
    const body = hex(
      `6b387300 0a 0f 0a 02 ${ascii('v1')} 12 09 ${ascii('ConfigMap')}` +
        ` 12 11 0a 07 0a 03 ${ascii('cm1')} 42 00 12 06 0a 01 ${ascii('a')} 12 01 ${ascii('b')}` +
        ' 1a 00 22 00',
    );
    expect(decodeObject(body, configMap)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm1' },
      data: { a: 'b' },
    });
  });

  test('an envelope without type information takes the endpoint type (copyKindDefaults)', () => {
    const body = hex(`6b387300 12 07 0a 05 0a 03 ${ascii('cm1')}`);
    expect(decodeObject(body, configMap)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm1' },
    });
  });

  test('the envelope type wins over the endpoint type', () => {
    const body = hex(`6b387300 0a 0f 0a 02 ${ascii('v1')} 12 09 ${ascii('Namespace')} 12 00`);
    expect(decodeObject(body, configMap)).toEqual({ apiVersion: 'v1', kind: 'Namespace' });
  });

  test('encoding writes the magic, typeMeta, raw and empty content fields, as upstream', () => {
    const bytes = encodeObject({ ...configMap, metadata: { name: 'cm1' } });
    expect(Buffer.from(bytes).toString('hex')).toBe(
      `6b387300 0a 0f 0a 02 ${ascii('v1')} 12 09 ${ascii('ConfigMap')} 12 07 0a 05 0a 03 ${ascii('cm1')} 1a 00 22 00`.replace(
        /\s+/g,
        '',
      ),
    );
  });

  test('encoding is deterministic: map keys sorted, JSON key order irrelevant', () => {
    const a = encodeObject({ ...configMap, data: { z: '1', a: '2' }, metadata: { name: 'x' } });
    const b = encodeObject({ metadata: { name: 'x' }, data: { a: '2', z: '1' }, ...configMap });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  test('JSON fields a message does not have are not encoded', () => {
    const bytes = encodeObject({ ...configMap, metadata: { name: 'x' }, bogus: { deep: 1 } });
    expect(decodeObject(bytes, configMap)).toEqual({ ...configMap, metadata: { name: 'x' } });
  });

  test('a value of the wrong JSON type is a server error naming its path', () => {
    expect(() => encodeObject({ ...configMap, data: { a: 1 } })).toThrow(
      'core.v1.ConfigMap.data[a]: expected a string, got 1',
    );
  });

  test('a kind without a message cannot be encoded', () => {
    expect(() => encodeObject({ apiVersion: 'stable.example.com/v1', kind: 'CronTab' })).toThrow(
      /no message/,
    );
  });
});

describe('bad bodies are 400s worded as upstream', () => {
  test.each([
    {
      rule: 'an empty body',
      body: '',
      message:
        'the object provided is unrecognized (must be of type ConfigMap): empty data (<empty>)',
    },
    {
      rule: 'a JSON body sent as protobuf (no magic; JSON quoted as text)',
      body: ascii('{"kind":"ConfigMap"}'),
      message:
        'the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"ConfigMap"})',
    },
    {
      rule: 'the magic alone',
      body: '6b387300',
      message:
        'the object provided is unrecognized (must be of type ConfigMap): empty body (6b387300)',
    },
    {
      rule: 'a truncated envelope',
      body: '6b387300 0a 0f 0a 02',
      message:
        'the object provided is unrecognized (must be of type ConfigMap): unexpected EOF (6b3873000a0f0a02)',
    },
    {
      rule: 'a kind the server does not know',
      body: `6b387300 0a 09 0a 02 ${ascii('v1')} 12 03 ${ascii('Foo')} 12 00`,
      message:
        'Foo in version "v1" cannot be handled as a ConfigMap: no kind "Foo" is registered for version "v1"',
    },
    {
      rule: 'a malformed object message',
      body: `6b387300 0a 0f 0a 02 ${ascii('v1')} 12 09 ${ascii('ConfigMap')} 12 02 0a 05`,
      message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: unexpected EOF',
    },
  ])('$rule', ({ body, message }) => {
    expect(badRequest(() => decodeObject(hex(body), configMap))).toBe(message);
  });
});

describe('media types and kinds', () => {
  test.each([
    ['application/vnd.kubernetes.protobuf', true],
    ['application/vnd.kubernetes.protobuf; charset=binary', true],
    ['APPLICATION/VND.KUBERNETES.PROTOBUF', true],
    ['application/json', false],
    [undefined, false],
  ])('isProtobuf(%s) is %s', (header, want) => {
    expect(isProtobuf(header)).toBe(want);
  });

  test.each([
    [{ apiVersion: 'apps/v1', kind: 'Deployment' }, true],
    [{ apiVersion: 'v1', kind: 'Status' }, true],
    [{ apiVersion: 'apps/v1', kind: 'DeleteOptions' }, true],
    [{ apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadataList' }, true],
    [{ apiVersion: 'authentication.k8s.io/v1beta1', kind: 'SelfSubjectReview' }, true],
    [{ apiVersion: 'stable.example.com/v1', kind: 'CronTab' }, false],
    [{ apiVersion: 'apps/v1beta1', kind: 'Deployment' }, false],
  ])('hasProtobuf(%j) is %s', (type, want) => {
    expect(hasProtobuf(type)).toBe(want);
  });
});
