import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/kuberx.js', import.meta.url));
const exec = promisify(execFile);

describe('the kuberx binary (built by npm ci)', () => {
  test('--help lists the commands', async () => {
    const { stdout } = await exec(process.execPath, [bin, '--help']);
    expect(stdout).toContain('Usage: kuberx');
    expect(stdout).toContain('controller-manager');
  });

  test('a usage error exits non-zero', async () => {
    await expect(exec(process.execPath, [bin, 'up', '--bogus'])).rejects.toMatchObject({ code: 1 });
  });
});
