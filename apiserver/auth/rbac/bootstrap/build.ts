/**
 * Small builders for bootstrap policy (upstream `rbacv1helpers.NewRule(...).Groups(...)…`), and
 * the label and annotation every bootstrap object carries.
 */
import type { PolicyRule } from '../../authz/types.js';
import type { KubeObject } from '../../../registry/types.js';
import { rbacGroup } from '../../../registry/rbac/rbac.js';

export const read = ['get', 'list', 'watch'];
export const write = ['create', 'update', 'patch', 'delete', 'deletecollection'];
export const readWrite = [...read, ...write];
export const readUpdate = ['get', 'list', 'watch', 'update', 'patch'];

export const bootstrapLabel = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
/** `rbac.authorization.kubernetes.io/autoupdate`: "false" stops start-up reconciliation. */
export const autoUpdateAnnotation = 'rbac.authorization.kubernetes.io/autoupdate';

export function rule(
  verbs: string[],
  groups: string[],
  resources: string[],
  names?: string[],
): PolicyRule {
  const r: PolicyRule = { verbs: [...verbs], apiGroups: [...groups], resources: [...resources] };
  if (names) r.resourceNames = [...names];
  return r;
}

export function urls(verbs: string[], paths: string[]): PolicyRule {
  return { verbs: [...verbs], nonResourceURLs: [...paths] };
}

/** `eventsRule()`: create/update/patch events in the core and events.k8s.io groups. */
export function eventsRule(): PolicyRule {
  return rule(['create', 'update', 'patch'], ['', 'events.k8s.io'], ['events']);
}

function meta(name: string, namespace?: string, labels: Record<string, string> = {}) {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { ...bootstrapLabel, ...labels },
    annotations: { [autoUpdateAnnotation]: 'true' },
  };
}

export function clusterRole(
  name: string,
  rules: PolicyRule[],
  opts: { labels?: Record<string, string>; aggregateFrom?: Record<string, string>[] } = {},
): KubeObject {
  const obj: KubeObject = {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'ClusterRole',
    metadata: meta(name, undefined, opts.labels),
    rules,
  };
  if (opts.aggregateFrom)
    obj.aggregationRule = {
      clusterRoleSelectors: opts.aggregateFrom.map((l) => ({ matchLabels: l })),
    };
  return obj;
}

export function role(name: string, namespace: string, rules: PolicyRule[]): KubeObject {
  return { apiVersion: `${rbacGroup}/v1`, kind: 'Role', metadata: meta(name, namespace), rules };
}

type SubjectSpec = { users?: string[]; groups?: string[]; serviceAccounts?: [string, string][] };

function subjects(s: SubjectSpec) {
  return [
    ...(s.users ?? []).map((name) => ({ kind: 'User', apiGroup: rbacGroup, name })),
    ...(s.groups ?? []).map((name) => ({ kind: 'Group', apiGroup: rbacGroup, name })),
    ...(s.serviceAccounts ?? []).map(([namespace, name]) => ({
      kind: 'ServiceAccount',
      name,
      namespace,
    })),
  ];
}

/** A ClusterRoleBinding named after its ClusterRole unless `name` says otherwise. */
export function clusterBinding(roleName: string, s: SubjectSpec, name = roleName): KubeObject {
  return {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: meta(name),
    roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: roleName },
    subjects: subjects(s),
  };
}

export function roleBinding(roleName: string, namespace: string, s: SubjectSpec): KubeObject {
  return {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'RoleBinding',
    metadata: meta(roleName, namespace),
    roleRef: { apiGroup: rbacGroup, kind: 'Role', name: roleName },
    subjects: subjects(s),
  };
}
