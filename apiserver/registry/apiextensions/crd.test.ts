import { customResourceDefinitions } from './customresourcedefinitions.js';
import { validateOpenAPISchema, validateStructuralSchema } from './structural.js';
import { fieldErrorMessage } from '../../../common/index.js';
import { create, update, updateStatus } from '../testing/harness.js';

const schema = {
  type: 'object',
  properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } },
};
const crd = (overrides: Record<string, any> = {}) => ({
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
    ...overrides,
  },
});

describe('customresourcedefinitions: defaults and strategy', () => {
  test('singular, listKind and conversion default; storedVersions holds the storage version', () => {
    const { obj, errors } = create(customResourceDefinitions, crd());
    expect(errors).toEqual([]);
    expect((obj.spec as any).names).toEqual({
      plural: 'widgets',
      kind: 'Widget',
      singular: 'widget',
      listKind: 'WidgetList',
    });
    expect((obj.spec as any).conversion).toEqual({ strategy: 'None' });
    expect(obj.status).toEqual({ acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
    expect(obj.metadata!.generation).toBe(1);
  });

  test('a new storage version is appended to storedVersions on update', () => {
    const { obj: old } = create(customResourceDefinitions, crd());
    const next = structuredClone(old);
    (next.spec as any).versions = [
      { name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: schema } },
      { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: schema } },
    ];
    const { obj, errors } = update(customResourceDefinitions, next, old);
    expect(errors).toEqual([]);
    expect((obj.status as any).storedVersions).toEqual(['v1', 'v2']);
    expect(obj.metadata!.generation).toBe(2);
  });
});

describe('customresourcedefinitions: validation', () => {
  test.each([
    [
      'the name must be plural.group',
      { metadata: { name: 'widget.example.com' }, spec: crd().spec },
      'metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group',
    ],
    [
      'the group needs a dot',
      { metadata: { name: 'widgets.example' }, spec: crd({ group: 'example' }).spec },
      'spec.group: Invalid value: "example": should be a domain with at least one dot',
    ],
    [
      'scope is an enum',
      crd({ scope: 'Global' }),
      'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
    ],
    [
      'exactly one storage version',
      crd({
        versions: [
          { name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: schema } },
        ],
      }),
      /^spec.versions: Invalid value: .*: must have exactly one version marked as storage version$/,
    ],
    [
      'unique version names',
      crd({
        versions: [
          { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } },
          { name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: schema } },
        ],
      }),
      /^spec.versions: Invalid value: .*: must contain unique version names$/,
    ],
    [
      'schemas are required',
      crd({ versions: [{ name: 'v1', served: true, storage: true }] }),
      'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
    ],
    [
      'preserveUnknownFields is not allowed in v1',
      crd({ preserveUnknownFields: true }),
      'spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
    ],
    [
      'kind and listKind differ',
      crd({ names: { plural: 'widgets', kind: 'Widget', listKind: 'Widget' } }),
      'spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same',
    ],
    [
      'short names are DNS-1035 labels',
      crd({ names: { plural: 'widgets', kind: 'Widget', shortNames: ['W'] } }),
      /^spec.names.shortNames\[0\]: Invalid value: "W": a DNS-1035 label/,
    ],
    [
      'version names are DNS-1035 labels',
      crd({
        versions: [
          { name: 'V1', served: true, storage: true, schema: { openAPIV3Schema: schema } },
        ],
      }),
      /^spec.versions\[0\].name: Invalid value: "V1": a DNS-1035 label/,
    ],
  ])('%s', (_rule, input, message) => {
    const { errors } = create(customResourceDefinitions, input);
    if (typeof message === 'string') expect(errors).toContain(message);
    else expect(errors.some((e) => message.test(e))).toBe(true);
  });

  test('group and plural are immutable; scope once Established', () => {
    const { obj: old } = create(customResourceDefinitions, crd());
    old.status = {
      ...(old.status as object),
      conditions: [{ type: 'Established', status: 'True' }],
    };
    const next = structuredClone(old);
    (next.spec as any).scope = 'Cluster';
    expect(update(customResourceDefinitions, next, old).errors).toEqual([
      'spec.scope: Invalid value: "Cluster": field is immutable',
    ]);
  });

  test('storedVersions must appear in spec.versions', () => {
    const { obj: old } = create(customResourceDefinitions, crd());
    const next = {
      ...structuredClone(old),
      status: { ...(old.status as object), storedVersions: ['v1', 'v0'] },
    };
    expect(updateStatus(customResourceDefinitions, next, old).errors).toEqual([
      'status.storedVersions[1]: Invalid value: "v0": must appear in spec.versions',
    ]);
  });
});

describe('structural schemas (apiextensions-apiserver pkg/apiserver/schema/validation.go)', () => {
  const msgs = (s: Record<string, unknown>) =>
    validateStructuralSchema(s, 'schema').map(fieldErrorMessage);

  test.each([
    [
      'a field without type',
      { type: 'object', properties: { spec: {} } },
      [
        'schema.properties[spec].type: Required value: must not be empty for specified object fields',
      ],
    ],
    [
      'a root that is not an object',
      { type: 'string' },
      ['schema.type: Invalid value: "string": must be object at the root'],
    ],
    ['an empty root type', {}, ['schema.type: Required value: must not be empty at the root']],
    [
      'an array without items',
      { type: 'object', properties: { a: { type: 'array' } } },
      ['schema.properties[a].items: Required value: must be specified'],
    ],
    [
      'items without type',
      { type: 'object', properties: { a: { type: 'array', items: {} } } },
      [
        'schema.properties[a].items.type: Required value: must not be empty for specified array items',
      ],
    ],
    [
      'preserve-unknown-fields needs no type',
      { type: 'object', properties: { a: { 'x-kubernetes-preserve-unknown-fields': true } } },
      [],
    ],
    [
      'int-or-string needs no type',
      {
        type: 'object',
        properties: {
          a: {
            'x-kubernetes-int-or-string': true,
            anyOf: [{ type: 'integer' }, { type: 'string' }],
          },
        },
      },
      [],
    ],
    [
      'types under a junctor are not structural',
      { type: 'object', properties: { a: { type: 'string', anyOf: [{ type: 'string' }] } } },
      ['schema.properties[a].anyOf[0].type: Forbidden: must be empty to be structural'],
    ],
    [
      'metadata may only restrict name and generateName',
      {
        type: 'object',
        properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } },
      },
      [
        'schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
      ],
    ],
    [
      'metadata with name only is fine',
      {
        type: 'object',
        properties: {
          metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } },
        },
      },
      [],
    ],
    [
      'additionalProperties at the root',
      { type: 'object', additionalProperties: { type: 'string' } },
      ['schema.additionalProperties: Forbidden: must not be used at the root'],
    ],
  ])('%s', (_rule, s, expected) => {
    expect(msgs(s)).toEqual(expected);
  });

  test.each([
    ['$ref', { $ref: '#/x' }, 'schema.$ref: Forbidden: $ref is not supported'],
    [
      'uniqueItems',
      { type: 'array', uniqueItems: true },
      'schema.uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
    ],
    [
      'properties with additionalProperties',
      { type: 'object', properties: {}, additionalProperties: { type: 'string' } },
      'schema.additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive',
    ],
    [
      'unknown types',
      { type: 'date' },
      'schema.type: Unsupported value: "date": supported values: "array", "boolean", "integer", "number", "object", "string"',
    ],
    [
      'preserve-unknown-fields false',
      { type: 'object', 'x-kubernetes-preserve-unknown-fields': false },
      'schema.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined',
    ],
  ])('API validation rejects %s', (_rule, s, message) => {
    expect(validateOpenAPISchema(s, 'schema').map(fieldErrorMessage)).toContain(message);
  });
});
