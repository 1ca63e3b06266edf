import { fieldErrorMessage } from '../../../common/index.js';
import { applyDefaults, pruneNonNullableNulls } from './default.js';
import { validateEmbeddedResources } from './embedded.js';
import { validateListSetsAndMaps } from './listtype.js';
import type { JsonObject, SchemaNode } from './node.js';
import { pruneCustomResource } from './prune.js';

const root = (spec: SchemaNode): SchemaNode => ({ type: 'object', properties: { spec } });

describe('pruning (schema/pruning, objectmeta coercion)', () => {
  test.each<[string, SchemaNode, JsonObject, JsonObject, string[]]>([
    [
      'fields the schema does not specify are removed; apiVersion, kind and metadata stay at the root',
      root({ type: 'object', properties: { a: { type: 'string' } } }),
      { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n' }, spec: { a: 'x', b: 1 }, top: 1 },
      { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n' }, spec: { a: 'x' } },
      ['spec.b', 'top'],
    ],
    [
      'metadata keeps only ObjectMeta fields',
      root({ type: 'object' }),
      { metadata: { name: 'n', labels: { a: 'b' }, color: 'red' } },
      { metadata: { name: 'n', labels: { a: 'b' } } },
      ['metadata.color'],
    ],
    [
      'an object without properties loses every field',
      root({ type: 'object' }),
      { spec: { a: 1, b: { c: 2 } } },
      { spec: {} },
      ['spec.a', 'spec.b'],
    ],
    [
      'x-kubernetes-preserve-unknown-fields keeps unknown fields but prunes inside known ones',
      root({
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: { known: { type: 'object', properties: { a: { type: 'string' } } } },
      }),
      { spec: { free: { x: 1 }, known: { a: 'a', b: 'b' } } },
      { spec: { free: { x: 1 }, known: { a: 'a' } } },
      ['spec.known.b'],
    ],
    [
      'additionalProperties schemas prune inside each value',
      root({
        type: 'object',
        additionalProperties: { type: 'object', properties: { a: { type: 'integer' } } },
      }),
      { spec: { k1: { a: 1, z: 2 } } },
      { spec: { k1: { a: 1 } } },
      ['spec.k1.z'],
    ],
    [
      'array items are pruned with their schema',
      root({
        type: 'object',
        properties: {
          l: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
        },
      }),
      { spec: { l: [{ a: 'x', b: 1 }, { c: 2 }] } },
      { spec: { l: [{ a: 'x' }, {}] } },
      ['spec.l[0].b', 'spec.l[1].c'],
    ],
    [
      'embedded resources keep apiVersion, kind and ObjectMeta metadata',
      root({
        type: 'object',
        properties: {
          template: {
            type: 'object',
            'x-kubernetes-embedded-resource': true,
            properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } },
          },
        },
      }),
      {
        spec: {
          template: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'p', bogus: 1 },
            spec: { x: 'a', y: 'b' },
            junk: 1,
          },
        },
      },
      {
        spec: {
          template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 'a' } },
        },
      },
      ['spec.template.metadata.bogus', 'spec.template.spec.y', 'spec.template.junk'],
    ],
  ])('%s', (_rule, schema, input, output, pruned) => {
    const obj = structuredClone(input);
    expect(pruneCustomResource(schema, obj)).toEqual(pruned);
    expect(obj).toEqual(output);
  });
});

describe('defaulting (schema/defaulting)', () => {
  const schema = root({
    type: 'object',
    properties: {
      replicas: { type: 'integer', default: 1 },
      mode: { type: 'string', default: 'auto', nullable: true },
      note: { type: 'string' },
      template: {
        type: 'object',
        default: {},
        properties: { size: { type: 'string', default: 'small' } },
      },
      items: {
        type: 'array',
        items: { type: 'object', properties: { weight: { type: 'integer', default: 5 } } },
      },
    },
  });

  test.each<[string, JsonObject, JsonObject]>([
    [
      'a missing field gets its default, and defaults apply inside defaults',
      {},
      { replicas: 1, mode: 'auto', template: { size: 'small' } },
    ],
    [
      'null in a non-nullable field is defaulted; null in a nullable one is kept',
      { replicas: null, mode: null },
      { replicas: 1, mode: null, template: { size: 'small' } },
    ],
    [
      'list items get the defaults of the items schema',
      { items: [{}, { weight: 2 }] },
      {
        replicas: 1,
        mode: 'auto',
        template: { size: 'small' },
        items: [{ weight: 5 }, { weight: 2 }],
      },
    ],
    [
      'set values are kept',
      { replicas: 3, mode: 'manual', template: { size: 'big' } },
      { replicas: 3, mode: 'manual', template: { size: 'big' } },
    ],
  ])('%s', (_rule, spec, expected) => {
    const obj: JsonObject = { spec: structuredClone(spec) };
    pruneNonNullableNulls(obj, schema);
    applyDefaults(obj, schema);
    expect(obj.spec).toEqual(expected);
  });

  test('PruneNonNullableNullsWithoutDefaults drops a null without default in a non-nullable field', () => {
    const obj: JsonObject = { spec: { note: null } };
    pruneNonNullableNulls(obj, schema);
    expect(obj.spec).toEqual({});
  });
});

describe('list types (schema/listtype)', () => {
  const schema = root({
    type: 'object',
    properties: {
      tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name', 'protocol'],
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, protocol: { type: 'string', default: 'TCP' } },
        },
      },
    },
  });

  test.each<[string, JsonObject, string[]]>([
    [
      'a set reports each duplicate once, at its second occurrence',
      { tags: ['a', 'b', 'a', 'a'] },
      ['spec.tags[2]: Duplicate value: "a"'],
    ],
    [
      'a map compares its key fields, a missing key counting as its default',
      {
        ports: [
          { name: 'http' },
          { name: 'http', protocol: 'TCP' },
          { name: 'http', protocol: 'UDP' },
        ],
      },
      ['spec.ports[1]: Duplicate value: {"name":"http","protocol":"TCP"}'],
    ],
    [
      'map items must be objects',
      { ports: [{ name: 'a' }, 'x'] },
      ['spec.ports[1]: Invalid value: "x": must be an object for an array of list-type map'],
    ],
    ['unique items pass', { tags: ['a', 'b'], ports: [{ name: 'a' }, { name: 'b' }] }, []],
  ])('%s', (_rule, spec, expected) => {
    expect(validateListSetsAndMaps(schema, { spec }).map(fieldErrorMessage)).toEqual(expected);
  });
});

describe('embedded resources (schema/objectmeta Validate)', () => {
  const schema = root({
    type: 'object',
    properties: {
      template: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        'x-kubernetes-preserve-unknown-fields': true,
      },
    },
  });

  test.each<[string, JsonObject, string[]]>([
    [
      'apiVersion and kind are required',
      {},
      [
        'spec.template.apiVersion: Required value: must not be empty',
        'spec.template.kind: Required value: must not be empty',
      ],
    ],
    [
      'kind must be a DNS-1035 label in lower case',
      { apiVersion: 'v1', kind: 'My_Kind' },
      [
        "spec.template.kind: Invalid value: \"My_Kind\": may have mixed case, but should otherwise match: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    [
      'metadata is ObjectMeta (labels checked)',
      { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { 'bad key': 'v' } } },
      [
        "spec.template.metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    [
      'a complete embedded object passes',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
      [],
    ],
  ])('%s', (_rule, template, expected) => {
    expect(
      validateEmbeddedResources(schema, { spec: { template } }).map(fieldErrorMessage),
    ).toEqual(expected);
  });
});
