import type { Attributes, PolicyRule } from '../authz/types.js';
import {
  appliesTo,
  compactRules,
  compactString,
  covers,
  ruleAllows,
  type Subject,
} from './rules.js';

const user = { username: 'bob', groups: ['dev', 'system:authenticated'] };

function res(verb: string, resource: string, extra: Partial<Attributes> = {}): Attributes {
  return {
    user,
    verb,
    isResourceRequest: true,
    path: '',
    namespace: 'default',
    apiGroup: '',
    apiVersion: 'v1',
    resource,
    subresource: '',
    name: '',
    ...extra,
  };
}

function path(verb: string, p: string): Attributes {
  return { ...res(verb, ''), isResourceRequest: false, path: p, namespace: '' };
}

describe('RuleAllows (upstream rbac/v1 evaluation helpers)', () => {
  test.each<[string, PolicyRule, Attributes, boolean]>([
    [
      'exact verb, group and resource',
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      res('get', 'pods'),
      true,
    ],
    [
      'another verb is not allowed',
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      res('list', 'pods'),
      false,
    ],
    [
      'verb * allows any verb',
      { verbs: ['*'], apiGroups: [''], resources: ['pods'] },
      res('deletecollection', 'pods'),
      true,
    ],
    [
      'group must match',
      { verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] },
      res('get', 'pods'),
      false,
    ],
    [
      'group * matches any group',
      { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] },
      res('get', 'deployments', { apiGroup: 'apps' }),
      true,
    ],
    [
      'resource * matches any resource',
      { verbs: ['get'], apiGroups: [''], resources: ['*'] },
      res('get', 'secrets'),
      true,
    ],
    [
      'a resource rule does not cover its subresources',
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      res('get', 'pods', { subresource: 'log', name: 'p' }),
      false,
    ],
    [
      'pods/log covers the log subresource',
      { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] },
      res('get', 'pods', { subresource: 'log', name: 'p' }),
      true,
    ],
    [
      '*/scale covers scale of any resource',
      { verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] },
      res('get', 'deployments', { apiGroup: 'apps', subresource: 'scale', name: 'd' }),
      true,
    ],
    [
      '*/scale does not cover the resource itself',
      { verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] },
      res('get', 'deployments', { apiGroup: 'apps', name: 'd' }),
      false,
    ],
    [
      'resource * covers subresources too',
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      res('update', 'pods', { subresource: 'status', name: 'p' }),
      true,
    ],
    [
      'resourceNames allow the named object',
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      res('get', 'configmaps', { name: 'a' }),
      true,
    ],
    [
      'resourceNames refuse other names',
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      res('get', 'configmaps', { name: 'b' }),
      false,
    ],
    [
      'resourceNames never allow list (no name)',
      { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      res('list', 'configmaps'),
      false,
    ],
    [
      'resourceNames never allow create (no name)',
      { verbs: ['create'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      res('create', 'configmaps'),
      false,
    ],
    [
      'non-resource URL exact match',
      { verbs: ['get'], nonResourceURLs: ['/healthz'] },
      path('get', '/healthz'),
      true,
    ],
    [
      'non-resource URL does not match a sub-path',
      { verbs: ['get'], nonResourceURLs: ['/healthz'] },
      path('get', '/healthz/etcd'),
      false,
    ],
    [
      'non-resource URL prefix with *',
      { verbs: ['get'], nonResourceURLs: ['/apis/*'] },
      path('get', '/apis/apps/v1'),
      true,
    ],
    [
      'non-resource URL * matches everything',
      { verbs: ['get'], nonResourceURLs: ['*'] },
      path('get', '/metrics'),
      true,
    ],
    [
      'non-resource verb must match',
      { verbs: ['get'], nonResourceURLs: ['/healthz'] },
      path('post', '/healthz'),
      false,
    ],
    [
      'a resource rule never matches a non-resource request',
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      path('get', '/metrics'),
      false,
    ],
    [
      'a non-resource rule never matches a resource request',
      { verbs: ['*'], nonResourceURLs: ['*'] },
      res('get', 'pods'),
      false,
    ],
  ])('%s', (_name, rule, attrs, want) => {
    expect(ruleAllows(attrs, rule)).toBe(want);
  });
});

describe('appliesTo (upstream subject matching)', () => {
  const sa = { username: 'system:serviceaccount:team:builder', groups: [] };
  test.each<[string, Subject, typeof user, string, boolean]>([
    ['a User subject by name', { kind: 'User', name: 'bob' }, user, '', true],
    ['a User subject of another name', { kind: 'User', name: 'alice' }, user, '', false],
    ['a Group subject by membership', { kind: 'Group', name: 'dev' }, user, '', true],
    ['a Group the user is not in', { kind: 'Group', name: 'ops' }, user, '', false],
    [
      'a ServiceAccount with its namespace',
      { kind: 'ServiceAccount', name: 'builder', namespace: 'team' },
      sa,
      '',
      true,
    ],
    [
      'a ServiceAccount defaults to the binding namespace',
      { kind: 'ServiceAccount', name: 'builder' },
      sa,
      'team',
      true,
    ],
    [
      'a ServiceAccount without any namespace applies to nobody',
      { kind: 'ServiceAccount', name: 'builder' },
      sa,
      '',
      false,
    ],
    [
      'a ServiceAccount of another namespace',
      { kind: 'ServiceAccount', name: 'builder', namespace: 'other' },
      sa,
      'team',
      false,
    ],
    [
      'a User named like a ServiceAccount user is a user',
      { kind: 'User', name: 'system:serviceaccount:team:builder' },
      sa,
      '',
      true,
    ],
  ])('%s', (_name, subject, u, ns, want) => {
    expect(appliesTo(u, [subject], ns) >= 0).toBe(want);
  });
});

describe('Covers (escalation checks)', () => {
  test.each<[string, PolicyRule[], PolicyRule[], boolean]>([
    [
      'identical rules',
      [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      true,
    ],
    [
      'more verbs than held',
      [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
      false,
    ],
    [
      'split across two owner rules',
      [
        { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
        { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
      ],
      [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
      true,
    ],
    [
      '* covers everything',
      [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      [{ verbs: ['delete'], apiGroups: ['apps'], resources: ['deployments/scale'] }],
      true,
    ],
    [
      '*/scale covers a named subresource',
      [{ verbs: ['get'], apiGroups: ['apps'], resources: ['*/scale'] }],
      [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'] }],
      true,
    ],
    [
      'named access does not cover unnamed access',
      [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }],
      [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }],
      false,
    ],
    [
      'unnamed access covers named access',
      [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }],
      [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }],
      true,
    ],
    [
      'URL prefix covers a longer URL',
      [{ verbs: ['get'], nonResourceURLs: ['/logs/*'] }],
      [{ verbs: ['get'], nonResourceURLs: ['/logs/app'] }],
      true,
    ],
    [
      'resource rules do not cover URLs',
      [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }],
      false,
    ],
  ])('%s', (_name, owner, servant, want) => {
    expect(covers(owner, servant).covered).toBe(want);
  });

  test('the missing pieces are compacted per group/resource and printed like upstream', () => {
    const { missing } = covers(
      [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] }],
    );
    expect(compactRules(missing).map(compactString)).toEqual([
      '{APIGroups:[""], Resources:["pods"], Verbs:["list" "watch"]}',
    ]);
  });

  test('compactString names every field present, in upstream order', () => {
    expect(
      compactString({
        verbs: ['get'],
        apiGroups: ['apps'],
        resources: ['deployments'],
        resourceNames: ['web'],
      }),
    ).toBe('{APIGroups:["apps"], Resources:["deployments"], ResourceNames:["web"], Verbs:["get"]}');
    expect(compactString({ verbs: ['get'], nonResourceURLs: ['/healthz'] })).toBe(
      '{NonResourceURLs:["/healthz"], Verbs:["get"]}',
    );
  });
});
