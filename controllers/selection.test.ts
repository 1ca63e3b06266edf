import type { ControllerDescriptor } from './registry.js';
import { enabledControllers, isControllerEnabled, parseControllerList } from './selection.js';

const d = (name: string, opts: Partial<ControllerDescriptor> = {}): ControllerDescriptor => ({
  name,
  defaultConcurrency: 1,
  register: () => {},
  ...opts,
});

describe('--controllers (upstream TestIsControllerEnabled)', () => {
  const bootstrapsigner = d('bootstrapsigner', { disabledByDefault: true });
  test.each<[string, ControllerDescriptor, string, boolean]>([
    ['empty list enables nothing', d('a'), '', false],
    ['* enables a default controller', d('a'), '*', true],
    ['* does not enable a disabled-by-default controller', bootstrapsigner, '*', false],
    [
      'naming a disabled-by-default controller enables it',
      bootstrapsigner,
      '*,bootstrapsigner',
      true,
    ],
    ['-name disables it', d('a'), '*,-a', false],
    ['the first entry naming it wins (enabled)', d('a'), 'a,-a', true],
    ['the first entry naming it wins (disabled)', d('a'), '-a,a,*', false],
    ['without * only named controllers run', d('a'), 'b', false],
    [
      'an alias names the controller',
      d('garbagecollector', { aliases: ['garbage-collector-controller'] }),
      '-garbage-collector-controller,*',
      false,
    ],
  ])('%s', (_n, descriptor, list, want) => {
    expect(isControllerEnabled(descriptor, parseControllerList(list))).toBe(want);
  });

  test('an unknown name is refused with upstream wording', () => {
    expect(() => enabledControllers([d('a')], '*,-nope')).toThrow(
      '"nope" is not in the list of known controllers',
    );
  });

  test('the enabled controllers keep registry order', () => {
    expect(enabledControllers([d('a'), d('b'), d('c')], 'c, a').map((x) => x.name)).toEqual([
      'a',
      'c',
    ]);
  });
});
