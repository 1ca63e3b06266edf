/**
 * rbac.authorization.k8s.io/v1 roles, clusterroles, rolebindings, clusterrolebindings
 * (pkg/apis/rbac/validation, pkg/apis/rbac/v1/defaults.go, the RBAC printers). Stored and
 * validated here; enforcement is the security component's. Names are path segments; a binding's
 * roleRef cannot change.
 */
import type { FieldError } from '../../../common/index.js';
import type { KubeObject, ResourceType } from '../types.js';
import { ageColumn, ageOf, col, defaultTable, nameColumn, nameOf } from '../printers/columns.js';
import { invalid, notSupported, required } from '../validation/field.js';
import { isDNS1123Subdomain, isValidPathSegmentName } from '../validation/names.js';
import {
  nameIsPathSegment,
  validateNamespaceName,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from '../validation/objectmeta.js';
import { validateLabelSelector, type LabelSelector } from '../validation/selector.js';
import { deepEqual } from '../validation/field.js';
import { metaFieldLabels } from '../strategy.js';

type Obj = Record<string, unknown>;

/** `rbac.GroupName`. */
export const rbacGroup = 'rbac.authorization.k8s.io';

function strings(v: unknown): string[] {
  return Array.isArray(v) ? (v as string[]) : [];
}

/** `ValidatePolicyRule`. */
export function validatePolicyRule(rule: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (strings(rule.verbs).length === 0)
    errs.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  const nonResourceURLs = strings(rule.nonResourceURLs);
  if (nonResourceURLs.length > 0) {
    if (namespaced)
      errs.push(
        invalid(
          `${path}.nonResourceURLs`,
          nonResourceURLs,
          'namespaced rules cannot apply to non-resource URLs',
        ),
      );
    if (
      strings(rule.apiGroups).length ||
      strings(rule.resources).length ||
      strings(rule.resourceNames).length
    ) {
      errs.push(
        invalid(
          `${path}.nonResourceURLs`,
          nonResourceURLs,
          'rules cannot apply to both regular resources and non-resource URLs',
        ),
      );
    }
    return errs;
  }
  if (strings(rule.apiGroups).length === 0)
    errs.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (strings(rule.resources).length === 0)
    errs.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  return ((obj.rules as Obj[] | undefined) ?? []).flatMap((r, i) =>
    validatePolicyRule(r ?? {}, namespaced, `rules[${i}]`),
  );
}

function validateAggregationRule(obj: KubeObject): FieldError[] {
  const agg = obj.aggregationRule as Obj | undefined;
  if (!agg) return [];
  const selectors = (agg.clusterRoleSelectors as LabelSelector[] | undefined) ?? [];
  const errs: FieldError[] = [];
  if (selectors.length === 0)
    errs.push(
      required(
        'aggregationRule.clusterRoleSelectors',
        'at least one clusterRoleSelector required if aggregationRule is non-nil',
      ),
    );
  selectors.forEach((s, i) =>
    errs.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)),
  );
  return errs;
}

/** `SetDefaults_Subject` and the roleRef apiGroup default. */
function setDefaultsBinding(obj: KubeObject): void {
  for (const s of (obj.subjects as Obj[] | undefined) ?? []) {
    if (!s.apiGroup)
      s.apiGroup =
        s.kind === 'ServiceAccount'
          ? ''
          : s.kind === 'User' || s.kind === 'Group'
            ? rbacGroup
            : s.apiGroup;
  }
  const ref = obj.roleRef as Obj | undefined;
  if (ref && !ref.apiGroup) ref.apiGroup = rbacGroup;
}

/** `ValidateRoleBindingSubject`. */
function validateSubject(s: Obj, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = (s.name as string) ?? '';
  if (!name) errs.push(required(`${path}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name)
        for (const m of isDNS1123Subdomain(name)) errs.push(invalid(`${path}.name`, name, m));
      if (s.apiGroup) errs.push(notSupported(`${path}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(required(`${path}.namespace`));
      if (s.namespace)
        for (const m of validateNamespaceName(s.namespace as string, false))
          errs.push(invalid(`${path}.namespace`, s.namespace, m));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== rbacGroup)
        errs.push(notSupported(`${path}.apiGroup`, s.apiGroup ?? '', [rbacGroup]));
      break;
    default:
      errs.push(notSupported(`${path}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = (obj.roleRef as Obj | undefined) ?? {};
  if (ref.apiGroup !== rbacGroup)
    errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [rbacGroup]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind as string))
    errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(required('roleRef.name'));
  else
    for (const m of isValidPathSegmentName(ref.name as string))
      errs.push(invalid('roleRef.name', ref.name, m));
  ((obj.subjects as Obj[] | undefined) ?? []).forEach((s, i) =>
    errs.push(...validateSubject(s ?? {}, namespaced, `subjects[${i}]`)),
  );
  return errs;
}

function validateRoleRefUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return deepEqual(obj.roleRef, old.roleRef)
    ? []
    : [invalid('roleRef', obj.roleRef, 'cannot change roleRef')];
}

const bindingTable: NonNullable<ResourceType['table']> = {
  columns: [
    nameColumn,
    col(
      'Role',
      'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
    ),
    ageColumn,
    col('Users', 'Users in the roleBinding', { wide: true }),
    col('Groups', 'Groups in the roleBinding', { wide: true }),
    col('ServiceAccounts', 'ServiceAccounts in the roleBinding', { wide: true }),
  ],
  cells(obj, { now }) {
    const ref = (obj.roleRef as Obj | undefined) ?? {};
    const users: string[] = [];
    const groups: string[] = [];
    const sas: string[] = [];
    for (const s of (obj.subjects as Obj[] | undefined) ?? []) {
      if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name ?? ''}`);
      else if (s.kind === 'User') users.push(s.name as string);
      else if (s.kind === 'Group') groups.push(s.name as string);
    }
    return [
      nameOf(obj),
      `${ref.kind ?? ''}/${ref.name ?? ''}`,
      ageOf(obj, now),
      users.join(', '),
      groups.join(', '),
      sas.join(', '),
    ];
  },
};

const common = { group: rbacGroup, version: 'v1', allowCreateOnUpdate: true } as const;

export const roles: ResourceType = {
  ...common,
  resource: 'roles',
  singularName: 'role',
  kind: 'Role',
  namespaced: true,
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true, nameFn: nameIsPathSegment }),
    ...validateRules(obj, true),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateRules(obj, true),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: defaultTable,
};

export const clusterRoles: ResourceType = {
  ...common,
  resource: 'clusterroles',
  singularName: 'clusterrole',
  kind: 'ClusterRole',
  namespaced: false,
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: false, nameFn: nameIsPathSegment }),
    ...validateRules(obj, false),
    ...validateAggregationRule(obj),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateRules(obj, false),
    ...validateAggregationRule(obj),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, false),
  table: defaultTable,
};

export const roleBindings: ResourceType = {
  ...common,
  resource: 'rolebindings',
  singularName: 'rolebinding',
  kind: 'RoleBinding',
  namespaced: true,
  defaults: setDefaultsBinding,
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: true, nameFn: nameIsPathSegment }),
    ...validateBinding(obj, true),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateBinding(obj, true),
    ...validateRoleRefUpdate(obj, old),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, true),
  table: bindingTable,
};

export const clusterRoleBindings: ResourceType = {
  ...common,
  resource: 'clusterrolebindings',
  singularName: 'clusterrolebinding',
  kind: 'ClusterRoleBinding',
  namespaced: false,
  defaults: setDefaultsBinding,
  validateCreate: (obj) => [
    ...validateObjectMeta(obj.metadata, { namespaced: false, nameFn: nameIsPathSegment }),
    ...validateBinding(obj, false),
  ],
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateBinding(obj, false),
    ...validateRoleRefUpdate(obj, old),
  ],
  fieldLabels: (obj) => metaFieldLabels(obj, false),
  table: bindingTable,
};
