/**
 * ControllerRevision history, after upstream's `controller_history_test.go`
 * (`TestSortControllerRevisions`, `TestFindEqualRevisions`, `TestCreateControllerRevision` with
 * its collision case, `TestUpdateControllerRevision`) and the template patch both controllers
 * store (`getPatch` / `ApplyRevision`). Server cases run against the in-process API server.
 */
import {
  ControllerRevision,
  Namespace,
  StatefulSet,
  labelSelectorFromObject,
  type ApiClient,
  type Manager,
} from '../../framework/index.js';
import { eventually, startTestEnv, type TestEnv } from '../../framework/testing/index.js';
import {
  applyTemplatePatch,
  controllerRevisionHashLabel,
  controllerRevisionName,
  ControllerHistory,
  equalRevision,
  findEqualRevisions,
  hashControllerRevision,
  maxRevision,
  newControllerRevision,
  nextRevision,
  sortControllerRevisions,
  templateMatches,
  templatePatch,
  type Revision,
} from './index.js';

const parent = (name = 'web', uid = 'uid-1'): StatefulSet => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name, namespace: 'ns', uid },
  spec: {
    selector: { matchLabels: { app: name } },
    serviceName: name,
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'c', image: 'i:1' }] },
    },
  },
});

const rev = (
  name: string,
  revision: number,
  created: string,
  data: unknown = { a: name },
): Revision => ({
  metadata: { name, creationTimestamp: created },
  revision,
  data: data as object,
});

describe('revisions as values', () => {
  test.each<[string, Revision[], string[]]>([
    [
      'by revision number',
      [
        rev('c', 3, '2026-01-01T00:00:00Z'),
        rev('a', 1, '2026-01-01T00:00:00Z'),
        rev('b', 2, '2026-01-01T00:00:00Z'),
      ],
      ['a', 'b', 'c'],
    ],
    [
      'equal numbers by creation time',
      [rev('x', 1, '2026-01-01T00:00:02Z'), rev('y', 1, '2026-01-01T00:00:01Z')],
      ['y', 'x'],
    ],
    [
      'equal numbers and times by name',
      [rev('b', 1, '2026-01-01T00:00:00Z'), rev('a', 1, '2026-01-01T00:00:00Z')],
      ['a', 'b'],
    ],
    ['nothing to sort', [], []],
  ])('SortControllerRevisions orders %s', (_n, input, want) => {
    expect(sortControllerRevisions(input).map((r) => r.metadata?.name)).toEqual(want);
  });

  test('the revision name cuts the parent name to 223 characters', () => {
    expect(controllerRevisionName('x'.repeat(300), 'abc')).toBe(`${'x'.repeat(223)}-abc`);
    expect(controllerRevisionName('web', 'abc')).toBe('web-abc');
  });

  test('the hash depends on the data and the collision count, not on key order', () => {
    const a = hashControllerRevision({ data: { x: 1, y: 2 } });
    expect(hashControllerRevision({ data: { y: 2, x: 1 } })).toBe(a);
    expect(hashControllerRevision({ data: { x: 1, y: 3 } })).not.toBe(a);
    expect(hashControllerRevision({ data: { x: 1, y: 2 } }, 1)).not.toBe(a);
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  test('a new revision is controlled by the parent, named and labelled with its hash', () => {
    const cr = newControllerRevision({
      parent: parent(),
      parentKind: StatefulSet,
      templateLabels: { app: 'web' },
      data: templatePatch(parent()),
      revision: 1,
      collisionCount: 0,
    });
    const hash = cr.metadata!.labels![controllerRevisionHashLabel]!;
    expect(cr.metadata!.name).toBe(`web-${hash}`);
    expect(cr.metadata!.labels!.app).toBe('web');
    expect(cr.metadata!.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        name: 'web',
        uid: 'uid-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });

  test.each<[string, Revision | undefined, Revision | undefined, boolean]>([
    ['equal data', rev('a', 1, '', { x: 1 }), rev('b', 2, '', { x: 1 }), true],
    ['different data', rev('a', 1, '', { x: 1 }), rev('b', 1, '', { x: 2 }), false],
    ['both missing', undefined, undefined, true],
    ['one missing', rev('a', 1, ''), undefined, false],
    [
      'different hash labels despite equal data',
      {
        ...rev('a', 1, '', { x: 1 }),
        metadata: { labels: { [controllerRevisionHashLabel]: 'h1' } },
      },
      {
        ...rev('b', 1, '', { x: 1 }),
        metadata: { labels: { [controllerRevisionHashLabel]: 'h2' } },
      },
      false,
    ],
  ])('EqualRevision: %s', (_n, a, b, want) => {
    expect(equalRevision(a, b)).toBe(want);
  });

  test('FindEqualRevisions keeps the input order', () => {
    const revisions = [
      rev('a', 1, '', { x: 1 }),
      rev('b', 2, '', { x: 2 }),
      rev('c', 3, '', { x: 1 }),
    ];
    expect(
      findEqualRevisions(revisions, rev('n', 0, '', { x: 1 })).map((r) => r.metadata?.name),
    ).toEqual(['a', 'c']);
  });

  test('nextRevision and maxRevision', () => {
    expect(nextRevision([])).toBe(1);
    expect(nextRevision([rev('a', 1, ''), rev('b', 4, '')])).toBe(5);
    expect(maxRevision([rev('a', 7, ''), rev('b', 4, '')])).toBe(7);
    expect(maxRevision([])).toBe(0);
  });
});

describe('the template patch', () => {
  test('records the template with $patch replace', () => {
    expect(templatePatch(parent())).toEqual({
      spec: { template: { ...parent().spec!.template, $patch: 'replace' } },
    });
  });

  test('matches its own object and not a changed template', () => {
    const set = parent();
    const data = templatePatch(set);
    expect(templateMatches(set, data)).toBe(true);
    set.spec!.template.spec!.containers[0]!.image = 'i:2';
    expect(templateMatches(set, data)).toBe(false);
  });

  test('applying a revision restores the recorded template and nothing else', () => {
    const old = parent();
    const data = templatePatch(old);
    const changed = parent();
    changed.spec!.template.spec!.containers[0]!.image = 'i:2';
    changed.spec!.replicas = 5;
    const restored = applyTemplatePatch(changed, data);
    expect(restored.spec!.template).toEqual(old.spec!.template);
    expect(restored.spec!.replicas).toBe(5);
    expect(changed.spec!.template.spec!.containers[0]!.image).toBe('i:2');
  });
});

describe('ControllerHistory against the API server', () => {
  let env: TestEnv;
  let manager: Manager;
  let api: ApiClient;
  let history: ControllerHistory;
  let running: Promise<void>;

  beforeAll(async () => {
    env = await startTestEnv();
    api = env.client;
    await api.create(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } },
      { kind: Namespace },
    );
    manager = env.newManager();
    const informer = await manager.informers.informerFor(ControllerRevision);
    running = manager.start();
    await eventually(async () => informer.hasSynced(), 'the informer to sync');
    history = new ControllerHistory({
      client: manager.client,
      api: manager.apiClient,
      informer: informer as never,
    });
  });

  afterAll(async () => {
    manager.stop();
    await running.catch(() => undefined);
    await env.stop();
  });

  const revisionFor = (set: StatefulSet, n: number) =>
    newControllerRevision({
      parent: set,
      parentKind: StatefulSet,
      templateLabels: set.spec!.template.metadata!.labels,
      data: templatePatch(set),
      revision: n,
    });

  test('create returns the existing revision when the same data is there already', async () => {
    const set = parent('same', 'uid-same');
    const first = await history.create(set, revisionFor(set, 1), 0);
    const again = await history.create(set, revisionFor(set, 1), 0);
    expect(again.revision.metadata?.uid).toBe(first.revision.metadata?.uid);
    expect(again.collisionCount).toBe(0);
  });

  test('a name taken by other data bumps the collision count and renames', async () => {
    const set = parent('coll', 'uid-coll');
    const wanted = revisionFor(set, 1);
    const name = controllerRevisionName('coll', hashControllerRevision(wanted, 0));
    await api.create(
      {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name, namespace: 'ns' },
        data: { other: true },
        revision: 1,
      },
      { kind: ControllerRevision },
    );
    const created = await history.create(set, wanted, 0);
    expect(created.collisionCount).toBe(1);
    expect(created.revision.metadata?.name).toBe(
      controllerRevisionName('coll', hashControllerRevision(wanted, 1)),
    );
  });

  test('list returns owned and orphaned revisions matching the selector', async () => {
    const set = parent('lst', 'uid-lst');
    const owned = (await history.create(set, revisionFor(set, 1), 0)).revision;
    await api.create(
      {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name: 'lst-orphan', namespace: 'ns', labels: { app: 'lst' } },
        data: {},
        revision: 2,
      },
      { kind: ControllerRevision },
    );
    const other = revisionFor(parent('lst', 'uid-someone-else'), 3);
    other.metadata!.name = 'lst-foreign';
    await api.create(other, { kind: ControllerRevision });
    await api.create(
      {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: { name: 'lst-unlabelled', namespace: 'ns' },
        data: {},
        revision: 4,
      },
      { kind: ControllerRevision },
    );
    const selector = labelSelectorFromObject({ matchLabels: { app: 'lst' } });
    await eventually(
      async () => history.list(set, selector).length === 2,
      'the cache to list both',
    );
    expect(
      history
        .list(set, selector)
        .map((r) => r.metadata?.name)
        .sort(),
    ).toEqual([owned.metadata?.name, 'lst-orphan'].sort());
  });

  test('updateRevision sets the number and delete removes the revision', async () => {
    const set = parent('upd', 'uid-upd');
    const created = (await history.create(set, revisionFor(set, 1), 0)).revision;
    const updated = await history.updateRevision(created, 7);
    expect(updated.revision).toBe(7);
    expect(
      (await api.get(ControllerRevision, created.metadata!.name!, { namespace: 'ns' })).revision,
    ).toBe(7);
    await history.delete(updated);
    await history.delete(updated);
    await expect(
      api.get(ControllerRevision, created.metadata!.name!, { namespace: 'ns' }),
    ).rejects.toThrow(/not found/);
  });
});
