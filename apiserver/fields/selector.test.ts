import { FieldSelectorError, parseFieldSelector } from './selector.js';

const pod = {
  'metadata.name': 'web-1',
  'metadata.namespace': 'prod',
  'spec.nodeName': 'node-a',
  'status.phase': 'Running',
};

describe('parseFieldSelector', () => {
  test.each([
    ['the empty selector matches everything', '', true],
    ['= matches an equal value', 'metadata.name=web-1', true],
    ['== is the same as =', 'metadata.name==web-1', true],
    ['= fails on a different value', 'metadata.name=web-2', false],
    ['!= matches a different value', 'status.phase!=Pending', true],
    ['!= fails on an equal value', 'status.phase!=Running', false],
    ['terms are ANDed', 'spec.nodeName=node-a,status.phase=Running', true],
    ['one failing term fails the AND', 'spec.nodeName=node-a,status.phase=Failed', false],
    ['an empty value matches an empty field (unscheduled pods)', 'spec.nodeName=', false],
    ['a missing field counts as the empty string', 'spec.unknown=', true],
  ])('%s: %s', (_name, selector, expected) => {
    expect(parseFieldSelector(selector).matches(pod)).toBe(expected);
  });

  test('an escaped comma is part of the value', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b');
    expect(sel.requirements).toEqual([{ field: 'metadata.name', operator: '=', value: 'a,b' }]);
    expect(sel.toString()).toBe('metadata.name=a\\,b');
  });

  test('requiresExactMatch finds the name kubectl pins with metadata.name=', () => {
    expect(parseFieldSelector('metadata.name=web-1').requiresExactMatch('metadata.name')).toBe(
      'web-1',
    );
  });

  test.each([
    ['a term without an operator', 'metadata.name'],
    ['a term without a key', '=web'],
    ['an unescaped = in a value', 'metadata.name=a=b'],
    ['a bad escape', 'metadata.name=a\\x'],
  ])('%s is a FieldSelectorError: %s', (_name, selector) => {
    expect(() => parseFieldSelector(selector)).toThrow(FieldSelectorError);
  });
});
