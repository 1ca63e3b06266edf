import { calculateNamesAndConditions, establishedCondition } from './naming.js';

const crd = (
  name: string,
  names: Record<string, unknown>,
  accepted?: Record<string, unknown>,
  group = 'example.com',
) => ({
  metadata: { name },
  spec: { group, names },
  status: { acceptedNames: accepted ?? { plural: '', kind: '' } },
});

describe('CRD naming (NamingConditionController.calculateNamesAndConditions)', () => {
  test('fresh names are accepted: NamesAccepted True/NoConflicts, Established False/Installing', () => {
    const r = calculateNamesAndConditions(
      crd('widgets.example.com', {
        plural: 'widgets',
        singular: 'widget',
        kind: 'Widget',
        listKind: 'WidgetList',
        shortNames: ['wd'],
      }),
      [],
    );
    expect(r.acceptedNames).toEqual({
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wd'],
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

  test.each([
    [
      'plural',
      { plural: 'things', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
      'PluralConflict',
      '"things" is already in use',
    ],
    [
      'kind',
      { plural: 'gadgets', singular: 'gadget', kind: 'Thing', listKind: 'GadgetList' },
      'KindConflict',
      '"Thing" is already in use',
    ],
    [
      'list kind',
      { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'ThingList' },
      'ListKindConflict',
      '"ThingList" is already in use',
    ],
    [
      'short name',
      {
        plural: 'gadgets',
        singular: 'gadget',
        kind: 'Gadget',
        listKind: 'GadgetList',
        shortNames: ['th'],
      },
      'ShortNamesConflict',
      '"th" is already in use',
    ],
  ])('a %s taken by another CRD of the group is a conflict', (_what, names, reason, message) => {
    const other = crd(
      'things.example.com',
      { plural: 'things' },
      {
        plural: 'things',
        singular: 'thing',
        kind: 'Thing',
        listKind: 'ThingList',
        shortNames: ['th'],
      },
    );
    const r = calculateNamesAndConditions(crd('gadgets.example.com', names), [other]);
    expect(r.namesAccepted).toEqual({ type: 'NamesAccepted', status: 'False', reason, message });
    expect(r.established).toEqual({
      type: 'Established',
      status: 'False',
      reason: 'NotAccepted',
      message: 'not all names are accepted',
    });
  });

  test('the same names in another group do not conflict', () => {
    const other = crd(
      'things.other.io',
      {},
      { plural: 'things', singular: 'thing', kind: 'Thing', listKind: 'ThingList' },
      'other.io',
    );
    const r = calculateNamesAndConditions(
      crd('things.example.com', {
        plural: 'things',
        singular: 'thing',
        kind: 'Thing',
        listKind: 'ThingList',
      }),
      [other],
    );
    expect(r.namesAccepted.status).toBe('True');
  });

  test('an established CRD stays established, and the establishing condition is upstream', () => {
    const c = crd('w.example.com', { plural: 'w', singular: 'w1', kind: 'W', listKind: 'WList' });
    (c.status as any).conditions = [establishedCondition()];
    expect(calculateNamesAndConditions(c, []).established).toEqual({
      type: 'Established',
      status: 'True',
      reason: 'InitialNamesAccepted',
      message: 'the initial names have been accepted',
    });
  });
});
