/**
 * End-to-end clusters for the `test/cluster` suites: the cluster `kuberx up` runs
 * (`startCluster`), in this process, on a free port and a temp data dir, driven with the real
 * kubectl 1.33 through the admin kubeconfig (`KUBECACHEDIR` and `HOME` in a temp dir). Without
 * kubectl 1.33 the suites fail under CI and are skipped with a message elsewhere.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, type Cluster, type ClusterOptions } from '../../cli/cluster/index.js';

export const kubectlBin = join(
  process.env.KUBECTL_DIR ?? '/usr/lib/google-cloud-sdk/bin',
  'kubectl.1.33',
);

/** `describe` when kubectl 1.33 is installed; a failing test under CI, a skip elsewhere. */
export function describeCluster(name: string, fn: () => void): void {
  if (existsSync(kubectlBin)) describe(name, fn);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      test('needs kubectl 1.33', () => {
        throw new Error(`kubectl 1.33 not found at ${kubectlBin}`);
      });
    });
  } else {
    process.stderr.write(`skipping "${name}": kubectl 1.33 not found at ${kubectlBin}\n`);
    describe.skip(name, fn);
  }
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Short node lifecycle timings for tests (real time): grace 4 s, monitor every 1 s, with Leases
 * renewed every second (upstream's ratio: 10 s renewals against a 40–50 s grace).
 */
export const fastNodeLifecycle = {
  nodeMonitorGracePeriodMs: 4_000,
  nodeMonitorPeriodMs: 1_000,
  nodeStartupGracePeriodMs: 4_000,
};

export class TestCluster {
  private constructor(
    readonly cluster: Cluster,
    readonly dataDir: string,
    private readonly home: string,
    private readonly ownsDir: boolean,
  ) {}

  /** Starts a cluster (3 nodes, short node lifecycle timings unless told otherwise). */
  static async start(
    options: Partial<ClusterOptions> & { dataDir?: string } = {},
  ): Promise<TestCluster> {
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'kuberx-cluster-')));
    const home = await mkdtemp(join(tmpdir(), 'kuberx-kubectl-'));
    const cluster = await startCluster({
      port: 0,
      nodes: 3,
      nodeLifecycle: fastNodeLifecycle,
      restartBackOffMs: 1_000,
      nodeLeaseRenewIntervalMs: 1_000,
      ...options,
      dataDir,
    });
    return new TestCluster(cluster, dataDir, home, options.dataDir === undefined);
  }

  /** Runs kubectl with the admin kubeconfig; never rejects. */
  kubectl(args: string[], input?: string): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        kubectlBin,
        ['--kubeconfig', this.cluster.kubeconfig, ...args],
        {
          env: { ...process.env, KUBECACHEDIR: this.home, HOME: this.home, KUBECONFIG: '' },
          timeout: 120_000,
          maxBuffer: 16 * 1024 * 1024,
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      child.stdin?.end(input);
    });
  }

  /** Runs kubectl and throws with its output when it fails. */
  async ok(args: string[], input?: string): Promise<string> {
    const r = await this.kubectl(args, input);
    if (r.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    }
    return r.stdout;
  }

  /** `kubectl apply -f -` of a manifest. */
  apply(manifest: string): Promise<string> {
    return this.ok(['apply', '-f', '-'], manifest);
  }

  /** `kubectl get … -o json`, parsed. */
  async json<T = Record<string, unknown>>(args: string[]): Promise<T> {
    return JSON.parse(await this.ok(['get', ...args, '-o', 'json'])) as T;
  }

  /** Writes a file into the test's temp dir and returns its path. */
  async file(name: string, content: string): Promise<string> {
    const path = join(this.home, name);
    await writeFile(path, content);
    return path;
  }

  /** Stops the cluster; removes its temp dirs unless `keepData`. */
  async stop(keepData = false): Promise<void> {
    await this.cluster.stop();
    await rm(this.home, { recursive: true, force: true });
    if (this.ownsDir && !keepData) await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Polls `condition` (a real network peer) every 100 ms until it holds, or fails after `ms`. */
export async function until(
  condition: () => Promise<boolean>,
  what: string,
  ms = 60_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface PodJson {
  metadata: {
    name: string;
    uid: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec: { nodeName?: string };
  status: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: { ready: boolean; restartCount: number }[];
  };
}

/** Pods matching a label selector. */
export async function pods(c: TestCluster, selector: string, ns = 'default'): Promise<PodJson[]> {
  return (await c.json<{ items: PodJson[] }>(['pods', '-n', ns, '-l', selector])).items;
}

/** A pod spec running one nginx container, as YAML lines of `spec`. */
export const nginxPodSpec = 'containers:\n- name: app\n  image: nginx:1.25';

/** A Deployment manifest `name` (label `app: name`) with `replicas` and the pod spec's YAML. */
export function deployment(name: string, replicas: number, podSpec = nginxPodSpec): string {
  const spec = podSpec
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
${spec}
`;
}
