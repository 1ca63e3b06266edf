import { newSchemaSet } from '../schema/index.js';
import type { Path } from './index.js';
import {
  FieldSet,
  buildManagerIdentifier,
  decodeManagedFields,
  encodeManagedFields,
  isResetManagedFields,
  managerOrUserAgent,
  newConflictError,
  printManager,
} from './index.js';
import { compare } from './compare.js';
import { merge, removeItems } from './merge.js';
import type { TypedContext } from './typed.js';

describe('managed fields entries', () => {
  test.each([
    [
      { manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1' },
      '{"manager":"kubectl","operation":"Update","apiVersion":"apps/v1"}',
    ],
    [
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1' },
      '{"manager":"kubectl","operation":"Apply"}',
    ],
    [
      {
        manager: 'ctl',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-01-01T00:00:00Z',
        subresource: 'status',
      },
      '{"manager":"ctl","operation":"Update","apiVersion":"v1","subresource":"status"}',
    ],
  ])('identifier of %j', (entry, id) => {
    expect(buildManagerIdentifier(entry)).toBe(id);
  });

  test.each<[string, unknown, string]>([
    [
      'a bad operation',
      [{ manager: 'a', operation: 'Create', apiVersion: 'v1', fieldsType: 'FieldsV1' }],
      'operation must be `Apply` or `Update`',
    ],
    [
      'a missing apiVersion',
      [{ manager: 'a', operation: 'Apply', fieldsType: 'FieldsV1' }],
      'apiVersion must not be empty',
    ],
    [
      'a missing fieldsType',
      [{ manager: 'a', operation: 'Apply', apiVersion: 'v1' }],
      'missing fieldsType in managed fields entry 0',
    ],
    [
      'another fieldsType',
      [{ manager: 'a', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV2' }],
      'invalid fieldsType "FieldsV2" in managed fields entry 0',
    ],
  ])('decoding rejects %s', (_name, entries, message) => {
    expect(() => decodeManagedFields(entries)).toThrow(message);
  });

  test('entries encode sorted by operation, time, then manager', () => {
    const managed = decodeManagedFields([
      {
        manager: 'z',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:a': {} },
      },
      {
        manager: 'b',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2026-01-02T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:b': {} },
      },
      {
        manager: 'a',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2026-01-02T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:c': {} },
      },
    ]);
    expect(encodeManagedFields(managed)!.map((e) => `${e.operation}/${e.manager}`)).toEqual([
      'Apply/a',
      'Apply/b',
      'Update/z',
    ]);
  });

  test.each([
    [[], true],
    [[{}], true],
    [null, false],
    [undefined, false],
    [[{ manager: 'a' }], false],
  ])('managedFields %j resets: %s', (value, expected) => {
    expect(isResetManagedFields(value)).toBe(expected);
  });

  test.each([
    ['{"manager":"kubectl","operation":"Apply"}', '"kubectl"'],
    ['{"manager":"ctl","operation":"Update","apiVersion":"apps/v1"}', '"ctl" using apps/v1'],
    [
      '{"manager":"ctl","operation":"Update","apiVersion":"v1","subresource":"status"}',
      '"ctl" with subresource "status" using v1',
    ],
    ['not json', '"not json"'],
  ])('manager %s prints as %s', (id, printed) => {
    expect(printManager(id)).toBe(printed);
  });

  test('a conflict error has upstream code, reason and causes', () => {
    const path: Path = [{ field: 'spec' }, { field: 'replicas' }];
    const err = newConflictError([{ manager: '{"manager":"a","operation":"Apply"}', path }]);
    expect(err.status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "a": .spec.replicas',
      details: {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "a"', field: '.spec.replicas' },
        ],
      },
    });
  });
});

describe('the manager of a write', () => {
  test.each([
    ['my-controller', 'kubectl/v1.33.1 (linux/amd64)', 'my-controller'],
    ['', 'kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0', 'kubectl'],
    [undefined, 'kube-controller-manager/v1.30.0', 'kube-controller-manager'],
    [undefined, 'bad\u0001agent/1', 'badagent'],
    [undefined, `${'x'.repeat(200)}/1`, 'x'.repeat(128)],
    [undefined, undefined, ''],
  ])('fieldManager %j with User-Agent %j is %j', (fm, ua, expected) => {
    expect(managerOrUserAgent(fm, ua)).toBe(expected);
  });
});

describe('typed values', () => {
  const ctx: TypedContext = { schemas: newSchemaSet(), strict: false };
  const podSpec = { $ref: 'io.k8s.api.core.v1.PodSpec' };
  const paths = (s: FieldSet) => s.paths().map((p) => p.map((e) => JSON.stringify(e)).join(''));

  test('merge joins keyed lists by key and keeps live order', () => {
    const live = {
      containers: [
        { name: 'a', image: '1' },
        { name: 'b', image: '1' },
      ],
    };
    const config = {
      containers: [
        { name: 'c', image: '3' },
        { name: 'a', image: '2' },
      ],
    };
    expect(merge(ctx, podSpec, live, config)).toEqual({
      containers: [
        { name: 'a', image: '2' },
        { name: 'b', image: '1' },
        { name: 'c', image: '3' },
      ],
    });
  });

  test('merge replaces atomic lists and maps whole', () => {
    const live = {
      nodeSelector: { a: '1', b: '2' },
      containers: [{ name: 'a', args: ['x', 'y'] }],
    };
    const config = { nodeSelector: { c: '3' }, containers: [{ name: 'a', args: ['z'] }] };
    expect(merge(ctx, podSpec, live, config)).toEqual({
      nodeSelector: { c: '3' },
      containers: [{ name: 'a', args: ['z'] }],
    });
  });

  test('a null in the configuration does not clear a granular map', () => {
    const live = { containers: [{ name: 'a' }] };
    expect(merge(ctx, podSpec, live, { containers: null })).toEqual(live);
  });

  test('compare reports added, modified and removed leaves and containers', () => {
    const cmp = compare(
      ctx,
      podSpec,
      { hostname: 'a', containers: [{ name: 'x', image: '1' }] },
      { subdomain: 's', containers: [{ name: 'x', image: '2' }, { name: 'y' }] },
    );
    expect(paths(cmp.modified)).toEqual([
      '{"field":"containers"}{"key":[["name","x"]]}{"field":"image"}',
    ]);
    expect(paths(cmp.removed)).toEqual(['{"field":"hostname"}']);
    expect(paths(cmp.added)).toEqual([
      '{"field":"subdomain"}',
      '{"field":"containers"}{"key":[["name","y"]]}',
      '{"field":"containers"}{"key":[["name","y"]]}{"field":"name"}',
    ]);
  });

  test('removeItems drops fields and list items and empties parents', () => {
    const value = { hostname: 'a', containers: [{ name: 'x', image: '1' }, { name: 'y' }] };
    const toRemove = FieldSet.of(
      [{ field: 'containers' }, { key: [['name', 'y']] }],
      [{ field: 'containers' }, { key: [['name', 'x']] }, { field: 'image' }],
    );
    expect(removeItems(ctx, podSpec, value, toRemove)).toEqual({
      hostname: 'a',
      containers: [{ name: 'x' }],
    });
    expect(
      removeItems(ctx, podSpec, { hostname: 'a' }, FieldSet.of([{ field: 'hostname' }])),
    ).toBeUndefined();
  });
});
