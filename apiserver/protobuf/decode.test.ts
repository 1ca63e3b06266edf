/**
 * Field presence and wire rules of the decoder: Go pointers keep zero values, `omitempty`
 * drops them, fields without `omitempty` always appear, embedded structs flatten, unknown
 * fields are skipped (non-strict protobuf decoding), and malformed input fails with gogo's
 * wording.
 */
import { decodeMessage } from './decode.js';
import { WireError } from './wire.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string) => Buffer.from(s, 'ascii').toString('hex');
const decode = (key: string, bytes: string) =>
  decodeMessage(key, hex(bytes), () => {
    throw new Error('no nested envelope expected');
  });

describe('Go JSON presence of decoded fields', () => {
  test.each([
    {
      rule: 'a pointer scalar present as 0 stays (*int32 replicas: 0)',
      key: 'apps.v1.DeploymentSpec',
      bytes: '08 00',
      json: { replicas: 0 },
    },
    {
      rule: 'an omitempty scalar at its zero value is left out (paused, minReadySeconds)',
      key: 'apps.v1.DeploymentSpec',
      bytes: '38 00 28 00',
      json: {},
    },
    {
      rule: 'an omitempty scalar with a value stays',
      key: 'apps.v1.DeploymentSpec',
      bytes: '38 01 28 05',
      json: { paused: true, minReadySeconds: 5 },
    },
    {
      rule: 'a scalar without omitempty appears even when absent (ServicePort.port)',
      key: 'core.v1.ServicePort',
      bytes: `0a 04 ${ascii('http')}`,
      json: { name: 'http', port: 0 },
    },
    {
      rule: 'a scalar without omitempty keeps its zero value (PriorityClass.value)',
      key: 'scheduling.v1.PriorityClass',
      bytes: '10 00',
      json: { value: 0 },
    },
    {
      rule: 'an embedded struct flattens into the parent (ConfigMapKeySelector.name)',
      key: 'core.v1.ConfigMapKeySelector',
      bytes: `0a 05 0a 03 ${ascii('cfg')} 12 03 ${ascii('key')}`,
      json: { name: 'cfg', key: 'key' },
    },
    {
      rule: 'embedded structs flatten through two levels (NamedRuleWithOperations)',
      key: 'admissionregistration.v1.NamedRuleWithOperations',
      bytes: `12 0c 0a 03 ${ascii('GET')} 12 05 1a 03 ${ascii('pod')}`,
      json: { operations: ['GET'], resources: ['pod'] },
    },
    {
      rule: 'an empty message field is an empty object (non-pointer struct)',
      key: 'apps.v1.DeploymentSpec',
      bytes: '22 00',
      json: { strategy: {} },
    },
    {
      rule: 'repeated scalars may come packed or unpacked',
      key: 'core.v1.ContainerRestartRuleOnExitCodes',
      bytes: `0a 02 ${ascii('In')} 12 02 01 02 10 03`,
      json: { operator: 'In', values: [1, 2, 3] },
    },
    {
      rule: 'unknown field numbers are skipped',
      key: 'core.v1.ConfigMap',
      bytes: `f8 06 07 92 07 02 ${ascii('hi')} 0a 00`,
      json: { metadata: {} },
    },
    {
      rule: 'the last occurrence of a scalar wins (proto2)',
      key: 'core.v1.LocalObjectReference',
      bytes: `0a 01 ${ascii('a')} 0a 01 ${ascii('b')}`,
      json: { name: 'b' },
    },
    {
      rule: 'negative int64 values decode exactly (ten-byte varints)',
      key: 'meta.v1.ObjectMeta',
      bytes: '38 ff ff ff ff ff ff ff ff ff 01',
      json: { generation: -1 },
    },
  ])('$rule', ({ key, bytes, json }) => {
    expect(decode(key, bytes)).toEqual(json);
  });
});

describe('malformed messages', () => {
  test.each([
    {
      rule: 'a truncated length-delimited field',
      key: 'core.v1.ConfigMap',
      bytes: '0a 05 0a 03',
      message: 'unexpected EOF',
    },
    {
      rule: 'a varint where a string belongs',
      key: 'meta.v1.ObjectMeta',
      bytes: '08 01',
      message: 'proto: wrong wireType = 0 for field Name',
    },
    {
      rule: 'the reserved group wire types',
      key: 'meta.v1.ObjectMeta',
      bytes: 'fb 01',
      message: 'proto: illegal wireType 3',
    },
    {
      rule: 'field number 0',
      key: 'meta.v1.ObjectMeta',
      bytes: '02 00',
      message: 'proto: meta.v1.ObjectMeta: illegal tag 0 (wire type 2)',
    },
  ])('$rule is a WireError', ({ key, bytes, message }) => {
    expect(() => decode(key, bytes)).toThrow(new WireError(message));
  });
});
