/**
 * Runs the real kubectl binaries installed on this machine against a test server: one runner per
 * version, each with its own discovery cache (`KUBECACHEDIR` in a temp dir, never `~/.kube`) and no
 * kubeconfig (`--server` only). When no versioned kubectl is installed the suite fails under CI and
 * is skipped with a message elsewhere.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const kubectlDir = process.env.KUBECTL_DIR ?? '/usr/lib/google-cloud-sdk/bin';
export const allVersions = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'];

/** Installed versioned binaries (e.g. `kubectl.1.30`), optionally restricted by `KUBECTL_VERSIONS`. */
export function installedVersions(): string[] {
  const wanted = process.env.KUBECTL_VERSIONS?.split(',').map((v) => v.trim()) ?? allVersions;
  return wanted.filter((v) => existsSync(join(kubectlDir, `kubectl.${v}`)));
}

/** `describe.each` over versions, or a failing test under CI / a skip elsewhere when none exist. */
export function describeKubectl(name: string, fn: (version: string) => void): void {
  const versions = installedVersions();
  if (versions.length > 0) {
    describe.each(versions)(`${name} (kubectl %s)`, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      test('needs versioned kubectl binaries', () => {
        throw new Error(`no kubectl.1.27 … kubectl.1.33 under ${kubectlDir}`);
      });
    });
  } else {
    process.stderr.write(`skipping "${name}": no versioned kubectl under ${kubectlDir}\n`);
    describe.skip(name, () => fn('none'));
  }
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  readonly bin: string;
  readonly cacheDir: string;
  private readonly children: ChildProcess[] = [];

  constructor(
    readonly version: string,
    readonly server: string,
    readonly namespace: string,
  ) {
    this.bin = join(kubectlDir, `kubectl.${version}`);
    this.cacheDir = mkdtempSync(join(tmpdir(), `kuberx-kubectl-${version}-`));
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      KUBECACHEDIR: this.cacheDir,
      KUBECONFIG: '/dev/null',
      HOME: this.cacheDir,
    };
  }

  private args(args: string[]): string[] {
    return ['--server', this.server, '-n', this.namespace, ...args];
  }

  /** Runs kubectl; resolves with the exit code and output (never rejects). */
  run(args: string[], input?: string): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        this.bin,
        this.args(args),
        { env: this.env(), timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      if (input !== undefined) child.stdin!.end(input);
    });
  }

  /** Runs kubectl and throws with its stderr when it fails. */
  async ok(args: string[], input?: string): Promise<string> {
    const r = await this.run(args, input);
    if (r.code !== 0) {
      throw new Error(
        `kubectl ${this.version} ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`,
      );
    }
    return r.stdout;
  }

  /** Writes `content` to a temp file and returns its path (for `-f`). */
  file(name: string, content: string): string {
    const path = join(this.cacheDir, name);
    writeFileSync(path, content);
    return path;
  }

  /** Starts a long-running kubectl (e.g. `get -w`); output accumulates until `stop()`. */
  start(args: string[]): { output(): string; stop(): Promise<void> } {
    const child = spawn(this.bin, this.args(args), {
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    return {
      output: () => out,
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  }

  /** Stops every started process and removes the cache dir. */
  async close(): Promise<void> {
    for (const c of this.children) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
    rmSync(this.cacheDir, { recursive: true, force: true });
  }
}

/** Polls `cond` (real time; a real kubectl process is involved) until true or `timeoutMs`. */
export async function eventually(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
