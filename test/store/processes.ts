/**
 * Real processes for the store's end-to-end suites: etcd 3.4 (Debian `etcd-server`) and the
 * `kuberx etcd` binary, each on free loopback ports with a temp data dir, stopped by PID.
 *
 * When etcd/etcdctl is missing: under CI (`CI=true`) the suites fail; elsewhere they are skipped
 * with a message saying why.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { etcdBinary, realEtcdArgs } from '../../bench/real-etcd.js';

export const etcdBin = etcdBinary;
export const etcdctlBin = process.env.ETCDCTL_BIN ?? '/usr/bin/etcdctl';
export const kuberxBin = fileURLToPath(new URL('../../bin/kuberx.js', import.meta.url));

/** `describe`, or — outside CI, when a needed tool is missing — `describe.skip` with a message. */
export function describeWithTools(tools: string[], name: string, fn: () => void): void {
  const missing = tools.filter((t) => !existsSync(t));
  if (missing.length === 0) {
    describe(name, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      test(`needs ${missing.join(', ')}`, () => {
        throw new Error(
          `${missing.join(', ')} not installed (apt-get install etcd-server etcd-client)`,
        );
      });
    });
  } else {
    process.stderr.write(`skipping "${name}": ${missing.join(', ')} not installed\n`);
    describe.skip(name, fn);
  }
}

/** A free loopback TCP port (listen on 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Proc {
  child: ChildProcess;
  /** Client URL, e.g. http://127.0.0.1:PORT */
  url: string;
  dataDir: string;
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function track(child: ChildProcess): { output: () => string; exited: Promise<void> } {
  let out = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return { output: () => out, exited };
}

function stopper(child: ChildProcess, exited: Promise<void>) {
  return async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
  };
}

/** Waits until `etcdctl endpoint health` succeeds against `url`. */
export async function waitHealthy(
  url: string,
  proc: ChildProcess,
  output: () => string,
): Promise<void> {
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`process exited before becoming healthy:\n${output()}`);
    }
    const ok = await new Promise<boolean>((resolve) =>
      execFile(
        etcdctlBin,
        [
          '--endpoints',
          url,
          '--dial-timeout',
          '1s',
          '--command-timeout',
          '1s',
          'endpoint',
          'health',
        ],
        { env: { ...process.env, ETCDCTL_API: '3' } },
        (err) => resolve(!err),
      ),
    );
    if (ok) return;
    await sleep(50);
  }
}

/** Starts a real etcd (single member) on free loopback ports with a fresh temp data dir. */
export async function startRealEtcd(dataDir?: string): Promise<Proc> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'kuberx-real-etcd-'));
  const clientPort = await freePort();
  const peerPort = await freePort();
  const url = `http://127.0.0.1:${clientPort}`;
  const child = spawn(etcdBin, realEtcdArgs(dir, clientPort, peerPort), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output, exited } = track(child);
  const stop = stopper(child, exited);
  try {
    await waitHealthy(url, child, output);
  } catch (err) {
    await stop('SIGKILL');
    throw err;
  }
  return {
    child,
    url,
    dataDir: dir,
    output,
    stop: async (signal) => {
      await stop(signal);
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the `kuberx etcd` binary (built by `npm run build`) on a free port; resolves once it has
 * printed its ready line. `dataDir` undefined = `--memory`.
 */
export async function startKuberxEtcd(
  options: { dataDir?: string; args?: string[] } = {},
): Promise<Proc> {
  const args = [kuberxBin, 'etcd', '--listen-client-urls', 'http://127.0.0.1:0'];
  if (options.dataDir) args.push('--data-dir', options.dataDir);
  else args.push('--memory');
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBERX_LOG_LEVEL: 'warn' },
  });
  const { output, exited } = track(child);
  const stop = stopper(child, exited);
  let url: string | undefined;
  while (!url) {
    const m = /kuberx etcd ready: (\S+)/.exec(output());
    if (m) url = m[1]!.split(',')[0];
    else if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`kuberx etcd exited before it was ready:\n${output()}`);
    } else await sleep(10);
  }
  return { child, url, dataDir: options.dataDir ?? '', output, stop };
}

/** Runs etcdctl against `url`; resolves with exit code and output (never rejects). */
export function etcdctl(
  url: string,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      etcdctlBin,
      ['--endpoints', url, ...args],
      { env: { ...process.env, ETCDCTL_API: '3' }, timeout: 20_000 },
      (err, stdout, stderr) =>
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export { rmSync };
