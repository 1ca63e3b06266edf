import { clusterRoleBindings, clusterRoles, roleBindings, roles } from './rbac.js';
import { create, row, update } from '../testing/harness.js';

describe('rbac (pkg/apis/rbac/validation)', () => {
  test.each([
    [
      'verbs are required',
      { apiGroups: [''], resources: ['pods'] },
      'rules[0].verbs: Required value: verbs must contain at least one value',
    ],
    [
      'resource rules need api groups',
      { verbs: ['get'], resources: ['pods'] },
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    ],
    [
      'resource rules need resources',
      { verbs: ['get'], apiGroups: [''] },
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ],
    [
      'namespaced rules cannot use non-resource URLs',
      { verbs: ['get'], nonResourceURLs: ['/healthz'] },
      'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
    ],
  ])('Role: %s', (_rule, rule, message) => {
    expect(create(roles, { metadata: { name: 'r' }, rules: [rule] }).errors).toContain(message);
  });

  test('cluster roles may use non-resource URLs; RBAC names are path segments', () => {
    expect(
      create(clusterRoles, {
        metadata: { name: 'system:health' },
        rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
      }).errors,
    ).toEqual([]);
    expect(create(clusterRoles, { metadata: { name: 'a/b' } }).errors).toEqual([
      'metadata.name: Invalid value: "a/b": may not contain \'/\'',
    ]);
  });

  test('subjects and roleRef get their apiGroup defaults', () => {
    const { obj, errors } = create(roleBindings, {
      metadata: { name: 'b' },
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'ServiceAccount', name: 'default', namespace: 'default' },
      ],
    });
    expect(errors).toEqual([]);
    expect(obj.roleRef).toEqual({ kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' });
    expect((obj.subjects as any[]).map((s) => s.apiGroup)).toEqual([
      'rbac.authorization.k8s.io',
      '',
    ]);
  });

  test.each([
    [
      'cluster role bindings only reference ClusterRoles',
      clusterRoleBindings,
      { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } },
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    ],
    [
      'subject kinds are an enum',
      roleBindings,
      { roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'Robot', name: 'x' }] },
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ],
    [
      'service accounts in cluster bindings need a namespace',
      clusterRoleBindings,
      {
        roleRef: { kind: 'ClusterRole', name: 'r' },
        subjects: [{ kind: 'ServiceAccount', name: 'x' }],
      },
      'subjects[0].namespace: Required value',
    ],
  ])('%s', (_rule, type, body, message) => {
    expect(create(type, { metadata: { name: 'b' }, ...body }).errors).toContain(message);
  });

  test('roleRef cannot change', () => {
    const { obj: old } = create(roleBindings, {
      metadata: { name: 'b' },
      roleRef: { kind: 'Role', name: 'r' },
    });
    const { errors } = update(
      roleBindings,
      { ...old, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'other' } },
      old,
    );
    expect(errors).toEqual([
      'roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"other"}: cannot change roleRef',
    ]);
  });

  test('binding table shows ROLE and the wide subject columns', () => {
    const b = {
      metadata: { name: 'b', creationTimestamp: '2024-01-01T00:00:00Z' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', name: 'a' },
        { kind: 'User', name: 'b' },
        { kind: 'Group', name: 'g' },
        { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' },
      ],
    };
    expect(row(clusterRoleBindings, b)).toEqual({
      Name: 'b',
      Role: 'ClusterRole/view',
      Age: '60m',
      Users: 'a, b',
      Groups: 'g',
      ServiceAccounts: 'ns/sa',
    });
    expect(
      row(roles, { metadata: { name: 'r', creationTimestamp: '2024-01-01T00:00:00.123Z' } }),
    ).toEqual({ Name: 'r', 'Created At': '2024-01-01T00:00:00Z' });
  });
});
