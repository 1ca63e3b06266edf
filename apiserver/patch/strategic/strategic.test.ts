import type { StatusError } from '../../../common/index.js';
import { newSchemaSet } from '../../schema/index.js';
import type { Schema } from '../../schema/index.js';
import { strategicMergePatch, strategicMergePatchSupported } from './index.js';

/**
 * A test type shaped like upstream's strategicpatch `MergeItem`, so the table below can follow
 * the upstream test cases: a list merged by `name`, a replaced list, a merged scalar list, a
 * string map, a replace-strategy field and retainKeys fields.
 */
const set = newSchemaSet();
const item = (): Schema => ({ $ref: 'test.v1.MergeItem' });
set.register('test', {
  'test.v1.MergeItem': {
    type: 'object',
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      other: { type: 'string' },
      mergingList: {
        type: 'array',
        items: item(),
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'name',
      },
      nonMergingList: { type: 'array', items: item() },
      mergingIntList: {
        type: 'array',
        items: { type: 'integer' },
        'x-kubernetes-patch-strategy': 'merge',
      },
      nonMergingIntList: { type: 'array', items: { type: 'integer' } },
      mergeItemPtr: { ...item(), 'x-kubernetes-patch-strategy': 'merge' },
      simpleMap: { type: 'object', additionalProperties: { type: 'string' } },
      replacingItem: { type: 'object', 'x-kubernetes-patch-strategy': 'replace' },
      retainKeysMap: { $ref: 'test.v1.RetainKeysMap', 'x-kubernetes-patch-strategy': 'retainKeys' },
      retainKeysMergingList: {
        type: 'array',
        items: item(),
        'x-kubernetes-patch-strategy': 'merge,retainKeys',
        'x-kubernetes-patch-merge-key': 'name',
      },
      listOfLists: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
    },
  },
  'test.v1.RetainKeysMap': {
    type: 'object',
    properties: {
      name: { type: 'string' },
      value: { type: 'string' },
      other: { type: 'string' },
      simpleMap: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
});
const mergeItem = set.get('test.v1.MergeItem');

const apply = (original: object, patch: unknown): unknown =>
  strategicMergePatch(set, mergeItem, original as Record<string, unknown>, patch);

const n = (...names: (string | number)[]) => names.map((name) => ({ name: String(name) }));

describe('strategic merge patch (upstream strategicpatch cases)', () => {
  test.each<[string, object, unknown, object]>([
    ['a null patch changes nothing', { name: 'a' }, null, { name: 'a' }],
    ['a new field is added', { name: 'a' }, { value: 'v' }, { name: 'a', value: 'v' }],
    ['a scalar is replaced', { name: 'a', value: '1' }, { value: '2' }, { name: 'a', value: '2' }],
    ['null deletes a field', { name: 'a', value: '1' }, { value: null }, { name: 'a' }],
    ['null for a missing field is ignored', { name: 'a' }, { other: null }, { name: 'a' }],
    [
      'maps merge recursively',
      { simpleMap: { key1: 'v1' } },
      { simpleMap: { key2: 'v2' } },
      { simpleMap: { key1: 'v1', key2: 'v2' } },
    ],
    [
      'null deletes a map key',
      { simpleMap: { key1: 'v1', key2: 'v2' } },
      { simpleMap: { key1: null } },
      { simpleMap: { key2: 'v2' } },
    ],
    [
      '$patch: replace replaces a map',
      { simpleMap: { key1: 'v1' } },
      { simpleMap: { $patch: 'replace', key3: 'v3' } },
      { simpleMap: { key3: 'v3' } },
    ],
    [
      '$patch: delete empties a map',
      { mergeItemPtr: { name: 'x', value: 'y' } },
      { mergeItemPtr: { $patch: 'delete' } },
      { mergeItemPtr: {} },
    ],
    [
      'a replace-strategy map is replaced',
      { replacingItem: { a: 1, b: 2 } },
      { replacingItem: { c: 3 } },
      { replacingItem: { c: 3 } },
    ],
    [
      'a value of another type replaces the old one',
      { simpleMap: { key1: 'v1' } },
      { simpleMap: 'now a string' },
      { simpleMap: 'now a string' },
    ],
    [
      'items of a merging list merge by key',
      { mergingList: [{ name: '1', value: 'a' }, { name: '2' }] },
      { mergingList: [{ name: '1', other: 'b' }] },
      { mergingList: [{ name: '1', value: 'a', other: 'b' }, { name: '2' }] },
    ],
    [
      'a new merging-list item without $setElementOrder goes before server-only items',
      { mergingList: n(1, 2) },
      { mergingList: n(3) },
      { mergingList: n(3, 1, 2) },
    ],
    [
      '$patch: delete removes an item by key',
      { mergingList: n(1, 2) },
      { mergingList: [{ name: '1', $patch: 'delete' }] },
      { mergingList: n(2) },
    ],
    [
      '$patch: replace in a list replaces the whole list',
      { mergingList: n(1, 2) },
      { mergingList: [{ name: '3' }, { $patch: 'replace' }] },
      { mergingList: n(3) },
    ],
    [
      'a list without a merge strategy is replaced',
      { nonMergingList: n(1, 2) },
      { nonMergingList: n(3) },
      { nonMergingList: n(3) },
    ],
    [
      'a merged primitive list is a deduplicated union in server order',
      { mergingIntList: [1, 2] },
      { mergingIntList: [2, 3] },
      { mergingIntList: [1, 2, 3] },
    ],
    [
      'a primitive list without a merge strategy is replaced',
      { nonMergingIntList: [1, 2] },
      { nonMergingIntList: [3] },
      { nonMergingIntList: [3] },
    ],
    [
      '$deleteFromPrimitiveList removes values',
      { mergingIntList: [1, 2, 3] },
      { '$deleteFromPrimitiveList/mergingIntList': [2] },
      { mergingIntList: [1, 3] },
    ],
    [
      '$deleteFromPrimitiveList works on lists without a merge strategy too',
      { nonMergingIntList: [1, 2, 3] },
      { '$deleteFromPrimitiveList/nonMergingIntList': [1, 3] },
      { nonMergingIntList: [2] },
    ],
    [
      '$setElementOrder alone reorders the list',
      { mergingList: n(1, 2, 3) },
      { '$setElementOrder/mergingList': n(3, 2, 1) },
      { mergingList: n(3, 2, 1) },
    ],
    [
      '$setElementOrder places new items and keeps server-only items in live order',
      { mergingList: n(1, 2) },
      { '$setElementOrder/mergingList': n(3, 1), mergingList: n(3) },
      { mergingList: n(3, 1, 2) },
    ],
    [
      '$setElementOrder orders a primitive list',
      { mergingIntList: [1, 2] },
      { '$setElementOrder/mergingIntList': [3, 2, 1], mergingIntList: [3] },
      { mergingIntList: [3, 2, 1] },
    ],
    [
      '$setElementOrder with a deletion',
      { mergingList: n(1, 2, 3) },
      {
        '$setElementOrder/mergingList': n(3, 1),
        mergingList: [{ name: '2', $patch: 'delete' }],
      },
      { mergingList: n(3, 1) },
    ],
    [
      'add and delete an item in a list and preserve order',
      {
        mergingList: [
          { name: '1', other: 'a' },
          { name: '2', value: '2', other: 'b' },
          { name: '3', value: '3' },
        ],
      },
      {
        '$setElementOrder/mergingList': n(4, 2, 1),
        mergingList: [
          { name: '4', value: '4' },
          { name: '3', $patch: 'delete' },
        ],
      },
      {
        mergingList: [
          { name: '4', value: '4' },
          { name: '2', value: '2', other: 'b' },
          { name: '1', other: 'a' },
        ],
      },
    ],
    [
      'set elements order in a list with server-only items',
      { mergingList: n(1, 2, 7, 9, 8, 3, 4) },
      { '$setElementOrder/mergingList': n(2, 1, 4, 3) },
      { mergingList: n(2, 1, 7, 9, 8, 4, 3) },
    ],
    [
      'add an item in an int list and preserve order',
      { mergingIntList: [1, 2] },
      { '$setElementOrder/mergingIntList': [3, 1, 2], mergingIntList: [3] },
      { mergingIntList: [3, 1, 2] },
    ],
    [
      'add and delete an item in an int list and preserve order',
      { mergingIntList: [1, 2, 3] },
      {
        '$setElementOrder/mergingIntList': [4, 2, 1],
        mergingIntList: [4],
        '$deleteFromPrimitiveList/mergingIntList': [3],
      },
      { mergingIntList: [4, 2, 1] },
    ],
    [
      'set elements order in an int list with server-only items',
      { mergingIntList: [1, 2, 9, 3, 4] },
      { '$setElementOrder/mergingIntList': [2, 1, 4, 3] },
      { mergingIntList: [2, 1, 9, 4, 3] },
    ],
    [
      'set element order for a merging list with duplicates',
      {
        mergingList: [
          { name: '1' },
          { name: '2', value: 'dup1' },
          { name: '3' },
          { name: '2', value: 'dup2' },
          { name: '4' },
        ],
      },
      { '$setElementOrder/mergingList': n(2, 1, 4, 3, 2) },
      {
        mergingList: [
          { name: '2', value: 'dup1' },
          { name: '2', value: 'dup2' },
          { name: '1' },
          { name: '4' },
          { name: '3' },
        ],
      },
    ],
    [
      'retainKeys map clears a defaulted field (discriminated union)',
      { retainKeysMap: { name: 'type1', value: 'foo' } },
      { retainKeysMap: { $retainKeys: ['name', 'other'], name: 'type2', other: 'bar' } },
      { retainKeysMap: { name: 'type2', other: 'bar' } },
    ],
    [
      'retainKeys map deletes a field and clears a field',
      { retainKeysMap: { name: 'foo', value: 'bar', other: 'a' } },
      { retainKeysMap: { $retainKeys: ['name'], value: null } },
      { retainKeysMap: { name: 'foo' } },
    ],
    [
      '$retainKeys clears keys not listed',
      { retainKeysMap: { name: 'a', value: 'b', simpleMap: { k: 'v' } } },
      { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'c' } },
      { retainKeysMap: { name: 'a', value: 'c' } },
    ],
    [
      '$retainKeys in merging-list items',
      { retainKeysMergingList: [{ name: '1', value: 'a', other: 'o' }] },
      { retainKeysMergingList: [{ name: '1', $retainKeys: ['name', 'value'], value: 'b' }] },
      { retainKeysMergingList: [{ name: '1', value: 'b' }] },
    ],
    [
      'nulls inside a new subtree are dropped',
      {},
      { mergeItemPtr: { name: 'x', value: null } },
      { mergeItemPtr: { name: 'x' } },
    ],
    [
      'directive items inside a new list are dropped',
      {},
      { mergingList: [{ name: '1' }, { name: '2', $patch: 'delete' }] },
      { mergingList: n(1) },
    ],
    [
      'directive keys never reach the result',
      { nonMergingList: n(1) },
      { nonMergingList: [{ name: '2', $retainKeys: ['name'] }] },
      { nonMergingList: n(2) },
    ],
  ])('%s', (_name, original, patch, expected) => {
    expect(apply(original, patch)).toEqual(expected);
  });

  test.each<[string, object, unknown, number, string]>([
    [
      'a merging-list item without its merge key',
      { mergingList: n(1) },
      { mergingList: [{ value: 'x' }] },
      500,
      'map: map[value:x] does not contain declared merge key: name',
    ],
    [
      '$patch: merge inside a list',
      { mergingList: n(1) },
      { mergingList: [{ $patch: 'merge' }] },
      500,
      'merging lists cannot yet be specified in the patch',
    ],
    [
      'an unknown $patch value on a map',
      { mergeItemPtr: { name: 'x' } },
      { mergeItemPtr: { $patch: 'foo', name: 'x' } },
      500,
      'unknown patch type: foo in map: map[$patch:foo name:x]',
    ],
    [
      'a list of lists',
      { listOfLists: [['a']] },
      { listOfLists: [['b']], '$deleteFromPrimitiveList/listOfLists': [['a']] },
      422,
      'the server rejected our request due to an error in our request',
    ],
    [
      'a patch field missing from $retainKeys',
      { retainKeysMap: { name: 'a' } },
      { retainKeysMap: { $retainKeys: ['name'], value: 'c' } },
      400,
      'invalid patch format of retainKeys',
    ],
    [
      '$retainKeys that is not a list',
      { retainKeysMap: { name: 'a' } },
      { retainKeysMap: { $retainKeys: 'name' } },
      400,
      'invalid patch format of retainKeys',
    ],
    [
      'a malformed $setElementOrder key',
      { mergingList: n(1) },
      { $setElementOrderX: n(1) },
      400,
      'invalid patch format of setElementOrder list',
    ],
    [
      'a patch list in another order than $setElementOrder',
      { mergingList: n(1, 2) },
      { '$setElementOrder/mergingList': n(2, 1), mergingList: n(1, 2) },
      500,
      "The order in patch list:\n[map[name:1] map[name:2]]\n doesn't match $setElementOrder list:\n[map[name:2] map[name:1]]\n",
    ],
    [
      'a patch that is not an object',
      {},
      [{ op: 'add' }],
      400,
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    ],
  ])('%s is rejected', (_name, original, patch, code, message) => {
    let error: StatusError | undefined;
    try {
      apply(original, patch);
    } catch (err) {
      error = err as StatusError;
    }
    expect(error?.status.code).toBe(code);
    expect(error?.status.message).toBe(message);
  });

  test('the inputs are not modified', () => {
    const original = { mergingList: n(1, 2), simpleMap: { a: 'b' } };
    const patch = { mergingList: [{ name: '1', $patch: 'delete' }], simpleMap: { a: null } };
    const before = JSON.stringify([original, patch]);
    apply(original, patch);
    expect(JSON.stringify([original, patch])).toBe(before);
  });
});

describe('strategic merge patch on built-in types', () => {
  const deploymentSchema = set.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' });
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'] },
    spec: {
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'nginx:1', ports: [{ containerPort: 80, protocol: 'TCP' }] },
            { name: 'sidecar', image: 'envoy:1' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
  };
  const patchDeployment = (patch: object) =>
    strategicMergePatch(set, deploymentSchema, deployment, patch) as typeof deployment;

  test('containers merge by name, as PodSpec declares', () => {
    const out = patchDeployment({
      spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'envoy:2' }] } } },
    });
    expect(out.spec.template.spec.containers).toEqual([
      deployment.spec.template.spec.containers[0],
      { name: 'sidecar', image: 'envoy:2' },
    ]);
  });

  test('container ports merge by containerPort', () => {
    const out = patchDeployment({
      spec: {
        template: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 443 }] }] } },
      },
    });
    expect(out.spec.template.spec.containers[0].ports).toEqual([
      { containerPort: 443 },
      { containerPort: 80, protocol: 'TCP' },
    ]);
  });

  test("kubectl's retainKeys patch switches the deployment strategy", () => {
    const out = patchDeployment({
      spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } },
    });
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('a volume source is swapped with $retainKeys inside the merged item', () => {
    const out = patchDeployment({
      spec: {
        template: {
          spec: {
            volumes: [
              { name: 'data', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/x' } },
            ],
          },
        },
      },
    });
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'data', hostPath: { path: '/x' } }]);
  });

  test('finalizers merge as a set (new values first without $setElementOrder) and labels as a map', () => {
    const out = patchDeployment({ metadata: { finalizers: ['b'], labels: { tier: 'front' } } });
    expect(out.metadata.finalizers).toEqual(['b', 'a']);
    expect(out.metadata.labels).toEqual({ app: 'web', tier: 'front' });
  });

  test('custom resources do not support strategic merge patch', () => {
    expect(strategicMergePatchSupported({ strategicMerge: false })).toBe(false);
    expect(strategicMergePatchSupported({})).toBe(true);
  });
});
