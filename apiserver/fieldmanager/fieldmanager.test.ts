import type { StatusError } from '../../common/index.js';
import { FakeClock } from '../../common/index.js';
import { newSchemaSet } from '../schema/index.js';
import { FieldManager, defaultResetFields, lastAppliedConfigAnnotation } from './index.js';
import type { ManagedFieldsEntry } from './index.js';

type Obj = Record<string, any>;

const schemas = newSchemaSet();
const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
/** A deployment field manager whose objects are typed loosely for the assertions. */
const deploymentManager = (subresource = '', at: FakeClock = clock) => {
  const fm = new FieldManager({
    schemas,
    clock: at,
    gvk: { group: 'apps', version: 'v1', kind: 'Deployment' },
    subresource,
    resetFields: defaultResetFields(subresource, true),
  });
  return {
    update: (live: Obj | undefined, next: Obj, manager: string): Obj =>
      fm.update(live, next, manager),
    apply: (live: Obj | undefined, config: unknown, manager: string, force: boolean): Obj =>
      fm.apply(live, config, manager, force),
  };
};

const deployment = (replicas = 2, extra: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, ...extra.metadata },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
    },
    ...extra.spec,
  },
});

/** Marks an object as stored (creates and applies of new objects have no uid yet). */
const stored = (o: Obj): Obj => ({
  ...o,
  metadata: { ...o.metadata, uid: 'uid-1', resourceVersion: '1' },
});

const entries = (o: Obj): ManagedFieldsEntry[] => o.metadata.managedFields ?? [];
const entry = (o: Obj, manager: string) => entries(o).find((e) => e.manager === manager);

function statusOf(fn: () => unknown): StatusError['status'] {
  try {
    fn();
  } catch (err) {
    return (err as StatusError).status;
  }
  throw new Error('expected a StatusError');
}

describe('managed fields on update', () => {
  test('a create records an Update entry owning every field it set', () => {
    const at = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0, 750));
    const created = deploymentManager('', at).update(undefined, deployment(), 'kubectl-create');
    expect(entries(created)).toHaveLength(1);
    const e = entries(created)[0];
    expect(e).toMatchObject({
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2026-01-01T12:00:00Z',
      fieldsType: 'FieldsV1',
    });
    const fields = e.fieldsV1 as Obj;
    // A new map is owned itself ('.') and by key; list items by their merge keys, ports by the
    // defaulted protocol too; metadata itself, name and namespace are never owned.
    expect(fields['f:metadata']).toEqual({ 'f:labels': { '.': {}, 'f:app': {} } });
    expect(fields['f:spec']['f:replicas']).toEqual({});
    expect(fields['f:spec']['f:selector']).toEqual({});
    const container = fields['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}'];
    expect(container).toEqual({
      '.': {},
      'f:image': {},
      'f:name': {},
      'f:ports': {
        '.': {},
        'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
      },
    });
  });

  test('a second manager takes the fields it changes from the first', () => {
    const fm = deploymentManager();
    const live = stored(fm.update(undefined, deployment(), 'creator'));
    const next = structuredClone(live);
    next.spec.replicas = 5;
    const updated = fm.update(live, next, 'scaler');
    expect(entry(updated, 'scaler')!.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect((entry(updated, 'creator')!.fieldsV1 as Obj)['f:spec']['f:replicas']).toBeUndefined();
  });

  test('an update that changes nothing records nothing new', () => {
    const fm = deploymentManager();
    const live = stored(fm.update(undefined, deployment(), 'creator'));
    const updated = fm.update(live, structuredClone(live), 'someone-else');
    expect(entries(updated).map((e) => e.manager)).toEqual(['creator']);
  });

  test('updates of an object that has no managed fields do not start tracking', () => {
    const live = stored(deployment());
    const next = deployment(3);
    expect(deploymentManager().update(live, next, 'x').metadata.managedFields).toBeUndefined();
  });

  test('a request that sends managedFields: [] removes them entirely', () => {
    const fm = deploymentManager();
    const live = stored(fm.update(undefined, deployment(), 'creator'));
    const next: Obj = {
      ...structuredClone(live),
      metadata: { ...live.metadata, managedFields: [] },
    };
    next.spec.replicas = 4;
    expect(fm.update(live, next, 'resetter').metadata.managedFields).toBeUndefined();
  });

  test('a request that omits managedFields keeps the live ones', () => {
    const fm = deploymentManager();
    const live = stored(fm.update(undefined, deployment(), 'creator'));
    const next = structuredClone(live);
    delete next.metadata.managedFields;
    next.metadata.labels.tier = 'front';
    const updated = fm.update(live, next, 'labeller');
    expect(entries(updated).map((e) => e.manager)).toEqual(['creator', 'labeller']);
  });

  test('reset fields are never owned: status on the main resource, spec on /status', () => {
    const fm = deploymentManager();
    const live = stored(fm.update(undefined, deployment(), 'creator'));
    const withStatus = { ...structuredClone(live), status: { replicas: 2 } };
    expect(entry(fm.update(live, withStatus, 'writer'), 'writer')).toBeUndefined();
    const statusManager = deploymentManager('status');
    const fromStatus = statusManager.update(live, withStatus, 'controller');
    expect(entry(fromStatus, 'controller')).toMatchObject({
      subresource: 'status',
      fieldsV1: { 'f:status': { '.': {}, 'f:replicas': {} } },
    });
  });

  test('the manager falls back to "unknown" when none is given', () => {
    const created = deploymentManager().update(undefined, deployment(), '');
    expect(entries(created)[0].manager).toBe('unknown');
  });

  test('invalid managed fields in the live object are dropped without failing the write', () => {
    const fm = deploymentManager();
    const live = stored({
      ...deployment(),
      metadata: { ...deployment().metadata, managedFields: [{ manager: 'x' }] },
    });
    const next = structuredClone(live);
    delete next.metadata.managedFields;
    next.spec.replicas = 9;
    expect(fm.update(live, next, 'y').metadata.managedFields).toBeUndefined();
  });

  test('more than ten update managers are merged, oldest first, into ancient-changes', () => {
    const fm = deploymentManager();
    let live = stored(fm.update(undefined, deployment(), 'creator'));
    for (let i = 1; i <= 11; i++) {
      clock.step(1000);
      const next = structuredClone(live);
      next.metadata.labels[`l${i}`] = 'x';
      live = fm.update(live, next, `m${i}`);
    }
    const managers = entries(live).map((e) => e.manager);
    expect(managers).toHaveLength(10);
    expect(managers).toContain('ancient-changes');
    expect(managers).not.toContain('creator');
    expect(managers).not.toContain('m1');
    expect(managers).toContain('m11');
  });
});

describe('server-side apply', () => {
  test('applying a new object records an Apply entry without apiVersion in its identity', () => {
    const applied = deploymentManager().apply(undefined, deployment(), 'kubectl', false);
    expect(applied.spec.replicas).toBe(2);
    expect(entries(applied)).toHaveLength(1);
    expect(entries(applied)[0]).toMatchObject({
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
    });
    expect((entries(applied)[0].fieldsV1 as Obj)['f:metadata']).toEqual({
      'f:labels': { 'f:app': {} },
    });
  });

  test('a conflicting field is a 409 naming the manager and path, with one cause', () => {
    const fm = deploymentManager();
    const live = stored(fm.apply(undefined, deployment(), 'kubectl', false));
    const scaled = structuredClone(live);
    scaled.spec.replicas = 5;
    const afterScale = fm.update(live, scaled, 'kubectl-client-side-apply');
    const status = statusOf(() => fm.apply(afterScale, deployment(3), 'kubectl', false));
    expect(status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-client-side-apply" using apps/v1',
            field: '.spec.replicas',
          },
        ],
      },
    });
  });

  test('several conflicts are grouped by manager', () => {
    const fm = deploymentManager();
    const live = stored(fm.apply(undefined, deployment(), 'a', false));
    const status = statusOf(() =>
      fm.apply(live, deployment(7, { metadata: { labels: { app: 'other' } } }), 'b', false),
    );
    expect(status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "a":\n- .metadata.labels.app\n- .spec.replicas',
    );
    expect(status.details!.causes).toHaveLength(2);
  });

  test('applying the same values as another manager shares ownership without conflict', () => {
    const fm = deploymentManager();
    const live = stored(fm.apply(undefined, deployment(), 'a', false));
    const shared = fm.apply(live, deployment(), 'b', false);
    // The object did not change, so b's entry has no time and sorts first, as upstream does.
    expect(entries(shared).map((e) => [e.manager, e.time])).toEqual([
      ['b', undefined],
      ['a', entry(live, 'a')!.time],
    ]);
    expect(entry(shared, 'b')!.fieldsV1).toEqual(entry(shared, 'a')!.fieldsV1);
  });

  test('force takes ownership of conflicting fields', () => {
    const fm = deploymentManager();
    const live = stored(fm.apply(undefined, deployment(), 'a', false));
    const forced = fm.apply(live, deployment(4), 'b', true);
    expect(forced.spec.replicas).toBe(4);
    expect((entry(forced, 'a')!.fieldsV1 as Obj)['f:spec']['f:replicas']).toBeUndefined();
    expect((entry(forced, 'b')!.fieldsV1 as Obj)['f:spec']['f:replicas']).toEqual({});
  });

  test('a field the manager stops applying is removed when no one else owns it', () => {
    const fm = deploymentManager();
    const live = stored(
      fm.apply(undefined, deployment(2, { metadata: { annotations: { note: 'x' } } }), 'a', false),
    );
    const after = fm.apply(live, deployment(2), 'a', false);
    expect(after.metadata.annotations).toBeUndefined();
    expect(after.metadata.labels).toEqual({ app: 'web' });
  });

  test('a field the manager stops applying stays when another manager owns it', () => {
    const fm = deploymentManager();
    const base = deployment(2, { metadata: { annotations: { note: 'x' } } });
    let live = stored(fm.apply(undefined, base, 'a', false));
    live = fm.apply(live, base, 'b', false);
    const after = fm.apply(live, deployment(2), 'a', false);
    expect(after.metadata.annotations).toEqual({ note: 'x' });
  });

  test('a list item the manager stops applying is removed', () => {
    const fm = deploymentManager();
    const two = deployment();
    two.spec.template.spec.containers.push({ name: 'sidecar', image: 'envoy' });
    const live = stored(fm.apply(undefined, two, 'a', false));
    const after = fm.apply(live, deployment(), 'a', false);
    expect(after.spec.template.spec.containers.map((c: Obj) => c.name)).toEqual(['web']);
  });

  test('applying an object without managed fields makes a before-first-apply owner of the existing fields', () => {
    const live = stored(deployment(2));
    const applied = deploymentManager().apply(live, deployment(2), 'kubectl', false);
    expect(entries(applied).map((e) => [e.manager, e.operation])).toEqual([
      ['kubectl', 'Apply'],
      ['before-first-apply', 'Update'],
    ]);
    const status = statusOf(() =>
      deploymentManager().apply(stored(deployment(2)), deployment(3), 'kubectl', false),
    );
    expect(status.message).toBe(
      'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas',
    );
  });

  test('an apply that changes nothing keeps the object and its apply time', () => {
    const fm = deploymentManager();
    const live = stored(fm.apply(undefined, deployment(), 'a', false));
    const time = entry(live, 'a')!.time;
    clock.step(60_000);
    const again = fm.apply(live, deployment(), 'a', false);
    expect(entry(again, 'a')!.time).toBe(time);
    expect(again.spec).toEqual(live.spec);
  });

  test.each<[string, Obj, number, string]>([
    [
      'another kind',
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } },
      400,
      'invalid object type: /v1, Kind=Pod',
    ],
    [
      'managedFields in the configuration',
      { ...deployment(), metadata: { name: 'web', managedFields: [] } },
      400,
      'metadata.managedFields must be nil',
    ],
    [
      'an unknown field',
      deployment(2, { spec: { foo: 1 } }),
      500,
      'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema',
    ],
    [
      'a value of the wrong type',
      deployment('two' as unknown as number),
      500,
      'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string "two"',
    ],
  ])('a configuration with %s is rejected', (_name, config, code, message) => {
    const status = statusOf(() => deploymentManager().apply(undefined, config, 'a', false));
    expect(status.code).toBe(code);
    expect(status.message).toBe(message);
  });

  test('duplicate keys in a keyed list are rejected', () => {
    const dup = deployment();
    dup.spec.template.spec.containers.push({ name: 'web', image: 'other' });
    const status = statusOf(() => deploymentManager().apply(undefined, dup, 'a', false));
    expect(status.message).toBe(
      'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="web"]',
    );
  });

  test('kubectl upgrading from client-side apply may take fields the last-applied configuration set', () => {
    const fm = deploymentManager();
    const lastApplied = JSON.stringify(deployment(2));
    const annotated = deployment(2, {
      metadata: { annotations: { [lastAppliedConfigAnnotation]: lastApplied } },
    });
    const live = stored(fm.update(undefined, annotated, 'kubectl-client-side-apply'));
    const upgraded = fm.apply(live, deployment(3), 'kubectl', false);
    expect(upgraded.spec.replicas).toBe(3);
    expect(JSON.parse(upgraded.metadata.annotations[lastAppliedConfigAnnotation])).toEqual(
      deployment(3),
    );
    expect(upgraded.metadata.annotations[lastAppliedConfigAnnotation].endsWith('\n')).toBe(true);
    // Another manager name gets the conflict.
    expect(statusOf(() => fm.apply(live, deployment(3), 'other', false)).code).toBe(409);
  });

  test('sets own their values (finalizers) and atomic maps own the whole map (selector)', () => {
    const config = deployment(2, { metadata: { finalizers: ['example.com/a'] } });
    const applied = deploymentManager().apply(undefined, config, 'a', false);
    const fields = entry(applied, 'a')!.fieldsV1 as Obj;
    expect(fields['f:metadata']['f:finalizers']).toEqual({ 'v:"example.com/a"': {} });
    expect(fields['f:spec']['f:selector']).toEqual({});
  });

  test('custom resources with preserve-unknown-fields are owned field by field', () => {
    const crd = newSchemaSet();
    crd.register('crd', {
      'com.example.v1.Widget': {
        type: 'object',
        'x-kubernetes-group-version-kind': [
          { group: 'example.com', version: 'v1', kind: 'Widget' },
        ],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { $ref: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
          spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    });
    const fm = new FieldManager({
      schemas: crd,
      clock,
      gvk: { group: 'example.com', version: 'v1', kind: 'Widget' },
    });
    const applied = fm.apply(
      undefined,
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
        spec: { size: 1, nested: { a: [1, 2] } },
      },
      'a',
      false,
    );
    expect(entry(applied, 'a')!.fieldsV1).toEqual({
      'f:spec': { 'f:nested': { '.': {}, 'f:a': {} }, 'f:size': {} },
    });
  });
});
