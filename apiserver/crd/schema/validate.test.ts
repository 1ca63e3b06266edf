import { fieldErrorMessage } from '../../../common/index.js';
import type { SchemaNode } from './node.js';
import { validateCustomResource } from './validate.js';

const obj = (spec: Record<string, SchemaNode>, extra: SchemaNode = {}): SchemaNode => ({
  type: 'object',
  properties: { spec: { type: 'object', properties: spec, ...extra } },
});

const messages = (schema: SchemaNode, value: unknown, old?: unknown) =>
  validateCustomResource(schema, value, old === undefined ? {} : { old }).map(fieldErrorMessage);

describe('custom resource schema validation (kube-openapi SchemaValidator)', () => {
  test.each<[string, SchemaNode, unknown, string[]]>([
    [
      'typeValidator: a value of another JSON type is TypeInvalid with the actual type',
      obj({ image: { type: 'string' } }),
      { image: 7 },
      [
        'spec.image: Invalid value: "integer": spec.image in body must be of type string: "integer"',
      ],
    ],
    [
      'typeValidator: null in a non-nullable typed field is of type "null"',
      obj({ image: { type: 'string' } }),
      { image: null },
      ['spec.image: Invalid value: "null": spec.image in body must be of type string: "null"'],
    ],
    [
      'typeValidator: nullable accepts null',
      obj({ image: { type: 'string', nullable: true } }),
      { image: null },
      [],
    ],
    [
      'typeValidator isIntFloat: an integer is a number',
      obj({ n: { type: 'number' } }),
      { n: 3 },
      [],
    ],
    [
      'typeValidator: a fraction is not an integer',
      obj({ n: { type: 'integer' } }),
      { n: 1.5 },
      ['spec.n: Invalid value: "number": spec.n in body must be of type integer: "number"'],
    ],
    [
      'x-kubernetes-int-or-string becomes type [integer,string]',
      obj({ port: { 'x-kubernetes-int-or-string': true } }),
      { port: true },
      [
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
      ],
    ],
    [
      'x-kubernetes-int-or-string accepts a string',
      obj({ port: { 'x-kubernetes-int-or-string': true } }),
      { port: 'http' },
      [],
    ],
    [
      'EnumFailCode → field.NotSupported with the allowed values',
      obj({ mode: { type: 'string', enum: ['a', 'b'] } }),
      { mode: 'c' },
      ['spec.mode: Unsupported value: "c": supported values: "a", "b"'],
    ],
    [
      'maximum (inclusive) → Invalid with "less than or equal to"',
      obj({ replicas: { type: 'integer', maximum: 10 } }),
      { replicas: 15 },
      [
        'spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10',
      ],
    ],
    [
      'exclusiveMinimum → "greater than"',
      obj({ replicas: { type: 'integer', minimum: 1, exclusiveMinimum: true } }),
      { replicas: 1 },
      ['spec.replicas: Invalid value: 1: spec.replicas in body should be greater than 1'],
    ],
    [
      'multipleOf',
      obj({ n: { type: 'integer', multipleOf: 5 } }),
      { n: 7 },
      ['spec.n: Invalid value: 7: spec.n in body should be a multiple of 5'],
    ],
    [
      'TooLongFailCode → field.TooLong (value omitted)',
      obj({ s: { type: 'string', maxLength: 3 } }),
      { s: 'abcd' },
      ['spec.s: Too long: may not be more than 3 bytes'],
    ],
    [
      'stringValidator stops at the first failure (maxLength before pattern)',
      obj({ s: { type: 'string', maxLength: 3, pattern: '^z' } }),
      { s: 'abcd' },
      ['spec.s: Too long: may not be more than 3 bytes'],
    ],
    [
      'minLength counts characters, not bytes',
      obj({ s: { type: 'string', minLength: 3 } }),
      { s: 'éé' },
      ['spec.s: Invalid value: "éé": spec.s in body should be at least 3 chars long'],
    ],
    [
      'pattern → Invalid with the pattern quoted',
      obj({ s: { type: 'string', pattern: '^[a-z]+$' } }),
      { s: 'A' },
      ['spec.s: Invalid value: "A": spec.s in body should match \'^[a-z]+$\''],
    ],
    [
      'formatValidator: a bad date-time is TypeInvalid naming the format',
      obj({ t: { type: 'string', format: 'date-time' } }),
      { t: 'yesterday' },
      ['spec.t: Invalid value: "yesterday": spec.t in body must be of type date-time: "yesterday"'],
    ],
    [
      'formats: a valid date-time passes',
      obj({ t: { type: 'string', format: 'date-time' } }),
      { t: '2024-02-29T10:00:00Z' },
      [],
    ],
    [
      'formats: unsupported formats are stripped and accept anything',
      obj({ t: { type: 'string', format: 'k8s-thing' } }),
      { t: '!!' },
      [],
    ],
    [
      'formats: ipv4',
      obj({ ip: { type: 'string', format: 'ipv4' } }),
      { ip: '300.1.1.1' },
      ['spec.ip: Invalid value: "300.1.1.1": spec.ip in body must be of type ipv4: "300.1.1.1"'],
    ],
    [
      'minItems → Invalid with the item count',
      obj({ l: { type: 'array', items: { type: 'string' }, minItems: 2 } }),
      { l: ['a'] },
      ['spec.l: Invalid value: 1: spec.l in body should have at least 2 items'],
    ],
    [
      'MaxItemsFailCode → field.TooMany',
      obj({ l: { type: 'array', items: { type: 'string' }, maxItems: 1 } }),
      { l: ['a', 'b'] },
      ['spec.l: Too many: 2: must have at most 1 item'],
    ],
    [
      'uniqueItems',
      obj({ l: { type: 'array', items: { type: 'string' }, uniqueItems: true } }),
      { l: ['a', 'a'] },
      ['spec.l: Invalid value: "": spec.l in body shouldn\'t contain duplicates'],
    ],
    [
      'item errors come before the array checks, with [i] paths',
      obj({ l: { type: 'array', items: { type: 'integer' }, maxItems: 1 } }),
      { l: ['x', 2] },
      [
        'spec.l[0]: Invalid value: "string": spec.l[0] in body must be of type integer: "string"',
        'spec.l: Too many: 2: must have at most 1 item',
      ],
    ],
    [
      'minProperties fails the object alone (its properties are not checked)',
      obj({ a: { type: 'string' } }, { minProperties: 2 }),
      { a: 1 },
      ['spec: Invalid value: 1: spec in body should have at least 2 properties'],
    ],
    [
      'TooManyPropertiesCode → field.TooMany',
      obj({}, { maxProperties: 1, 'x-kubernetes-preserve-unknown-fields': true }),
      { a: 1, b: 2 },
      ['spec: Too many: 2: must have at most 1 item'],
    ],
    [
      'RequiredFailCode → field.Required, after the properties',
      obj({ a: { type: 'string' }, b: { type: 'string' } }, { required: ['b'] }),
      { a: 1 },
      [
        'spec.a: Invalid value: "integer": spec.a in body must be of type string: "integer"',
        'spec.b: Required value',
      ],
    ],
    [
      'additionalProperties values are validated under path.key',
      obj({ labels: { type: 'object', additionalProperties: { type: 'string' } } }),
      { labels: { x: 1 } },
      [
        'spec.labels.x: Invalid value: "integer": spec.labels.x in body must be of type string: "integer"',
      ],
    ],
    [
      'anyOf failure is reported on the validated root (<nil>) with the closest alternative',
      obj({ n: { type: 'integer', anyOf: [{ minimum: 5 }, { maximum: 1 }] } }),
      { n: 3 },
      [
        '<nil>: Invalid value: "": "spec.n" must validate at least one schema (anyOf)',
        'spec.n: Invalid value: 3: spec.n in body should be greater than or equal to 5',
      ],
    ],
  ])('%s', (_rule, schema, spec, expected) => {
    expect(messages(schema, { spec })).toEqual(expected);
  });

  test('a root-level required field is reported without a leading dot', () => {
    const schema = { type: 'object', required: ['spec'], properties: { spec: { type: 'object' } } };
    expect(messages(schema, {})).toEqual(['spec: Required value']);
  });

  test('a status validation reports paths under status with messages relative to it', () => {
    const errs = validateCustomResource(
      { type: 'object', properties: { replicas: { type: 'integer' } } },
      { replicas: 'x' },
      { basePath: 'status' },
    );
    expect(errs.map(fieldErrorMessage)).toEqual([
      'status.replicas: Invalid value: "string": replicas in body must be of type integer: "string"',
    ]);
  });

  describe('ratcheting (CRDValidationRatcheting)', () => {
    const schema = obj({
      s: { type: 'string', maxLength: 3 },
      t: { type: 'string', maxLength: 3 },
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, port: { type: 'integer', maximum: 100 } },
        },
      },
    });

    test.each<[string, unknown, unknown, string[]]>([
      ['an unchanged invalid field is allowed', { s: 'long', t: 'ok' }, { s: 'long', t: 'no' }, []],
      [
        'a changed invalid field is refused',
        { s: 'longer' },
        { s: 'long' },
        ['spec.s: Too long: may not be more than 3 bytes'],
      ],
      [
        'map-list items correlate by key, whatever their position',
        {
          ports: [
            { name: 'b', port: 1 },
            { name: 'a', port: 500 },
          ],
        },
        { ports: [{ name: 'a', port: 500 }] },
        [],
      ],
      [
        'a new map-list item is validated',
        { ports: [{ name: 'c', port: 500 }] },
        { ports: [{ name: 'a', port: 500 }] },
        [
          'spec.ports[0].port: Invalid value: 500: spec.ports[0].port in body should be less than or equal to 100',
        ],
      ],
    ])('%s', (_rule, spec, oldSpec, expected) => {
      expect(messages(schema, { spec }, { spec: oldSpec })).toEqual(expected);
    });
  });
});
