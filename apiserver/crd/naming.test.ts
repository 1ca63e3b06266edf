import { calculateNamesAndConditions } from '../registry/apiextensions/naming.js';
import { builtinResourceTypes, type KubeObject } from '../registry/index.js';
import { apiApprovalCondition, builtinNameHolders } from './naming.js';

function crd(group: string, names: Record<string, unknown>): KubeObject {
  return {
    metadata: { name: `${names.plural}.${group}` },
    spec: { group, names },
    status: { acceptedNames: { plural: '', kind: '' } },
  };
}

describe('built-in resources hold their names (kuberx: a CRD never shadows a built-in)', () => {
  const builtins = builtinResourceTypes();

  test.each<[string, string, Record<string, unknown>, string, string]>([
    [
      'a built-in plural → PluralConflict',
      'networking.k8s.io',
      { plural: 'ingresses', singular: 'ingress2', kind: 'Ingress2', listKind: 'Ingress2List' },
      'PluralConflict',
      '"ingresses" is already in use',
    ],
    [
      'a built-in kind → KindConflict',
      'apps',
      { plural: 'things', singular: 'thing', kind: 'Deployment', listKind: 'ThingList' },
      'KindConflict',
      '"Deployment" is already in use',
    ],
    [
      'a built-in short name → ShortNamesConflict',
      'apps',
      {
        plural: 'things',
        singular: 'thing',
        kind: 'Thing',
        listKind: 'ThingList',
        shortNames: ['deploy'],
      },
      'ShortNamesConflict',
      '"deploy" is already in use',
    ],
  ])('%s', (_rule, group, names, reason, message) => {
    const r = calculateNamesAndConditions(crd(group, names), builtinNameHolders(builtins, group));
    expect(r.namesAccepted).toMatchObject({ status: 'False', reason, message });
  });

  test('built-ins of other groups hold nothing in this one', () => {
    const names = {
      plural: 'ingresses',
      singular: 'ingress',
      kind: 'Ingress',
      listKind: 'IngressList',
    };
    const group = 'stable.example.com';
    const r = calculateNamesAndConditions(crd(group, names), builtinNameHolders(builtins, group));
    expect(r.namesAccepted).toMatchObject({ status: 'True', reason: 'NoConflicts' });
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
