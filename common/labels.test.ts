import {
  LabelSelectorError,
  labelSelectorFromObject,
  parseLabelSelector,
  validateLabelKey,
} from './labels.js';

const labels = { app: 'web', tier: 'frontend', version: '3' };

describe('parseLabelSelector', () => {
  test.each([
    ['the empty selector matches everything', '', true],
    ['= matches an equal value', 'app=web', true],
    ['== is the same as =', 'app==web', true],
    ['= fails on a different value', 'app=db', false],
    ['= fails when the label is missing', 'zone=a', false],
    ['!= matches a different value', 'app!=db', true],
    ['!= matches a missing label', 'zone!=a', true],
    ['!= fails on an equal value', 'app!=web', false],
    ['in matches a listed value', 'tier in (backend,frontend)', true],
    ['in fails on a missing label', 'zone in (a,b)', false],
    ['notin matches a missing label', 'zone notin (a)', true],
    ['notin fails on a listed value', 'tier notin (frontend)', false],
    ['a bare key requires the label', 'app', true],
    ['a bare key fails when missing', 'zone', false],
    ['! requires the label to be absent', '!zone', true],
    ['! fails when the label is present', '!app', false],
    ['commas AND the requirements', 'app=web,tier=frontend', true],
    ['one failing requirement fails the AND', 'app=web,tier=backend', false],
    ['gt compares integers', 'version>2', true],
    ['lt compares integers', 'version<2', false],
    ['whitespace around tokens is ignored', ' app = web , tier in ( frontend ) ', true],
    ['a prefixed key parses', 'example.com/role', false],
  ])('%s: %s', (_name, selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  test.each([
    ['an operator with no key', '=web'],
    ['a trailing comma', 'app=web,'],
    ['an unterminated set', 'tier in (a,b'],
    ['in without parentheses', 'tier in a'],
    ['an invalid key', 'bad key=web'],
    ['a value longer than 63 characters', `app=${'x'.repeat(64)}`],
    ['a non-integer gt operand', 'version>x'],
    ['two operators', 'app==!=web'],
  ])('%s is a LabelSelectorError: %s', (_name, selector) => {
    expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
  });

  test('the canonical string sorts requirements by key and set values', () => {
    expect(parseLabelSelector('tier in (b,a),app=web,!zone').toString()).toBe(
      'app=web,tier in (a,b),!zone',
    );
  });
});

describe('labelSelectorFromObject', () => {
  test('null selects nothing and {} selects everything, as LabelSelectorAsSelector', () => {
    expect(labelSelectorFromObject(null).matches(labels)).toBe(false);
    expect(labelSelectorFromObject({}).matches(labels)).toBe(true);
  });

  test('matchLabels and matchExpressions are ANDed', () => {
    const sel = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend'] },
        { key: 'zone', operator: 'DoesNotExist' },
      ],
    });
    expect(sel.matches(labels)).toBe(true);
    expect(sel.matches({ ...labels, zone: 'a' })).toBe(false);
    expect(sel.toString()).toBe('app=web,tier in (frontend),!zone');
  });

  test('In with no values is an error', () => {
    expect(() =>
      labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
    ).toThrow(LabelSelectorError);
  });
});

describe('validateLabelKey', () => {
  test.each([
    ['app', 0],
    ['example.com/app', 0],
    ['Example.com/app', 1],
    ['/app', 1],
    ['a/b/c', 1],
    ['-app', 1],
    ['x'.repeat(64), 1],
  ])('%s has %d problems', (key, count) => {
    expect(validateLabelKey(key)).toHaveLength(count);
  });
});
