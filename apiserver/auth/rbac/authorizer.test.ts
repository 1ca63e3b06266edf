import type { KubeObject } from '../../registry/types.js';
import type { Attributes } from '../authz/types.js';
import { aggregatedRules } from './aggregation.js';
import { RBACAuthorizer } from './authorizer.js';
import { reconcile } from './bootstrap/reconcile.js';
import { clusterRoles } from './bootstrap/policy.js';
import { RBACObjects } from './objects.js';

const g = 'rbac.authorization.k8s.io';

function objects(): RBACObjects {
  const o = new RBACObjects();
  o.put('ClusterRole', {
    metadata: { name: 'pod-reader' },
    rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
  });
  o.put('ClusterRole', {
    metadata: { name: 'health' },
    rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
  });
  o.put('Role', {
    metadata: { name: 'cm-editor', namespace: 'team' },
    rules: [
      {
        verbs: ['update'],
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: ['settings'],
      },
    ],
  });
  o.put('ClusterRoleBinding', {
    metadata: { name: 'ops-read-pods' },
    roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'pod-reader' },
    subjects: [{ kind: 'Group', name: 'ops', apiGroup: g }],
  });
  o.put('ClusterRoleBinding', {
    metadata: { name: 'carol-health' },
    roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'health' },
    subjects: [{ kind: 'User', name: 'carol', apiGroup: g }],
  });
  o.put('RoleBinding', {
    metadata: { name: 'bob-pods', namespace: 'team' },
    roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'pod-reader' },
    subjects: [{ kind: 'User', name: 'bob', apiGroup: g }],
  });
  o.put('RoleBinding', {
    metadata: { name: 'bob-cm', namespace: 'team' },
    roleRef: { apiGroup: g, kind: 'Role', name: 'cm-editor' },
    subjects: [{ kind: 'User', name: 'bob', apiGroup: g }],
  });
  o.put('RoleBinding', {
    metadata: { name: 'builder', namespace: 'team' },
    roleRef: { apiGroup: g, kind: 'Role', name: 'cm-editor' },
    subjects: [{ kind: 'ServiceAccount', name: 'builder' }],
  });
  o.put('RoleBinding', {
    metadata: { name: 'dangling', namespace: 'other' },
    roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'does-not-exist' },
    subjects: [{ kind: 'User', name: 'bob', apiGroup: g }],
  });
  return o;
}

const who = (username: string, groups: string[] = []) => ({ username, groups });

function req(
  user: { username: string; groups: string[] },
  verb: string,
  resource: string,
  namespace: string,
  more: Partial<Attributes> = {},
): Attributes {
  return {
    user,
    verb,
    isResourceRequest: true,
    path: '',
    namespace,
    apiGroup: '',
    apiVersion: 'v1',
    resource,
    subresource: '',
    name: '',
    ...more,
  };
}

describe('RBACAuthorizer', () => {
  const rbac = new RBACAuthorizer(objects());

  test.each<[string, Attributes, boolean]>([
    [
      'a ClusterRoleBinding applies in every namespace',
      req(who('dave', ['ops']), 'list', 'pods', 'anywhere'),
      true,
    ],
    [
      'a ClusterRoleBinding applies at the cluster scope',
      req(who('dave', ['ops']), 'list', 'pods', ''),
      true,
    ],
    [
      'a RoleBinding to a ClusterRole applies in its namespace',
      req(who('bob'), 'get', 'pods', 'team'),
      true,
    ],
    ['… and nowhere else', req(who('bob'), 'get', 'pods', 'default'), false],
    ['… not even cluster-wide', req(who('bob'), 'list', 'pods', ''), false],
    [
      'a RoleBinding to a Role with resourceNames allows the name',
      req(who('bob'), 'update', 'configmaps', 'team', { name: 'settings' }),
      true,
    ],
    [
      '… not another name',
      req(who('bob'), 'update', 'configmaps', 'team', { name: 'other' }),
      false,
    ],
    [
      'a ServiceAccount subject defaults to the binding namespace',
      req(who('system:serviceaccount:team:builder'), 'update', 'configmaps', 'team', {
        name: 'settings',
      }),
      true,
    ],
    [
      'a user without bindings gets nothing',
      req(who('eve', ['system:authenticated']), 'get', 'pods', 'team'),
      false,
    ],
    [
      'a non-resource rule through a ClusterRoleBinding',
      { ...req(who('carol'), 'get', '', ''), isResourceRequest: false, path: '/healthz' },
      true,
    ],
  ])('%s', (_name, attrs, allowed) => {
    expect(rbac.authorize(attrs).decision).toBe(allowed ? 'Allow' : 'NoOpinion');
  });

  test('an allow names the binding, the role and the subject', () => {
    expect(rbac.authorize(req(who('bob'), 'get', 'pods', 'team')).reason).toBe(
      'RBAC: allowed by RoleBinding "bob-pods" of ClusterRole "pod-reader" in namespace "team" to User "bob"',
    );
  });

  test('a binding to a missing role is the reason of a refusal, as upstream', () => {
    expect(rbac.authorize(req(who('bob'), 'get', 'pods', 'other'))).toEqual({
      decision: 'NoOpinion',
      reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found',
    });
  });

  test('rulesFor lists cluster-wide rules then the namespace’s, with resolution errors', () => {
    const { rules, errors } = rbac.rulesFor(who('bob'), 'team');
    expect(rules).toEqual([
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
      {
        verbs: ['update'],
        apiGroups: [''],
        resources: ['configmaps'],
        resourceNames: ['settings'],
      },
    ]);
    expect(errors).toEqual([]);
    expect(rbac.rulesFor(who('bob'), 'other').errors).toEqual([
      'clusterrole.rbac.authorization.k8s.io "does-not-exist" not found',
    ]);
  });
});

describe('ClusterRole aggregation', () => {
  const label = (k: string) => ({ [`rbac.authorization.k8s.io/aggregate-to-${k}`]: 'true' });

  test('the union of matching roles, by name, without duplicates and without itself', () => {
    const o = new RBACObjects();
    const agg: KubeObject = {
      metadata: { name: 'view', labels: label('view') },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: label('view') }] },
      rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    };
    o.put('ClusterRole', agg);
    o.put('ClusterRole', {
      metadata: { name: 'b', labels: label('view') },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
    });
    o.put('ClusterRole', {
      metadata: { name: 'a', labels: label('view') },
      rules: [
        { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
        { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] },
      ],
    });
    o.put('ClusterRole', {
      metadata: { name: 'c' },
      rules: [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }],
    });
    expect(aggregatedRules(agg, o)).toEqual([
      { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
    ]);
  });

  test('several selectors contribute in selector order', () => {
    const o = new RBACObjects();
    const agg: KubeObject = {
      metadata: { name: 'mine' },
      aggregationRule: {
        clusterRoleSelectors: [
          { matchLabels: { x: '2' } },
          { matchExpressions: [{ key: 'x', operator: 'In', values: ['1'] }] },
        ],
      },
    };
    o.put('ClusterRole', agg);
    o.put('ClusterRole', {
      metadata: { name: 'one', labels: { x: '1' } },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['a'] }],
    });
    o.put('ClusterRole', {
      metadata: { name: 'two', labels: { x: '2' } },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['b'] }],
    });
    expect(aggregatedRules(agg, o).map((r) => r.resources![0])).toEqual(['b', 'a']);
  });
});

describe('bootstrap policy reconciliation', () => {
  const admin = clusterRoles().find((r) => r.metadata?.name === 'system:basic-user')!;

  test('a role missing bootstrap rules gets them added, keeping its own', () => {
    const existing = {
      ...structuredClone(admin),
      rules: [{ verbs: ['get'], apiGroups: ['x'], resources: ['y'] }],
    };
    const next = reconcile(existing, admin)!;
    expect(next.rules).toEqual(
      expect.arrayContaining([
        ...(admin.rules as unknown[]),
        { verbs: ['get'], apiGroups: ['x'], resources: ['y'] },
      ]),
    );
  });

  test('an up-to-date role needs no write', () => {
    expect(reconcile(structuredClone(admin), admin)).toBeUndefined();
  });

  test('autoupdate=false leaves a role alone', () => {
    const existing = structuredClone(admin);
    existing.metadata!.annotations = { 'rbac.authorization.kubernetes.io/autoupdate': 'false' };
    existing.rules = [];
    expect(reconcile(existing, admin)).toBeUndefined();
  });

  test('a binding missing a bootstrap subject gets it, keeping the others', () => {
    const desired: KubeObject = {
      kind: 'ClusterRoleBinding',
      metadata: { name: 'b' },
      subjects: [{ kind: 'Group', name: 'g' }],
    };
    const existing: KubeObject = {
      kind: 'ClusterRoleBinding',
      metadata: { name: 'b' },
      subjects: [{ kind: 'User', name: 'u' }],
    };
    expect(reconcile(existing, desired)!.subjects).toEqual([
      { kind: 'User', name: 'u' },
      { kind: 'Group', name: 'g' },
    ]);
  });
});
