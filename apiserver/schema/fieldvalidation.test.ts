import { StatusError } from '../../common/index.js';
import {
  checkFields,
  enforceFieldValidation,
  findDuplicateFields,
  findDuplicateFieldsInYaml,
  newSchemaSet,
  parseFieldValidation,
} from './index.js';
import type { Schema } from './types.js';

const set = newSchemaSet();
const deployment = set.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' });

describe('unknown fields', () => {
  test.each([
    [
      'a known object has none',
      { spec: { replicas: 1, template: { spec: { containers: [] } } } },
      [],
    ],
    [
      'an unknown spec field is reported with its path',
      { spec: { foo: 1 } },
      ['unknown field "spec.foo"'],
    ],
    [
      'fields inside list items carry the index',
      {
        spec: {
          template: { spec: { containers: [{ name: 'a' }, { name: 'b', imagePolicy: 'x' }] } },
        },
      },
      ['unknown field "spec.template.spec.containers[1].imagePolicy"'],
    ],
    [
      'unknown metadata fields are reported',
      { metadata: { name: 'x', colour: 'red' } },
      ['unknown field "metadata.colour"'],
    ],
    ['map keys (labels) are never unknown', { metadata: { labels: { anything: 'x' } } }, []],
    ['top-level unknown fields are reported', { replicas: 3 }, ['unknown field "replicas"']],
    [
      'several unknown fields come in document order',
      { spec: { b: 1, a: 2 }, z: 1 },
      ['unknown field "spec.b"', 'unknown field "spec.a"', 'unknown field "z"'],
    ],
  ])('%s', (_name, object, expected) => {
    expect(checkFields(set, deployment, object)).toEqual(expected);
  });

  test('free-form and preserve-unknown-fields nodes accept anything', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            known: { type: 'string' },
            open: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            anything: { type: 'object' },
          },
        },
      },
    };
    const obj = { spec: { known: 'x', open: { a: { b: 1 } }, anything: { c: 1 }, bad: 1 } };
    expect(checkFields(set, schema, obj)).toEqual(['unknown field "spec.bad"']);
  });

  test('embedded resources allow apiVersion, kind and metadata', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: {} } },
        },
      },
    };
    const obj = { template: { apiVersion: 'v1', kind: 'Pod', metadata: {}, other: 1 } };
    expect(checkFields(set, schema, obj)).toEqual(['unknown field "template.other"']);
  });
});

describe('duplicate fields', () => {
  test.each([
    ['no duplicates', '{"a":1,"b":{"c":2}}', []],
    ['a repeated top-level key', '{"x":1,"x":2}', ['duplicate field "x"']],
    [
      'a repeated nested key carries its path',
      '{"spec":{"replicas":1,"replicas":2}}',
      ['duplicate field "spec.replicas"'],
    ],
    [
      'a repeated key inside a list item carries the index',
      '{"items":[{"a":1},{"a":1,"a":2}]}',
      ['duplicate field "items[1].a"'],
    ],
    ['escaped keys compare by value', '{"a\\u0062":1,"ab":2}', ['duplicate field "ab"']],
    [
      'malformed JSON reports what was seen before the error',
      '{"a":1,"a":',
      ['duplicate field "a"'],
    ],
  ])('%s', (_name, body, expected) => {
    expect(findDuplicateFields(body)).toEqual(expected);
  });

  test('YAML duplicates are reported with their line, as strict YAML decoding does', () => {
    const text = 'apiVersion: apps/v1\nspec:\n  replicas: 1\n  replicas: 2\n';
    expect(findDuplicateFieldsInYaml(text)).toBe(
      'yaml: unmarshal errors:\n  line 4: key "replicas" already set in map',
    );
    expect(findDuplicateFieldsInYaml('a: 1\nb: 2\n')).toBe('');
  });
});

describe('field validation directives', () => {
  test.each([
    [undefined, 'Warn'],
    ['', 'Warn'],
    ['Ignore', 'Ignore'],
    ['Strict', 'Strict'],
  ])('fieldValidation=%s means %s', (raw, expected) => {
    expect(parseFieldValidation(raw)).toBe(expected);
  });

  test('an unsupported fieldValidation value is a 422 on the options kind', () => {
    try {
      parseFieldValidation('Loud', 'PatchOptions');
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(StatusError);
      const status = (err as StatusError).status;
      expect(status.code).toBe(422);
      expect(status.message).toBe(
        'PatchOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loud": supported values: "Ignore", "Warn", "Strict"',
      );
    }
  });

  test("Strict rejects with upstream's 400 message", () => {
    const errors = ['unknown field "spec.foo"', 'duplicate field "spec.replicas"'];
    try {
      enforceFieldValidation('Strict', errors, { kind: 'Deployment', version: 'v1' });
      throw new Error('expected an error');
    } catch (err) {
      const status = (err as StatusError).status;
      expect(status.code).toBe(400);
      expect(status.reason).toBe('BadRequest');
      expect(status.message).toBe(
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo", duplicate field "spec.replicas"',
      );
    }
  });

  test('Warn returns one warning per problem and Ignore none', () => {
    const errors = ['unknown field "spec.foo"'];
    expect(enforceFieldValidation('Warn', errors, { kind: 'Pod', version: 'v1' })).toEqual(errors);
    expect(enforceFieldValidation('Ignore', errors, { kind: 'Pod', version: 'v1' })).toEqual([]);
  });
});
