import { fieldErrorMessage } from '../../common/index.js';
import type { KubeObject } from '../registry/index.js';
import type { SchemaNode } from './schema/node.js';
import { CustomResourceStrategy } from './strategy.js';

const schema: SchemaNode = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: { replicas: { type: 'integer', default: 1 }, image: { type: 'string' } },
    },
    status: {
      type: 'object',
      properties: { replicas: { type: 'integer' }, selector: { type: 'string' } },
    },
  },
};

const strategy = (status: boolean, scale = false) =>
  new CustomResourceStrategy({
    group: 'stable.example.com',
    version: 'v1',
    kind: 'CronTab',
    namespaced: true,
    schema,
    status,
    ...(scale
      ? {
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        }
      : {}),
  });

const ct = (spec: unknown, status?: unknown, generation = 1): KubeObject => ({
  apiVersion: 'stable.example.com/v1',
  kind: 'CronTab',
  metadata: { name: 'a', namespace: 'default', generation },
  spec,
  ...(status === undefined ? {} : { status }),
});

describe('custom resource strategy (registry/customresource)', () => {
  test('PrepareForCreate drops status when /status is served and sets generation 1', () => {
    const obj = ct({ image: 'x' }, { replicas: 3 }, 7);
    strategy(true).prepareForCreate(obj);
    expect(obj.status).toBeUndefined();
    expect(obj.metadata?.generation).toBe(1);
  });

  test('without /status, create keeps status', () => {
    const obj = ct({ image: 'x' }, { replicas: 3 });
    strategy(false).prepareForCreate(obj);
    expect(obj.status).toEqual({ replicas: 3 });
  });

  test.each<[string, boolean, KubeObject, KubeObject, unknown, number]>([
    [
      'a spec change bumps generation (status subresource)',
      true,
      ct({ image: 'y' }),
      ct({ image: 'x' }, { replicas: 1 }),
      { replicas: 1 },
      2,
    ],
    [
      'a status change through the main resource is undone and does not bump (status subresource)',
      true,
      ct({ image: 'x' }, { replicas: 9 }),
      ct({ image: 'x' }, { replicas: 1 }),
      { replicas: 1 },
      1,
    ],
    [
      'without /status, a status change is a change outside metadata and bumps generation',
      false,
      ct({ image: 'x' }, { replicas: 9 }),
      ct({ image: 'x' }, { replicas: 1 }),
      { replicas: 9 },
      2,
    ],
    [
      'a metadata-only change never bumps',
      false,
      { ...ct({ image: 'x' }), metadata: { name: 'a', namespace: 'default', labels: { a: 'b' } } },
      ct({ image: 'x' }),
      undefined,
      1,
    ],
  ])('PrepareForUpdate: %s', (_rule, status, obj, old, expectedStatus, generation) => {
    strategy(status).prepareForUpdate(obj, old);
    expect(obj.status).toEqual(expectedStatus);
    expect(obj.metadata?.generation).toBe(generation);
  });

  test('a status update keeps everything but status and the request managedFields', () => {
    const old = ct({ image: 'x' }, { replicas: 1 }, 4);
    const obj = ct({ image: 'changed' }, { replicas: 2 }, 9);
    obj.metadata!.labels = { sneaky: 'yes' };
    obj.metadata!.managedFields = [{ manager: 'm' }];
    strategy(true).prepareForStatusUpdate(obj, old);
    expect(obj.spec).toEqual({ image: 'x' });
    expect(obj.status).toEqual({ replicas: 2 });
    expect(obj.metadata).toEqual({
      name: 'a',
      namespace: 'default',
      generation: 4,
      managedFields: [{ manager: 'm' }],
    });
  });

  test('normalize prunes unknown fields and applies defaults', () => {
    const obj = ct({ image: 'x', color: 'red' });
    obj.extra = true;
    strategy(true).normalize(obj);
    expect(obj.spec).toEqual({ image: 'x', replicas: 1 });
    expect(obj.extra).toBeUndefined();
  });

  test.each<[string, KubeObject, string[]]>([
    ['a valid object passes', ct({ image: 'x', replicas: 2 }), []],
    [
      'the name must be a DNS subdomain',
      { ...ct({}), metadata: { name: 'A_b', namespace: 'default' } },
      [
        "metadata.name: Invalid value: \"A_b\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    ],
    [
      'the kind must be the served kind',
      { ...ct({}), kind: 'Other' },
      ['kind: Invalid value: "Other": must be CronTab'],
    ],
    [
      'ValidateScaleSpec: spec replicas must not be negative',
      ct({ replicas: -1 }),
      ['.spec.replicas: Invalid value: -1: should be a non-negative integer'],
    ],
    [
      'ValidateScaleSpec: spec replicas must fit an int32',
      ct({ replicas: 2 ** 31 }),
      ['.spec.replicas: Invalid value: 2147483648: should be less than or equal to 2147483647'],
    ],
    [
      'ValidateScaleStatus: a non-integer status replicas is an accessor error',
      ct({}, { replicas: 1.5 }),
      [
        'status.replicas: Invalid value: "number": status.replicas in body must be of type integer: "number"',
        '.status.replicas: Invalid value: 0: .status.replicas accessor error: 1.5 is of the type float64, expected int64',
      ],
    ],
    [
      'ValidateScaleStatus: the selector must be a string',
      ct({}, { selector: 5 }),
      [
        'status.selector: Invalid value: "integer": status.selector in body must be of type string: "integer"',
        '.status.selector: Invalid value: "": .status.selector accessor error: 5 is of the type int64, expected string',
      ],
    ],
  ])('validateCreate: %s', (_rule, obj, expected) => {
    expect(strategy(true, true).validateCreate(obj).map(fieldErrorMessage)).toEqual(expected);
  });

  test('a status update validates status against the status schema only', () => {
    const old = ct({ image: 'x' }, { replicas: 1 });
    const obj = ct({ image: 'x' }, { replicas: 'many' });
    expect(strategy(true).validateStatusUpdate(obj, old).map(fieldErrorMessage)).toEqual([
      'status.replicas: Invalid value: "string": replicas in body must be of type integer: "string"',
    ]);
  });
});
