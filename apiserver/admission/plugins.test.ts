import { describe, expect, test } from '@jest/globals';
import type { KubeObject } from '../registry/types.js';
import { defaultStorageClass } from './defaultstorageclass.js';
import { defaultTolerationSeconds } from './defaulttolerationseconds.js';
import { namespaceLifecycle } from './namespacelifecycle.js';
import { newAdmissionPlugins, selectAdmissionPlugins } from './plugins.js';
import { attrsFor, FakeLookup, pod } from './testing/fake.js';

type Obj = Record<string, any>;

describe('plugin selection', () => {
  test('the default chain is upstream-ordered and includes NodeRestriction', () => {
    expect(selectAdmissionPlugins()).toEqual([
      'NamespaceLifecycle',
      'LimitRanger',
      'ServiceAccount',
      'NodeRestriction',
      'Priority',
      'DefaultTolerationSeconds',
      'DefaultStorageClass',
      'ResourceQuota',
    ]);
  });

  test('disabled plugins leave the chain, NamespaceLifecycle stays', () => {
    expect(
      selectAdmissionPlugins({ disable: ['ServiceAccount', 'NamespaceLifecycle', 'PodSecurity'] }),
    ).not.toContain('ServiceAccount');
    expect(
      newAdmissionPlugins({ lookup: new FakeLookup() }, { disable: ['ServiceAccount'] }).map(
        (p) => p.name,
      ),
    ).toEqual([
      'LimitRanger',
      'NodeRestriction',
      'Priority',
      'DefaultTolerationSeconds',
      'DefaultStorageClass',
      'ResourceQuota',
    ]);
  });

  test.each([
    [{ enable: ['Bogus'] }, 'enable-admission-plugins plugin "Bogus" is unknown'],
    [{ disable: ['Bogus'] }, 'disable-admission-plugins plugin "Bogus" is unknown'],
    [
      { enable: ['Priority'], disable: ['Priority'] },
      'Priority in enable-admission-plugins and Priority in disable-admission-plugins overlapped',
    ],
    [
      { enable: ['PodSecurity'] },
      'enable-admission-plugins plugin "PodSecurity" is not implemented by kuberx',
    ],
  ])('%j is refused', (sel, message) => {
    expect(() => selectAdmissionPlugins(sel)).toThrow(message);
  });
});

describe('DefaultTolerationSeconds admission', () => {
  const admit = (p: KubeObject) => {
    const attrs = attrsFor('', 'pods', 'CREATE', { object: p });
    void defaultTolerationSeconds().admit!(attrs);
    return (attrs.object as Obj).spec.tolerations;
  };

  test('a pod gets not-ready and unreachable NoExecute tolerations of 300 s', () => {
    expect(admit(pod('web'))).toEqual([
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ]);
  });

  test.each([
    [
      'an existing not-ready toleration',
      [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }],
      2,
    ],
    ['a toleration with an empty key', [{ operator: 'Exists', effect: 'NoExecute' }], 1],
    [
      'a toleration with an empty effect',
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }],
      2,
    ],
  ])('%s counts as tolerating', (_c, tolerations, count) => {
    expect(admit(pod('web', { tolerations }))).toHaveLength(count);
  });
});

describe('DefaultStorageClass admission', () => {
  const sc = (name: string, created: string, isDefault: boolean): KubeObject => ({
    metadata: {
      name,
      creationTimestamp: created,
      annotations: isDefault
        ? { 'storageclass.kubernetes.io/is-default-class': 'true' }
        : ({} as Record<string, string>),
    },
  });
  const claim = (spec: Obj = {}) => ({ metadata: { name: 'data', namespace: 'default' }, spec });
  const admit = async (lookup: FakeLookup, pvc: KubeObject) => {
    const attrs = attrsFor('', 'persistentvolumeclaims', 'CREATE', { object: pvc });
    await defaultStorageClass({ lookup }).admit!(attrs);
    return (attrs.object as Obj).spec.storageClassName;
  };
  const lookup = new FakeLookup()
    .add('storage.k8s.io', 'storageclasses', sc('old', '2024-01-01T00:00:00Z', true))
    .add('storage.k8s.io', 'storageclasses', sc('new', '2024-06-01T00:00:00Z', true))
    .add('storage.k8s.io', 'storageclasses', sc('plain', '2025-01-01T00:00:00Z', false));

  test('a claim without a class gets the newest default class', async () => {
    expect(await admit(lookup, claim())).toBe('new');
  });

  test.each([
    ['an explicit class', { storageClassName: 'plain' }, 'plain'],
    ['an explicit empty class', { storageClassName: '' }, ''],
  ])('a claim with %s keeps it', async (_c, spec, expected) => {
    expect(await admit(lookup, claim(spec))).toBe(expected);
  });

  test('without a default class the claim is left alone', async () => {
    expect(await admit(new FakeLookup(), claim())).toBeUndefined();
  });
});

describe('NamespaceLifecycle admission', () => {
  const namespaces: Record<string, KubeObject> = {
    live: { metadata: { name: 'live' }, status: { phase: 'Active' } },
    dying: {
      metadata: { name: 'dying', deletionTimestamp: '2024-01-01T00:00:00Z' },
      status: { phase: 'Terminating' },
    },
  };
  const plugin = namespaceLifecycle({ getNamespace: async (n) => namespaces[n] });

  test('a create in a missing namespace is 404', async () => {
    const err = await Promise.resolve(
      plugin.admit!(attrsFor('', 'pods', 'CREATE', { object: pod('web', {}, 'gone') })),
    ).catch((e: any) => e);
    expect(err.code).toBe(404);
    expect(err.message).toBe('namespaces "gone" not found');
  });

  test('a create in a terminating namespace is 403 with the NamespaceTerminating cause', async () => {
    const err = await Promise.resolve(
      plugin.admit!(
        attrsFor('', 'configmaps', 'CREATE', {
          object: { metadata: { name: 'c', namespace: 'dying' } },
        }),
      ),
    ).catch((e: any) => e);
    expect(err.code).toBe(403);
    expect(err.message).toBe(
      'configmaps "c" is forbidden: unable to create new content in namespace dying because it is being terminated',
    );
    expect(err.status.details.causes).toEqual([
      {
        reason: 'NamespaceTerminating',
        message: 'namespace dying is being terminated',
        field: 'metadata.namespace',
      },
    ]);
  });

  test('updates in a terminating namespace are allowed', async () => {
    const c = { metadata: { name: 'c', namespace: 'dying' } };
    await expect(
      plugin.admit!(attrsFor('', 'configmaps', 'UPDATE', { object: c, oldObject: c })),
    ).resolves.toBeUndefined();
  });

  test.each(['default', 'kube-system', 'kube-public', 'kube-node-lease'])(
    'namespace %s may not be deleted',
    async (name) => {
      const attrs = attrsFor('', 'namespaces', 'DELETE', { oldObject: { metadata: { name } } });
      await expect(Promise.resolve().then(() => plugin.validate!(attrs))).rejects.toThrow(
        `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      );
    },
  );

  test('other namespaces may be deleted', async () => {
    const attrs = attrsFor('', 'namespaces', 'DELETE', {
      oldObject: { metadata: { name: 'live' } },
    });
    await expect(Promise.resolve().then(() => plugin.validate!(attrs))).resolves.toBeUndefined();
  });
});
