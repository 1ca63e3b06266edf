import type { KubeObject } from '../registry/index.js';
import {
  addAcceptedNames,
  apiApprovalCondition,
  calculateNamesAndConditions,
  type UsedNames,
} from './naming.js';

function crd(
  names: Record<string, unknown>,
  status: Record<string, unknown> = {},
  group = 'stable.example.com',
): KubeObject {
  return {
    metadata: { name: `${names.plural}.${group}` },
    spec: {
      group,
      names: {
        listKind: `${names.kind}List`,
        singular: String(names.kind).toLowerCase(),
        ...names,
      },
    },
    status: { acceptedNames: { plural: '', kind: '' }, ...status },
  };
}

function used(...accepted: Array<Record<string, unknown>>): UsedNames {
  const u: UsedNames = { resources: new Set(), kinds: new Set() };
  for (const a of accepted) addAcceptedNames(u, a);
  return u;
}

const other = {
  plural: 'others',
  singular: 'other',
  shortNames: ['ot'],
  kind: 'Other',
  listKind: 'OtherList',
};

describe('calculateNamesAndConditions (naming_controller.go)', () => {
  test('free names are all accepted: NamesAccepted True NoConflicts, Established False Installing', () => {
    const r = calculateNamesAndConditions(
      crd({ plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'] }),
      used(other),
    );
    expect(r.names).toEqual({
      plural: 'crontabs',
      singular: 'crontab',
      kind: 'CronTab',
      listKind: 'CronTabList',
      shortNames: ['ct'],
    });
    expect(r.namesAccepted).toEqual({
      type: 'NamesAccepted',
      status: 'True',
      reason: 'NoConflicts',
      message: 'no conflicts found',
    });
    expect(r.established).toEqual({
      type: 'Established',
      status: 'False',
      reason: 'Installing',
      message: 'the initial names have been accepted',
    });
  });

  test.each<[string, Record<string, unknown>, string, string]>([
    [
      'a plural in use → PluralConflict',
      { plural: 'others', kind: 'CronTab' },
      'PluralConflict',
      '"others" is already in use',
    ],
    [
      'a singular equal to a used short name → SingularConflict',
      { plural: 'crontabs', singular: 'ot', kind: 'CronTab' },
      'SingularConflict',
      '"ot" is already in use',
    ],
    [
      'a short name in use → ShortNamesConflict',
      { plural: 'crontabs', kind: 'CronTab', shortNames: ['ct', 'other'] },
      'ShortNamesConflict',
      '"other" is already in use',
    ],
    [
      'a kind in use → KindConflict',
      { plural: 'crontabs', kind: 'Other', listKind: 'CronTabList' },
      'KindConflict',
      '"Other" is already in use',
    ],
    [
      'a list kind in use → ListKindConflict',
      { plural: 'crontabs', kind: 'CronTab', listKind: 'OtherList' },
      'ListKindConflict',
      '"OtherList" is already in use',
    ],
  ])('%s', (_rule, names, reason, message) => {
    const r = calculateNamesAndConditions(crd(names), used(other));
    expect(r.namesAccepted).toEqual({ type: 'NamesAccepted', status: 'False', reason, message });
    expect(r.established).toMatchObject({
      status: 'False',
      reason: 'NotAccepted',
      message: 'not all names are accepted',
    });
  });

  test('a conflicting name keeps the previously accepted one; the others are still accepted', () => {
    const accepted = {
      plural: 'crontabs',
      singular: 'crontab',
      kind: 'CronTab',
      listKind: 'CronTabList',
    };
    const c = crd(
      { plural: 'crontabs', kind: 'Other', listKind: 'CronTabList', categories: ['all'] },
      {
        acceptedNames: accepted,
        conditions: [
          { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'm' },
        ],
      },
    );
    const r = calculateNamesAndConditions(c, used(other, accepted));
    expect(r.names.kind).toBe('CronTab');
    expect(r.names.categories).toEqual(['all']);
    expect(r.namesAccepted.reason).toBe('KindConflict');
    expect(r.established).toMatchObject({ status: 'True', reason: 'InitialNamesAccepted' });
  });

  test("a CRD's own accepted names never conflict with themselves", () => {
    const accepted = {
      plural: 'crontabs',
      singular: 'crontab',
      kind: 'CronTab',
      listKind: 'CronTabList',
      shortNames: ['ct'],
    };
    const r = calculateNamesAndConditions(
      crd({ plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'] }, { acceptedNames: accepted }),
      used(accepted),
    );
    expect(r.namesAccepted.status).toBe('True');
  });
});

describe('API approval condition (apiapproval controller)', () => {
  const withAnnotation = (group: string, value?: string): KubeObject => ({
    metadata: {
      name: `x.${group}`,
      ...(value === undefined ? {} : { annotations: { 'api-approved.kubernetes.io': value } }),
    },
    spec: { group },
  });

  test.each<[string, KubeObject, unknown]>([
    [
      'groups outside k8s.io and kubernetes.io get no condition',
      withAnnotation('stable.example.com'),
      undefined,
    ],
    [
      'a protected group without the annotation → MissingAnnotation',
      withAnnotation('x.k8s.io'),
      {
        status: 'False',
        reason: 'MissingAnnotation',
        message:
          'protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
      },
    ],
    [
      '"unapproved…" → UnapprovedAnnotation',
      withAnnotation('x.k8s.io', 'unapproved, testing'),
      {
        status: 'False',
        reason: 'UnapprovedAnnotation',
        message: 'not approved: "unapproved, testing"',
      },
    ],
    [
      'a URL → ApprovedAnnotation',
      withAnnotation('kubernetes.io', 'https://github.com/kubernetes/kubernetes/pull/1'),
      {
        status: 'True',
        reason: 'ApprovedAnnotation',
        message: 'approved in https://github.com/kubernetes/kubernetes/pull/1',
      },
    ],
    [
      'anything else → InvalidAnnotation',
      withAnnotation('a.kubernetes.io', 'yes'),
      { status: 'False', reason: 'InvalidAnnotation' },
    ],
  ])('%s', (_rule, c, expected) => {
    const cond = apiApprovalCondition(c);
    if (expected === undefined) expect(cond).toBeUndefined();
    else
      expect(cond).toMatchObject({
        type: 'KubernetesAPIApprovalPolicyConformant',
        ...(expected as object),
      });
  });
});
