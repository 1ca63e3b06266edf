import { fieldErrorMessage } from '../../../common/index.js';
import { blockingError, validateRules, type ValidationRule } from './cel.js';
import type { SchemaNode } from './node.js';

const spec = (rules: ValidationRule[], props: Record<string, SchemaNode> = {}): SchemaNode => ({
  type: 'object',
  properties: {
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      'x-kubernetes-validations': rules,
      properties: {
        replicas: { type: 'integer' },
        minReplicas: { type: 'integer' },
        ratio: { type: 'number' },
        name: { type: 'string' },
        items: { type: 'array', items: { type: 'integer' } },
        ...props,
      },
    },
  },
});

const run = (schema: SchemaNode, value: unknown, old?: unknown) =>
  validateRules(schema, value, old).map(fieldErrorMessage);

describe('x-kubernetes-validations (CEL)', () => {
  test.each<[string, ValidationRule, unknown, string[]]>([
    [
      'a true rule passes',
      { rule: 'self.minReplicas <= self.replicas' },
      { replicas: 3, minReplicas: 1 },
      [],
    ],
    [
      'a false rule without message: "failed rule: <rule>" on the node, valued with its type',
      { rule: 'self.minReplicas <= self.replicas' },
      { replicas: 1, minReplicas: 3 },
      ['spec: Invalid value: "object": failed rule: self.minReplicas <= self.replicas'],
    ],
    [
      'message replaces the default',
      { rule: 'self.replicas < 10', message: 'too many replicas' },
      { replicas: 12 },
      ['spec: Invalid value: "object": too many replicas'],
    ],
    [
      'messageExpression is evaluated',
      { rule: 'self.replicas < 10', messageExpression: "'replicas is ' + string(self.replicas)" },
      { replicas: 12 },
      ['spec: Invalid value: "object": replicas is 12'],
    ],
    [
      'reason FieldValueForbidden and fieldPath',
      {
        rule: "!has(self.name) || self.name != 'root'",
        reason: 'FieldValueForbidden',
        fieldPath: '.name',
        message: 'reserved',
      },
      { name: 'root' },
      ['spec.name: Forbidden: reserved'],
    ],
    ['number fields are doubles', { rule: 'self.ratio > 0.5' }, { ratio: 1 }, []],
    ['the strings extension', { rule: "self.name.lowerAscii() == 'abc'" }, { name: 'ABC' }, []],
    [
      'Kubernetes list functions: isSorted and sum',
      { rule: 'self.items.isSorted() && self.items.sum() == 6' },
      { items: [1, 2, 3] },
      [],
    ],
    [
      'an evaluation error names the missing key',
      { rule: 'self.replicas == 1' },
      { name: 'x' },
      ['spec: Invalid value: "object": no such key: replicas evaluating rule: self.replicas == 1'],
    ],
    [
      'transition rules are skipped on create',
      { rule: 'self.name == oldSelf.name', message: 'immutable' },
      { name: 'a' },
      [],
    ],
  ])('%s', (_rule, rule, value, expected) => {
    expect(run(spec([rule]), { spec: value })).toEqual(expected);
  });

  test('transition rules compare with the correlated old value on update', () => {
    const schema = spec([{ rule: 'self.name == oldSelf.name', message: 'name is immutable' }]);
    expect(
      run(schema, { spec: { name: 'b', replicas: 1 } }, { spec: { name: 'a', replicas: 1 } }),
    ).toEqual(['spec: Invalid value: "object": name is immutable']);
  });

  test('an unchanged value is ratcheted on update', () => {
    const schema = spec([{ rule: 'self.replicas < 10' }]);
    expect(run(schema, { spec: { replicas: 12 } }, { spec: { replicas: 12 } })).toEqual([]);
    expect(run(schema, { spec: { replicas: 13 } }, { spec: { replicas: 12 } })).toEqual([
      'spec: Invalid value: "object": failed rule: self.replicas < 10',
    ]);
  });

  test('rules on list items and at the root (self.metadata has only name and generateName)', () => {
    const schema: SchemaNode = {
      type: 'object',
      'x-kubernetes-validations': [
        { rule: "self.metadata.name.startsWith('a') && !has(self.metadata.labels)" },
      ],
      properties: {
        metadata: { type: 'object' },
        spec: {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              items: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self > 0' }] },
            },
          },
        },
      },
    };
    expect(
      run(schema, { metadata: { name: 'abc', labels: { x: 'y' } }, spec: { items: [1, -1] } }),
    ).toEqual(['spec.items[1]: Invalid value: "integer": failed rule: self > 0']);
    expect(run(schema, { metadata: { name: 'zz' }, spec: {} })).toEqual([
      `<nil>: Invalid value: "object": failed rule: self.metadata.name.startsWith('a') && !has(self.metadata.labels)`,
    ]);
  });

  test('blocking schema errors keep rules from running (hasBlockingErr)', () => {
    const err = blockingError([
      { type: 'FieldValueTypeInvalid', field: 'spec.x', value: 'string' },
    ]);
    expect(err && fieldErrorMessage(err)).toBe(
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    );
    expect(
      blockingError([{ type: 'FieldValueInvalid', field: 'spec.x', value: 1 }]),
    ).toBeUndefined();
  });
});
