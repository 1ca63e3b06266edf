import type { Path, PathElement } from './fieldpath.js';
import {
  comparePathElements,
  deserializePathElement,
  keyElement,
  pathToString,
  serializePathElement,
} from './fieldpath.js';
import { FieldSet } from './set.js';

const f = (field: string): PathElement => ({ field });
const path = (...fields: string[]): Path => fields.map(f);

describe('path elements', () => {
  test.each<[string, PathElement, string]>([
    ['a field', f('replicas'), 'f:replicas'],
    [
      'a key, fields sorted by name',
      keyElement([
        ['protocol', 'TCP'],
        ['containerPort', 80],
      ]),
      'k:{"containerPort":80,"protocol":"TCP"}',
    ],
    ['a set value', { value: 'finalizer.example.com' }, 'v:"finalizer.example.com"'],
    ['an index', { index: 3 }, 'i:3'],
  ])('%s serializes as upstream and back', (_name, pe, text) => {
    expect(serializePathElement(pe)).toBe(text);
    expect(deserializePathElement(text)).toEqual(pe);
  });

  test('an unknown prefix is ignored and a malformed key rejected', () => {
    expect(deserializePathElement('x:whatever')).toBeUndefined();
    expect(() => deserializePathElement('k:[1]')).toThrow();
  });

  test('fields sort before keys, values and indexes', () => {
    const sorted = [{ index: 0 }, { value: 'a' }, keyElement([['name', 'a']]), f('b'), f('a')].sort(
      comparePathElements,
    );
    expect(sorted.map(serializePathElement)).toEqual([
      'f:a',
      'f:b',
      'k:{"name":"a"}',
      'v:"a"',
      'i:0',
    ]);
  });

  test('values order numbers before strings before booleans', () => {
    const sorted = [{ value: true }, { value: 'x' }, { value: 2 }, { value: 10 }].sort(
      comparePathElements,
    );
    expect(sorted.map(serializePathElement)).toEqual(['v:2', 'v:10', 'v:"x"', 'v:true']);
  });

  test('paths print as upstream prints them', () => {
    expect(
      pathToString([f('spec'), f('containers'), keyElement([['name', 'app']]), f('image')]),
    ).toBe('.spec.containers[name="app"].image');
    expect(
      pathToString([
        f('ports'),
        keyElement([
          ['containerPort', 80],
          ['protocol', 'TCP'],
        ]),
      ]),
    ).toBe('.ports[containerPort=80,protocol="TCP"]');
    expect(pathToString([f('finalizers'), { value: 'a' }, { index: 2 }])).toBe(
      '.finalizers[="a"][2]',
    );
  });
});

describe('field sets', () => {
  test('fieldsV1 marks a path that is both a member and a prefix with "."', () => {
    const s = FieldSet.of(
      path('metadata', 'labels'),
      path('metadata', 'labels', 'app'),
      path('spec', 'replicas'),
    );
    expect(s.toFieldsV1()).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:replicas': {} },
    });
    expect(FieldSet.fromFieldsV1(s.toFieldsV1()).equals(s)).toBe(true);
  });

  test('serialized keys come in path-element order', () => {
    const s = FieldSet.of(path('spec', 'b'), path('spec', 'a'), [f('spec'), { index: 0 }]);
    expect(JSON.stringify(s.toFieldsV1())).toBe('{"f:spec":{"f:a":{},"f:b":{},"i:0":{}}}');
  });

  test('decoding rejects a non-object value', () => {
    expect(() => FieldSet.fromFieldsV1({ 'f:a': 1 })).toThrow();
  });

  test.each<[string, (a: FieldSet, b: FieldSet) => FieldSet, string[]]>([
    ['union', (a, b) => a.union(b), ['.a', '.e', '.b.c', '.b.d']],
    ['intersection', (a, b) => a.intersection(b), ['.b.c']],
    ['difference keeps children of a removed member', (a, b) => a.difference(b), ['.a', '.b.d']],
    [
      'recursive difference removes under a removed member',
      (a, b) => b.recursiveDifference(FieldSet.of(path('b'))),
      ['.e'],
    ],
  ])('%s', (_name, op, expected) => {
    const a = FieldSet.of(path('a'), path('b', 'c'), path('b', 'd'));
    const b = FieldSet.of(path('b'), path('b', 'c'), path('e'));
    expect(
      op(a, b)
        .paths()
        .map(pathToString)
        .filter((p) => p !== '.b'),
    ).toEqual(expected);
  });

  test('paths list members before children at each level', () => {
    const s = FieldSet.of(path('spec', 'x'), path('metadata', 'name'), path('kind'));
    expect(s.paths().map(pathToString)).toEqual(['.kind', '.metadata.name', '.spec.x']);
  });

  test('has, withPrefix and empty', () => {
    const s = FieldSet.of(path('a', 'b'));
    expect(s.has(path('a', 'b'))).toBe(true);
    expect(s.has(path('a'))).toBe(false);
    expect(s.withPrefix(f('a')).has(path('b'))).toBe(true);
    expect(s.withPrefix(f('z')).empty()).toBe(true);
    expect(new FieldSet().empty()).toBe(true);
  });
});
