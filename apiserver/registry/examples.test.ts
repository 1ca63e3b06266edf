import { builtinResourceTypes } from './index.js';
import { examples } from './testing/examples.js';
import { create } from './testing/harness.js';

describe('every built-in type has a valid example', () => {
  const types = builtinResourceTypes();

  test('there is one example per type', () => {
    expect(Object.keys(examples).sort()).toEqual(
      types.map((t) => `${t.group}/${t.version}/${t.resource}`).sort(),
    );
  });

  test.each(types.map((t) => [`${t.group}/${t.version}/${t.resource}`, t] as const))(
    '%s: the example passes defaulting and validation',
    (key, t) => {
      expect(create(t, examples[key]).errors).toEqual([]);
    },
  );
});
