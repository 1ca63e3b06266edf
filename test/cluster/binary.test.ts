/**
 * The `kuberx` binary itself (built by `npm ci` / `npm test`'s pretest): `kuberx up` prints the
 * export line, kubectl 1.33 works with it, `kuberx nodes` adds nodes to it, and both stop cleanly
 * on SIGINT.
 */
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeCluster, kubectlBin, until } from './harness.js';
import { execFile } from 'node:child_process';

jest.setTimeout(120_000);

const bin = fileURLToPath(new URL('../../bin/kuberx.js', import.meta.url));

interface Running {
  child: ChildProcess;
  out(): string;
  err(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, KUBERX_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out: () => out, err: () => err, exit };
}

function kubectl(home: string, kubeconfig: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      kubectlBin,
      ['--kubeconfig', kubeconfig, ...args],
      { env: { ...process.env, KUBECACHEDIR: home, HOME: home, KUBECONFIG: '' } },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describeCluster('the kuberx binary', () => {
  let dir: string;
  const children: Running[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kuberx-bin-'));
  });
  afterAll(async () => {
    for (const r of children) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  test('kuberx up prints the export line, serves kubectl, takes kuberx nodes, and stops on SIGINT', async () => {
    const up = run(['up', '--data-dir', join(dir, 'cluster'), '--port', '0', '--nodes', '2']);
    children.push(up);
    await until(
      async () => /^export KUBECONFIG=(.+)$/m.test(up.out()) || up.child.exitCode !== null,
      'export line',
    );
    expect(up.out()).toMatch(
      /^kuberx up: cluster ready in \d+\.\d\ds \(2 nodes, API server https:\/\/127\.0\.0\.1:\d+\)$/m,
    );
    const kubeconfig = /^export KUBECONFIG=(.+)$/m.exec(up.out())![1]!;
    expect(kubeconfig).toBe(join(dir, 'cluster', 'kubeconfig'));

    const home = join(dir, 'home');
    // Ready means ready: a pod can be created at once (the default ServiceAccount exists).
    await kubectl(home, kubeconfig, ['run', 'first', '--image=nginx:1.25']);
    const nodes = await kubectl(home, kubeconfig, ['get', 'nodes']);
    expect(nodes).toMatch(/kuberx-node-1\s+Ready/);
    expect(nodes).toMatch(/kuberx-node-2\s+Ready/);

    const extra = run([
      'nodes',
      '--kubeconfig',
      kubeconfig,
      '--count',
      '2',
      '--name-prefix',
      'extra-',
    ]);
    children.push(extra);
    await until(
      async () => extra.out().includes('kuberx nodes: 2 nodes ready'),
      'kuberx nodes ready',
    );
    expect(await kubectl(home, kubeconfig, ['get', 'node', 'extra-2'])).toMatch(/extra-2\s+Ready/);
    extra.child.kill('SIGINT');
    expect(await extra.exit).toEqual({ code: 0, signal: null });

    up.child.kill('SIGINT');
    expect(await up.exit).toEqual({ code: 0, signal: null });
    expect(up.err()).toContain('kuberx up: stopped');
  });
});

describeCluster('the kuberx binary with --components-thread', () => {
  let dir: string;
  let up: Running | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kuberx-bin-thread-'));
  });
  afterAll(async () => {
    if (up && up.child.exitCode === null) up.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  test('runs the controllers, scheduler and nodes on a worker thread and stops on SIGINT', async () => {
    up = run([
      'up',
      '--data-dir',
      join(dir, 'cluster'),
      '--port',
      '0',
      '--nodes',
      '1',
      '--components-thread',
    ]);
    await until(
      async () => up!.out().includes('export KUBECONFIG=') || up!.child.exitCode !== null,
      'export line',
    );
    const kubeconfig = /^export KUBECONFIG=(.+)$/m.exec(up.out())![1]!;
    const home = join(dir, 'home');
    await kubectl(home, kubeconfig, ['create', 'deployment', 'web', '--image=nginx:1.25']);
    await kubectl(home, kubeconfig, ['rollout', 'status', 'deployment/web', '--timeout=60s']);
    expect(await kubectl(home, kubeconfig, ['get', 'pods', '-o', 'wide'])).toMatch(
      /Running.*kuberx-node-1/,
    );
    up.child.kill('SIGINT');
    expect(await up.exit).toEqual({ code: 0, signal: null });
  });
});
