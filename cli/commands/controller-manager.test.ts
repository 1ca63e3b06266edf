import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controllerDescriptors } from '../../controllers/index.js';
import { kubeConfigForServer } from '../../framework/index.js';
import { runCli } from '../index.js';
import { concurrencyFlags, parseDuration } from './controller-manager.js';

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['node', 'kuberx', 'controller-manager', ...args], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  return { code, out, err };
}

describe('kuberx controller-manager flags', () => {
  test.each([
    ['15s', 15_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['2h', 7_200_000],
    ['1.5s', 1_500],
  ])('the duration %s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['15', 's', '1x', '', '10s5'])('"%s" is not a duration', (text) => {
    expect(() => parseDuration(text)).toThrow('is not a duration');
  });

  test('every controller with workers has its upstream flag, with the same default', () => {
    for (const d of controllerDescriptors) {
      if (!d.concurrencyFlag) continue;
      expect(concurrencyFlags).toContainEqual({
        flag: d.concurrencyFlag,
        controller: d.name,
        def: d.defaultConcurrency,
      });
    }
  });

  test('--help lists the upstream flags and their defaults', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    for (const flag of [
      '--controllers',
      '--leader-elect',
      '--kube-api-qps',
      '--concurrent-gc-syncs',
    ]) {
      expect(out).toContain(flag);
    }
    expect(out).toContain('workers of the garbagecollector controller (default 20)');
  });

  describe('with a kubeconfig', () => {
    let dir: string;
    let kubeconfig: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kuberx-cm-'));
      kubeconfig = join(dir, 'kubeconfig');
      await writeFile(kubeconfig, kubeConfigForServer('http://127.0.0.1:1').exportConfig());
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    test('an unknown controller is refused with upstream wording', async () => {
      const { code, err } = await run('--kubeconfig', kubeconfig, '--controllers', '*,-bogus');
      expect(code).toBe(1);
      expect(err).toContain('"bogus" is not in the list of known controllers');
    });

    test('a bad worker count is a usage error', async () => {
      const { code, err } = await run('--kubeconfig', kubeconfig, '--concurrent-gc-syncs', '0');
      expect(code).toBe(1);
      expect(err).toContain('"0" is not a number >= 1.');
    });
  });
});
