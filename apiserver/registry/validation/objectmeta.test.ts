import { fieldErrorMessage } from '../../../common/index.js';
import {
  nameIsDNS1035Label,
  nameIsDNSLabel,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './objectmeta.js';
import { formatLabelSelector, selectorMatches, validateLabelSelector } from './selector.js';

const msgs = (errs: ReturnType<typeof validateObjectMeta>) => errs.map(fieldErrorMessage);

// Rows follow k8s.io/apimachinery/pkg/api/validation/objectmeta_test.go.
describe('ValidateObjectMeta', () => {
  test('a name or generateName is required', () => {
    expect(msgs(validateObjectMeta({ namespace: 'ns' }, { namespaced: true }))).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
  });

  test('namespaced types require a namespace; cluster-scoped ones forbid it', () => {
    expect(msgs(validateObjectMeta({ name: 'a' }, { namespaced: true }))).toEqual([
      'metadata.namespace: Required value',
    ]);
    expect(msgs(validateObjectMeta({ name: 'a', namespace: 'x' }, { namespaced: false }))).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  test('a generateName prefix may end with a dash', () => {
    expect(
      validateObjectMeta(
        { name: 'web-abcde', generateName: 'web-', namespace: 'ns' },
        { namespaced: true },
      ),
    ).toEqual([]);
  });

  test('an invalid generateName is reported on generateName', () => {
    const errs = validateObjectMeta(
      { name: 'x', generateName: 'Web-', namespace: 'ns' },
      { namespaced: true },
    );
    expect(errs.map((e) => e.field)).toEqual(['metadata.generateName']);
  });

  test.each([
    ['subdomain names allow dots', 'a.b', undefined, 0],
    ['DNS labels reject dots', 'a.b', nameIsDNSLabel, 1],
    ['DNS-1035 labels reject a leading digit', '1a', nameIsDNS1035Label, 1],
    ['upper case is invalid', 'Web', undefined, 1],
  ])('%s', (_rule, name, nameFn, count) => {
    expect(validateObjectMeta({ name, namespace: 'ns' }, { namespaced: true, nameFn }).length).toBe(
      count,
    );
  });

  test('a negative generation is invalid', () => {
    expect(msgs(validateObjectMeta({ name: 'a', generation: -1 }, { namespaced: false }))).toEqual([
      'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  test('label keys and values are validated', () => {
    const errs = validateObjectMeta(
      { name: 'a', labels: { 'bad key!': 'v', ok: 'bad value!' } },
      { namespaced: false },
    );
    expect(errs.map((e) => [e.field, e.value])).toEqual([
      ['metadata.labels', 'bad key!'],
      ['metadata.labels', 'bad value!'],
    ]);
  });

  test('annotations over 256 KiB in total are too long', () => {
    const errs = validateObjectMeta(
      { name: 'a', annotations: { a: 'x'.repeat(256 * 1024) } },
      { namespaced: false },
    );
    expect(msgs(errs)).toEqual([
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });

  test('annotation keys are case-insensitive qualified names', () => {
    expect(
      validateObjectMeta(
        { name: 'a', annotations: { 'Example.COM/Key': 'v' } },
        { namespaced: false },
      ),
    ).toEqual([]);
  });

  test('only one owner reference may be the controller', () => {
    const ref = (name: string) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name,
      uid: name,
      controller: true,
    });
    const errs = validateObjectMeta(
      { name: 'a', ownerReferences: [ref('x'), ref('y')] },
      { namespaced: false },
    );
    expect(errs[0].detail).toBe(
      'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/x and ReplicaSet/y',
    );
  });

  test('an owner reference needs apiVersion, kind, name and uid', () => {
    const errs = validateObjectMeta(
      { name: 'a', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
      { namespaced: false },
    );
    expect(msgs(errs)).toEqual([
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]);
  });

  test('orphan and foregroundDeletion finalizers cannot both be set', () => {
    const errs = validateObjectMeta(
      { name: 'a', finalizers: ['orphan', 'foregroundDeletion'] },
      { namespaced: false },
    );
    expect(errs[0].detail).toBe('finalizer orphan and foregroundDeletion cannot be both set');
  });
});

describe('ValidateObjectMetaUpdate', () => {
  const old = {
    name: 'a',
    namespace: 'ns',
    uid: 'u1',
    creationTimestamp: '2024-01-01T00:00:00Z',
    generation: 2,
  };

  test('name, namespace and uid are immutable', () => {
    const errs = validateObjectMetaUpdate({ ...old, name: 'b', uid: 'u2' }, old);
    expect(msgs(errs)).toEqual([
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
  });

  test('generation must not be decremented', () => {
    expect(msgs(validateObjectMetaUpdate({ ...old, generation: 1 }, old))).toEqual([
      'metadata.generation: Invalid value: 1: must not be decremented',
    ]);
  });

  test('no finalizer may be added while the object is being deleted', () => {
    const deleting = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a/b'] };
    const errs = validateObjectMetaUpdate({ ...deleting, finalizers: ['a/b', 'c/d'] }, deleting);
    expect(msgs(errs)).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"c/d"}',
    ]);
  });
});

describe('LabelSelector', () => {
  // Rows follow k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation_test.go.
  test.each([
    [
      'In needs values',
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      'Exists forbids values',
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ],
    [
      'unknown operators are invalid',
      { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] },
      'spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator',
    ],
  ])('%s', (_rule, sel, message) => {
    expect(validateLabelSelector(sel, 'spec.selector').map(fieldErrorMessage)).toEqual([message]);
  });

  test.each([
    [{ matchLabels: { app: 'web' } }, { app: 'web', x: 'y' }, true],
    [{ matchLabels: { app: 'web' } }, { app: 'db' }, false],
    [
      { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
      { tier: 'b' },
      true,
    ],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }, {}, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, {}, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, {}, true],
    [{}, { any: 'thing' }, true],
  ])('selector %j matches %j: %s', (sel, labels, ok) => {
    expect(selectorMatches(sel, labels)).toBe(ok);
  });

  test('FormatLabelSelector sorts requirements by key', () => {
    expect(
      formatLabelSelector({
        matchLabels: { b: '2', a: '1' },
        matchExpressions: [
          { key: 'c', operator: 'In', values: ['y', 'x'] },
          { key: 'aa', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('a=1,!aa,b=2,c in (x,y)');
    expect(formatLabelSelector({})).toBe('<none>');
  });
});
