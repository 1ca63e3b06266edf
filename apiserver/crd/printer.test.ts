import { JSONPath } from './jsonpath.js';
import { cellFor, customResourceTable } from './printer.js';

const obj = {
  metadata: {
    name: 'x',
    creationTimestamp: '2026-01-01T00:00:00Z',
    labels: { 'app.io/name': 'web' },
  },
  spec: {
    replicas: 3,
    ratio: 2.7,
    containers: [
      { name: 'a', image: 'img-a' },
      { name: 'b', image: 'img-b' },
    ],
    selector: { matchLabels: { z: '1', a: '2' } },
    none: null,
  },
  status: {
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'Synced', status: 'False' },
    ],
  },
};

describe('JSONPath (client-go util/jsonpath, AllowMissingKeys)', () => {
  test.each<[string, string, unknown[]]>([
    ['a dotted field path', '.spec.replicas', [3]],
    ['the {} template form', '{.spec.replicas}', [3]],
    ['a missing key reaches nothing', '.spec.missing.deeper', []],
    ['an index', '.spec.containers[1].image', ['img-b']],
    ['a negative index counts from the end', '.spec.containers[-1].name', ['b']],
    ['a wildcard over a list', '.spec.containers[*].name', ['a', 'b']],
    ['a slice', '.spec.containers[0:1].name', ['a']],
    ['a filter on a field value', '.status.conditions[?(@.type=="Ready")].status', ['True']],
    ['a filter with !=', ".status.conditions[?(@.status!='True')].type", ['Synced']],
    ['recursive descent', '..image', ['img-a', 'img-b']],
    ['a bracketed name with dots', ".metadata.labels['app.io/name']", ['web']],
    ['escaped dots in a dotted name', '.metadata.labels.app\\.io/name', ['web']],
    ['a union of indexes', '.spec.containers[0,1].name', ['a', 'b']],
  ])('%s: %s', (_rule, path, expected) => {
    expect(new JSONPath(path).find(obj)).toEqual(expected);
  });

  test('an unclosed bracket is a parse error', () => {
    expect(() => new JSONPath('.spec.containers[0')).toThrow(/unclosed array/);
  });
});

describe('custom resource Table (tableconvertor)', () => {
  const now = Date.parse('2026-01-01T00:05:00Z');

  test('without printer columns the table is Name and the default Age column', () => {
    const t = customResourceTable(undefined);
    expect(t.columns.map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Age', 'date', ''],
    ]);
    expect(t.cells(obj, { now })).toEqual(['x', '5m']);
  });

  test('printer columns keep their type, format, priority and description (defaulted from the path)', () => {
    const t = customResourceTable([
      {
        name: 'Replicas',
        type: 'integer',
        jsonPath: '.spec.replicas',
        priority: 1,
        format: 'int32',
      },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    ]);
    expect(t.columns[1]).toEqual({
      name: 'Replicas',
      type: 'integer',
      format: 'int32',
      description: 'Custom resource definition column (in JSONPath format): .spec.replicas',
      priority: 1,
    });
    expect(t.cells(obj, { now })).toEqual(['x', 3, 'True']);
  });

  test('a column whose path reaches nothing is null', () => {
    const t = customResourceTable([{ name: 'M', type: 'string', jsonPath: '.spec.missing' }]);
    expect(t.cells(obj, { now })).toEqual(['x', null]);
  });

  test.each<[string, string, unknown, unknown]>([
    ['string: a string as is', 'string', 'abc', 'abc'],
    [
      'string: an object as compact JSON with sorted keys',
      'string',
      { z: '1', a: '2' },
      '{"a":"2","z":"1"}',
    ],
    ['string: a list as JSON', 'string', ['a', 1], '["a",1]'],
    ['string: a number as text', 'string', 2.5, '2.5'],
    ['string: null prints as <no value>', 'string', null, '<no value>'],
    ['integer: a fraction is truncated', 'integer', 2.7, 2],
    ['integer: a string is null', 'integer', '3', null],
    ['number: a number', 'number', 2.7, 2.7],
    ['boolean: a boolean', 'boolean', false, false],
    ['boolean: a string is null', 'boolean', 'true', null],
    ['date: an RFC 3339 time is an age', 'date', '2026-01-01T00:00:00Z', '5m'],
    ['date: another string is <invalid>', 'date', 'yesterday', '<invalid>'],
    ['date: a number is null', 'date', 5, null],
  ])('cellForJSONValue %s', (_rule, type, value, expected) => {
    expect(cellFor(type, value, now)).toEqual(expected);
  });
});
