/**
 * The scheduler seen through the real kubectl 1.33: pods created with `kubectl apply`, the
 * scheduler's events in `kubectl describe pod` (FailedScheduling from default-scheduler with the
 * upstream message, Scheduled for a bound pod). Needs `/usr/lib/google-cloud-sdk/bin/kubectl.1.33`:
 * fails without it under CI, skips with a message elsewhere.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../framework/testing/index.js';
import { startCluster, type Cluster } from './harness.js';

const kubectlBin = join(process.env.KUBECTL_DIR ?? '/usr/lib/google-cloud-sdk/bin', 'kubectl.1.33');
const available = existsSync(kubectlBin);

function kubectl(server: string, cacheDir: string, args: string[], input?: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      kubectlBin,
      ['--server', server, '-n', 'default', ...args],
      {
        env: { ...process.env, KUBECACHEDIR: cacheDir, KUBECONFIG: '/dev/null', HOME: cacheDir },
        timeout: 60_000,
      },
      (err, stdout, stderr) =>
        resolve({
          code: err ? Number(err.code) || 1 : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

const pods = `
apiVersion: v1
kind: Pod
metadata:
  name: too-big
spec:
  containers:
  - name: app
    image: registry.k8s.io/pause:3.10
    resources:
      requests:
        cpu: "2"
---
apiVersion: v1
kind: Pod
metadata:
  name: fits
spec:
  containers:
  - name: app
    image: registry.k8s.io/pause:3.10
    resources:
      requests:
        cpu: 100m
`;

if (!available && process.env.CI !== 'true') {
  process.stderr.write(`skipping kubectl scheduler suite: ${kubectlBin} is not installed\n`);
}

(available || process.env.CI === 'true' ? describe : describe.skip)(
  'kubectl 1.33 describe pod shows the scheduler events',
  () => {
    let c: Cluster;
    let cacheDir: string;

    beforeAll(async () => {
      if (!available) throw new Error(`${kubectlBin} is not installed`);
      cacheDir = mkdtempSync(join(tmpdir(), 'kuberx-sched-kubectl-'));
      c = await startCluster();
      for (const n of ['node-1', 'node-2', 'node-3']) await c.node(n, { cpu: '1' });
    });

    afterAll(async () => {
      await c?.stop();
      if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
    });

    test('FailedScheduling with the upstream message, and Scheduled for the pod that fits', async () => {
      const applied = await kubectl(c.env.url, cacheDir, ['apply', '-f', '-'], pods);
      expect(applied.stderr).toBe('');
      expect(applied.stdout).toContain('pod/too-big created');
      await c.unschedulable('too-big');
      await c.bound('fits');
      let out = '';
      await eventually(async () => {
        out = (await kubectl(c.env.url, cacheDir, ['describe', 'pod', 'too-big'])).stdout;
        return out.includes('FailedScheduling');
      }, 'FailedScheduling in kubectl describe');
      expect(out).toMatch(/Status:\s+Pending/);
      expect(out).toMatch(/PodScheduled\s+False/);
      expect(out).toMatch(
        /Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\./,
      );
      let fits = '';
      await eventually(async () => {
        fits = (await kubectl(c.env.url, cacheDir, ['describe', 'pod', 'fits'])).stdout;
        return fits.includes('Scheduled');
      }, 'Scheduled in kubectl describe');
      expect(fits).toMatch(/Node:\s+node-\d/);
      expect(fits).toMatch(
        /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/fits to node-\d/,
      );
      const get = await kubectl(c.env.url, cacheDir, ['get', 'pod', 'too-big', '-o', 'wide']);
      expect(get.stdout).toMatch(/too-big\s+0\/1\s+Pending/);
    });
  },
);
