/**
 * kubectl against a secure test server: each call runs one versioned binary with a kubeconfig
 * (client certificate or token credentials), `KUBECACHEDIR` and `HOME` in a temp dir. Missing
 * binaries fail the suite under CI and skip it elsewhere, like the other real-client suites.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const kubectlDir = process.env.KUBECTL_DIR ?? '/usr/lib/google-cloud-sdk/bin';

export function kubectlPath(version: string): string {
  return join(kubectlDir, `kubectl.${version}`);
}

/** `describe.each` over the versions that are installed; fail under CI / skip elsewhere if none. */
export function describeWithKubectl(
  name: string,
  versions: string[],
  fn: (version: string) => void,
): void {
  const present = versions.filter((v) => existsSync(kubectlPath(v)));
  if (present.length === versions.length) {
    describe.each(present)(`${name} (kubectl %s)`, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      test('needs the kubectl binaries', () => {
        throw new Error(`missing kubectl ${versions.join(', ')} under ${kubectlDir}`);
      });
    });
  } else {
    process.stderr.write(
      `skipping "${name}": kubectl ${versions.join(', ')} not all under ${kubectlDir}\n`,
    );
    describe.skip(name, () => fn('none'));
  }
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class KubectlRunner {
  readonly cacheDir = mkdtempSync(join(tmpdir(), 'kuberx-auth-kubectl-'));
  constructor(readonly version: string) {}

  run(kubeconfig: string, args: string[], input?: string): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        kubectlPath(this.version),
        ['--kubeconfig', kubeconfig, ...args],
        {
          env: { ...process.env, KUBECACHEDIR: this.cacheDir, HOME: this.cacheDir, KUBECONFIG: '' },
          timeout: 60_000,
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      if (input !== undefined) child.stdin?.end(input);
      else child.stdin?.end();
    });
  }

  close(): void {
    rmSync(this.cacheDir, { recursive: true, force: true });
  }
}
