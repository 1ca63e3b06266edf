import type { AdmissionAttributes } from '../../admission/types.js';
import {
  clusterRoleBindings,
  clusterRoles,
  roleBindings,
  roles,
} from '../../registry/rbac/rbac.js';
import type { KubeObject, ResourceType } from '../../registry/types.js';
import { privilegedGroupsAuthorizer, unionAuthorizer } from '../authz/types.js';
import { RBACAuthorizer } from './authorizer.js';
import { rbacEscalationPlugin } from './escalation.js';
import { RBACObjects } from './objects.js';

const g = 'rbac.authorization.k8s.io';
const bob = { username: 'bob', groups: ['system:authenticated'] };

function setup() {
  const o = new RBACObjects();
  // bob may manage roles and bindings in "team" and read pods there.
  o.put('ClusterRole', {
    metadata: { name: 'role-manager' },
    rules: [
      // every verb but escalate and bind (a `*` would include them)
      {
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        apiGroups: [g],
        resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'],
      },
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
    ],
  });
  o.put('ClusterRole', {
    metadata: { name: 'pod-admin' },
    rules: [{ verbs: ['*'], apiGroups: [''], resources: ['pods'] }],
  });
  o.put('ClusterRole', {
    metadata: { name: 'pod-reader' },
    rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
  });
  o.put('RoleBinding', {
    metadata: { name: 'bob', namespace: 'team' },
    roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'role-manager' },
    subjects: [{ kind: 'User', name: 'bob', apiGroup: g }],
  });
  const rbac = new RBACAuthorizer(o);
  const authorizer = unionAuthorizer([privilegedGroupsAuthorizer(['system:masters']), rbac]);
  return { o, plugin: rbacEscalationPlugin({ authorizer, rbac }) };
}

function attrs(
  resource: ResourceType,
  object: KubeObject,
  user = bob,
  namespace = 'team',
  oldObject?: KubeObject,
): AdmissionAttributes {
  return {
    operation: oldObject ? 'UPDATE' : 'CREATE',
    resource,
    subresource: '',
    namespace,
    name: object.metadata?.name ?? '',
    object,
    oldObject,
    dryRun: false,
    user,
  };
}

const role = (rules: unknown[], name = 'r') => ({ metadata: { name, namespace: 'team' }, rules });
const binding = (kind: string, name: string) => ({
  metadata: { name: 'b', namespace: 'team' },
  roleRef: { apiGroup: g, kind, name },
  subjects: [{ kind: 'User', name: 'alice', apiGroup: g }],
});

describe('RBAC escalation prevention', () => {
  test('verb * on roles includes escalate, as upstream', async () => {
    const { o, plugin } = setup();
    o.put('ClusterRole', {
      metadata: { name: 'all-roles' },
      rules: [{ verbs: ['*'], apiGroups: [g], resources: ['roles'] }],
    });
    o.put('RoleBinding', {
      metadata: { name: 'all', namespace: 'team' },
      roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'all-roles' },
      subjects: [{ kind: 'User', name: 'bob', apiGroup: g }],
    });
    await expect(
      plugin.validate!(attrs(roles, role([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]))),
    ).resolves.toBeUndefined();
  });

  test('a Role granting only what the user holds is allowed', async () => {
    const { plugin } = setup();
    await expect(
      plugin.validate!(
        attrs(roles, role([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])),
      ),
    ).resolves.toBeUndefined();
  });

  test('a Role granting more is 403 with upstream’s message', async () => {
    const { plugin } = setup();
    const err = await Promise.resolve(
      plugin.validate!(
        attrs(
          roles,
          role([{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods', 'secrets'] }]),
        ),
      ),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: { code: 403, reason: 'Forbidden' } });
    expect((err as Error).message).toBe(
      'roles.rbac.authorization.k8s.io "r" is forbidden: user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n' +
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
    );
  });

  test('what the user holds in one namespace does not count in another', async () => {
    const { plugin } = setup();
    const r = {
      metadata: { name: 'r', namespace: 'other' },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
    };
    await expect(
      Promise.resolve(plugin.validate!(attrs(roles, r, bob, 'other'))),
    ).rejects.toMatchObject({ status: { code: 403 } });
  });

  test('the escalate verb lifts the check', async () => {
    const { o, plugin } = setup();
    o.put('ClusterRole', {
      metadata: { name: 'escalator' },
      rules: [{ verbs: ['escalate'], apiGroups: [g], resources: ['roles'] }],
    });
    o.put('RoleBinding', {
      metadata: { name: 'esc', namespace: 'team' },
      roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'escalator' },
      subjects: [{ kind: 'User', name: 'bob', apiGroup: g }],
    });
    await expect(
      plugin.validate!(attrs(roles, role([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]))),
    ).resolves.toBeUndefined();
  });

  test('binding a role whose permissions the user holds is allowed', async () => {
    const { plugin } = setup();
    await expect(
      plugin.validate!(attrs(roleBindings, binding('ClusterRole', 'pod-reader'))),
    ).resolves.toBeUndefined();
  });

  test('binding a role with more permissions is 403', async () => {
    const { plugin } = setup();
    await expect(
      Promise.resolve(plugin.validate!(attrs(roleBindings, binding('ClusterRole', 'pod-admin')))),
    ).rejects.toMatchObject({
      status: {
        code: 403,
        message: expect.stringContaining(
          'is attempting to grant RBAC permissions not currently held',
        ),
      },
    });
  });

  test('the bind verb on that role name lifts the check', async () => {
    const { o, plugin } = setup();
    o.put('ClusterRole', {
      metadata: { name: 'binder' },
      rules: [
        {
          verbs: ['bind'],
          apiGroups: [g],
          resources: ['clusterroles'],
          resourceNames: ['pod-admin'],
        },
      ],
    });
    o.put('RoleBinding', {
      metadata: { name: 'binder', namespace: 'team' },
      roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'binder' },
      subjects: [{ kind: 'User', name: 'bob', apiGroup: g }],
    });
    await expect(
      plugin.validate!(attrs(roleBindings, binding('ClusterRole', 'pod-admin'))),
    ).resolves.toBeUndefined();
  });

  test('binding a role that does not exist is 403 naming it', async () => {
    const { plugin } = setup();
    await expect(
      Promise.resolve(plugin.validate!(attrs(roleBindings, binding('Role', 'ghost')))),
    ).rejects.toMatchObject({
      status: {
        code: 403,
        message:
          'rolebindings.rbac.authorization.k8s.io "b" is forbidden: role.rbac.authorization.k8s.io "ghost" not found',
      },
    });
  });

  test('a cluster-wide binding needs the permissions cluster-wide', async () => {
    const { plugin } = setup();
    const crb = {
      metadata: { name: 'b' },
      roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'pod-reader' },
      subjects: [],
    };
    await expect(
      Promise.resolve(plugin.validate!(attrs(clusterRoleBindings, crb, bob, ''))),
    ).rejects.toMatchObject({ status: { code: 403 } });
  });

  test('an aggregationRule needs every permission', async () => {
    const { o, plugin } = setup();
    o.put('ClusterRole', {
      metadata: { name: 'escalator' },
      rules: [{ verbs: ['escalate'], apiGroups: [g], resources: ['clusterroles'] }],
    });
    const cr = {
      metadata: { name: 'agg' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] },
    };
    const err = await Promise.resolve(plugin.validate!(attrs(clusterRoles, cr, bob, ''))).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe(
      'clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule',
    );
  });

  test.each([
    ['system:masters members', { username: 'root', groups: ['system:masters'] }],
    ['writes without a user (the server itself)', undefined],
  ])('%s are never checked', async (_name, user) => {
    const { plugin } = setup();
    const a = attrs(roles, role([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]));
    a.user = user;
    await expect(plugin.validate!(a)).resolves.toBeUndefined();
  });

  test('an update that changes only finalizers is not checked', async () => {
    const { plugin } = setup();
    const old = role([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
    const next = structuredClone(old) as KubeObject;
    next.metadata!.finalizers = ['example.com/keep'];
    await expect(plugin.validate!(attrs(roles, next, bob, 'team', old))).resolves.toBeUndefined();
  });
});
