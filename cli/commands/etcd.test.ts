import { Command } from 'commander';
import { parseDuration, registerEtcd } from './etcd.js';

function capture() {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
    },
    out: () => out,
    err: () => err,
  };
}

/**
 * Runs `kuberx etcd …` on a program holding only this command (the other commands and their
 * components stay out of this test); resolves with the exit code as `runCli` would.
 */
async function runEtcd(args: string[], io: ReturnType<typeof capture>['io']): Promise<number> {
  const program = new Command('kuberx').exitOverride();
  program.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
  });
  registerEtcd(program, io).exitOverride();
  try {
    await program.parseAsync(['node', 'kuberx', 'etcd', ...args]);
    return 0;
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code;
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}

describe('kuberx etcd', () => {
  test.each([
    ['10m', 600_000],
    ['5s', 5000],
    ['250ms', 250],
    ['1h', 3_600_000],
    ['1.5s', 1500],
  ])('--watch-progress-notify-interval %s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test('a duration without a unit is a usage error', () => {
    expect(() => parseDuration('10')).toThrow('is not a duration');
  });

  test('an https:// client URL without --cert-file and --key-file fails with a clear message', async () => {
    const c = capture();
    const code = await runEtcd(['--memory', '--listen-client-urls', 'https://127.0.0.1:0'], c.io);
    expect(code).toBe(1);
    expect(c.err()).toContain('https:// client URLs need --cert-file and --key-file');
  });

  test('--client-cert-auth without --trusted-ca-file fails with a clear message', async () => {
    const c = capture();
    const code = await runEtcd(
      ['--memory', '--client-cert-auth', '--listen-client-urls', 'http://127.0.0.1:0'],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.err()).toContain('--client-cert-auth needs --trusted-ca-file');
  });

  test('--help documents the etcd flags', async () => {
    const c = capture();
    expect(await runEtcd(['--help'], c.io)).toBe(0);
    for (const flag of [
      '--data-dir',
      '--listen-client-urls',
      '--memory',
      '--cert-file',
      '--key-file',
      '--trusted-ca-file',
      '--client-cert-auth',
    ]) {
      expect(c.out()).toContain(flag);
    }
  });
});
