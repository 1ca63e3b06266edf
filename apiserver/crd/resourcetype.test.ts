import { StatusError } from '../../common/index.js';
import type { KubeObject } from '../registry/index.js';
import { checkFields, newSchemaSet } from '../schema/index.js';
import { customResourceDefinitions, customResourceTypes } from './resourcetype.js';

const schema = (extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        color: { type: 'string', default: 'blue' },
        opaque: { type: 'object' },
        ...extra,
      },
    },
  },
});

const crd: KubeObject = {
  metadata: { name: 'widgets.example.com', uid: 'u1' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: schema() },
        subresources: {
          status: {},
          scale: { specReplicasPath: '.spec.r', statusReplicasPath: '.status.r' },
        },
        selectableFields: [{ jsonPath: '.spec.color' }],
      },
      {
        name: 'v2',
        served: true,
        storage: false,
        schema: { openAPIV3Schema: schema({ size: { type: 'integer' } }) },
      },
      { name: 'v0', served: false, storage: false, schema: { openAPIV3Schema: schema() } },
    ],
  },
  status: {
    acceptedNames: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wd'],
    },
  },
};

describe('resource types of a CRD (crdHandler serving info)', () => {
  const state = { terminating: false };
  const [v1, v2] = customResourceTypes(crd, state);

  test('one type per served version, named from status.acceptedNames', () => {
    expect(customResourceTypes(crd, state).map((t) => t.version)).toEqual(['v1', 'v2']);
    expect(v1).toMatchObject({
      group: 'example.com',
      resource: 'widgets',
      singularName: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      namespaced: true,
      shortNames: ['wd'],
      subresources: ['status', 'scale'],
      scale: { specReplicasPath: '.spec.r', statusReplicasPath: '.status.r' },
      storagePrefix: 'example.com/widgets',
      strategicMerge: false,
      allowUnconditionalUpdate: false,
    });
    expect(v2!.subresources).toEqual([]);
  });

  test('conversion None: stored in the storage version, read back pruned and defaulted with its schema', () => {
    const obj = {
      apiVersion: 'example.com/v2',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { size: 3 },
    };
    expect(v2!.conversion!.toStorage(obj).apiVersion).toBe('example.com/v1');
    const stored = { ...obj, apiVersion: 'example.com/v1' };
    const read = v2!.conversion!.fromStorage(stored);
    expect(read).toEqual({
      apiVersion: 'example.com/v2',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { color: 'blue' },
    });
    expect(stored.spec).toEqual({ size: 3 });
  });

  test('selectableFields are field-selector labels, with metadata.name and metadata.namespace', () => {
    const obj = { metadata: { name: 'w', namespace: 'ns' }, spec: { color: 'red' } };
    expect(v1!.fieldLabels!(obj)).toEqual({
      'metadata.name': 'w',
      'metadata.namespace': 'ns',
      'spec.color': 'red',
    });
  });

  test('creates are refused with 405 while the CRD terminates', () => {
    const t = customResourceTypes(crd, { terminating: true })[0]!;
    const obj = { metadata: { name: 'w' } };
    let err: unknown;
    try {
      t.prepareForCreate!(obj, { namespace: 'default', now: '' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).status).toMatchObject({
      code: 405,
      reason: 'MethodNotAllowed',
      message: 'create not allowed while custom resource definition is terminating',
    });
  });

  test('registered schemas make field validation report fields of objects without properties', () => {
    const set = newSchemaSet();
    set.register('crd:widgets.example.com', customResourceDefinitions(crd));
    const def = set.forKind({ group: 'example.com', version: 'v1', kind: 'Widget' });
    expect(def).toBeDefined();
    expect(set.forKind({ group: 'example.com', version: 'v0', kind: 'Widget' })).toBeUndefined();
    const unknown = checkFields(set, def, {
      metadata: { name: 'w', bogus: 1 },
      spec: { color: 'x', opaque: { a: 1 }, other: 2 },
    });
    expect(unknown).toEqual([
      'unknown field "metadata.bogus"',
      'unknown field "spec.opaque.a"',
      'unknown field "spec.other"',
    ]);
  });
});
