import { runCli, KUBERX_VERSION } from './index.js';

function io() {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    },
    out: () => stdout,
    err: () => stderr,
  };
}

const run = async (...args: string[]) => {
  const c = io();
  const code = await runCli(['node', 'kuberx', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
};

const commands = ['up', 'apiserver', 'etcd', 'controller-manager', 'scheduler', 'nodes', 'run'];

describe('kuberx CLI', () => {
  test('--help lists every command and exits 0', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    for (const name of commands) expect(out).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  });

  test('no arguments prints help and exits non-zero', async () => {
    const { code, out } = await run();
    expect(code).toBe(1);
    expect(out).toContain('Usage: kuberx');
  });

  test('--version prints the version', async () => {
    const { code, out } = await run('--version');
    expect(code).toBe(0);
    expect(out.trim()).toBe(KUBERX_VERSION);
  });

  test.each(commands)('%s --help describes the command and exits 0', async (name) => {
    const { code, out } = await run(name, '--help');
    expect(code).toBe(0);
    expect(out).toContain(`Usage: kuberx ${name}`);
  });

  test('up --help shows the documented defaults', async () => {
    const { out } = await run('up', '--help');
    expect(out).toContain('(default: ".kuberx")');
    expect(out).toContain('(default: 6443)');
    expect(out).toContain('(default: 3)');
  });

  test('an unknown command is an error', async () => {
    const { code, err } = await run('frobnicate');
    expect(code).toBe(1);
    expect(err).toContain("unknown command 'frobnicate'");
  });

  test('an unknown flag is an error naming the flag', async () => {
    const { code, err } = await run('up', '--no-such-flag');
    expect(code).toBe(1);
    expect(err).toContain("unknown option '--no-such-flag'");
  });

  test.each([
    ['up', '--port', '70000', 'is not a port number'],
    ['up', '--port', 'abc', 'is not a port number'],
    ['up', '--nodes', '-1', 'is not a whole number'],
    ['nodes', '--count', '0', 'is not a whole number >= 1'],
    ['apiserver', '--etcd-servers', 'not a url', 'is not a URL'],
  ])('%s %s %s is rejected with a clear message', async (cmd, flag, value, message) => {
    const { code, err } = await run(cmd, flag, value);
    expect(code).toBe(1);
    expect(err).toContain(message);
  });

  test('run requires its module argument', async () => {
    const { code, err } = await run('run');
    expect(code).toBe(1);
    expect(err).toContain("missing required argument 'module'");
  });
});
