/**
 * `npx kuberx run examples/crontab-operator --kubeconfig FILE` as a user runs it: the built binary
 * in a child process (dist/ is built by `npm ci` / `npm test`), against kuberx's API server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment, isNotFound } from '../../framework/index.js';
import { eventually, startTestEnv, type TestEnv } from '../../framework/testing/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'kuberx.js');

let env: TestEnv;
const children: ChildProcess[] = [];

beforeAll(async () => {
  env = await startTestEnv({ crds: ['crds/crontab.yaml'] });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await env.stop();
});

function kuberx(args: string[], extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...process.env, KUBERX_LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const result = { stdout: '', stderr: '', code: undefined as number | null | undefined };
  child.stdout!.on('data', (d) => (result.stdout += d));
  child.stderr!.on('data', (d) => (result.stderr += d));
  child.on('exit', (code) => (result.code = code));
  return { child, result };
}

test('the operator runs from the CLI, reconciles CronTabs, and stops cleanly on SIGTERM', async () => {
  const { child, result } = kuberx([
    'run',
    'examples/crontab-operator',
    '--kubeconfig',
    env.kubeconfigPath,
    '--metrics-bind-address',
    '127.0.0.1:0',
  ]);
  await eventually(
    () => result.stdout.includes('kuberx run ready: 1 controller(s)') || result.code != null,
    'ready',
    20_000,
  );
  expect(result.stderr).toBe('');
  await env.client.create({
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'from-cli', namespace: 'default' },
    spec: { cronSpec: '*/5 * * * *', image: 'cli:1', replicas: 2 },
  } as never);
  await eventually(
    async () => {
      try {
        const d = await env.client.get(Deployment, 'from-cli', { namespace: 'default' });
        return d.spec?.replicas === 2;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    'the Deployment made by the CLI operator',
    20_000,
  );
  child.kill('SIGTERM');
  await eventually(() => result.code !== undefined, 'the process to exit', 20_000);
  expect(result.code).toBe(0);
});

test('a module that does not exist is a clear error and exit code 1', async () => {
  const { result } = kuberx(['run', 'examples/nope', '--kubeconfig', env.kubeconfigPath]);
  await eventually(() => result.code !== undefined, 'exit', 20_000);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('error: module examples/nope does not exist');
});

test('no kubeconfig anywhere is a clear error and exit code 1', async () => {
  const home = mkdtempSync(join(tmpdir(), 'kuberx-home-'));
  try {
    const { result } = kuberx(['run', 'examples/crontab-operator'], { HOME: home, KUBECONFIG: '' });
    await eventually(() => result.code !== undefined, 'exit', 20_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: no kubeconfig found: pass --kubeconfig');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
