import { builtinResourceTypes, findResourceType } from './index.js';

describe('the built-in catalogue', () => {
  const types = builtinResourceTypes();

  test('every group/version/resource is unique', () => {
    const keys = types.map((t) => `${t.group}/${t.version}/${t.resource}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('short names are unique within a group/version', () => {
    const seen = new Map<string, string>();
    for (const t of types) {
      for (const s of t.shortNames ?? []) {
        const k = `${t.group}/${t.version}/${s}`;
        expect(seen.get(k)).toBeUndefined();
        seen.set(k, t.resource);
      }
    }
  });

  // Create-only kinds (the reviews) are never stored, listed or printed.
  const listable = types.filter((t) => t.verbs === undefined || t.verbs.includes('list'));

  test.each(listable.map((t) => [`${t.group || 'core'}/${t.version} ${t.resource}`, t] as const))(
    '%s has a table whose rows match its columns and field labels with metadata.name',
    (_name, t) => {
      const obj = {
        metadata: {
          name: 'x',
          namespace: t.namespaced ? 'ns' : undefined,
          creationTimestamp: '2024-01-01T00:00:00Z',
        },
      };
      const table = t.table!;
      expect(
        table.columns[0].name === 'Name' || table.columns.some((c) => c.format === 'name'),
      ).toBe(true);
      expect(table.cells(obj, { now: Date.parse('2024-01-01T00:00:05Z') })).toHaveLength(
        table.columns.length,
      );
      const labels = t.fieldLabels!(obj);
      expect(labels['metadata.name']).toBe('x');
      expect('metadata.namespace' in labels).toBe(t.namespaced);
      expect(t.singularName).toBe(t.singularName.toLowerCase());
      if (t.subresources?.includes('scale')) expect(t.scale).toBeDefined();
    },
  );

  test('types with a status subresource reset status on create and set generation 1, except nodes', () => {
    for (const t of types.filter(
      (x) => x.subresources?.includes('status') && x.resource !== 'nodes',
    )) {
      const obj: Record<string, any> = {
        metadata: { name: 'x' },
        spec: {},
        status: { bogus: true },
      };
      t.prepareForCreate!(obj, { namespace: '', now: '' });
      expect([t.resource, obj.status?.bogus]).toEqual([t.resource, undefined]);
    }
  });

  test.each([
    ['', 'nodes', 'minions'],
    ['', 'services', 'services/specs'],
    ['', 'endpoints', 'services/endpoints'],
    ['', 'replicationcontrollers', 'controllers'],
    ['networking.k8s.io', 'ingresses', 'ingress'],
    [
      'apiextensions.k8s.io',
      'customresourcedefinitions',
      'apiextensions.k8s.io/customresourcedefinitions',
    ],
    ['autoscaling', 'horizontalpodautoscalers', 'horizontalpodautoscalers'],
    ['events.k8s.io', 'events', 'events'],
  ])(
    '%s %s are stored under /registry/%s/ as upstream (test/integration/etcd/data.go)',
    (group, resource, prefix) => {
      for (const t of types.filter((x) => x.group === group && x.resource === resource)) {
        expect(t.storagePrefix ?? t.resource).toBe(prefix);
      }
    },
  );

  test('findResourceType looks types up by group, version and resource', () => {
    expect(findResourceType('apps', 'v1', 'deployments')?.kind).toBe('Deployment');
    expect(findResourceType('', 'v1', 'nothing')).toBeUndefined();
  });
});
