/**
 * `kuberx controller-manager`: the reference controllers (`controllers/index.ts`) in one framework
 * manager against the cluster of a kubeconfig — kuberx's API server, or a real cluster whose own
 * kube-controller-manager is off — until SIGINT/SIGTERM.
 *
 * Flags follow kube-controller-manager: `--controllers` (`*`, `name`, `-name`), the
 * `--concurrent-…-syncs` worker counts (also accepted as `--concurrent-<name>-syncs`),
 * `--leader-elect` with the Lease `kube-system/kube-controller-manager`, `--kube-api-qps` /
 * `--kube-api-burst` (default: no limit on a loopback API server, 20/30 otherwise). Prints
 * `kuberx controller-manager ready: <n> controller(s): <names>` on stdout once running; exits
 * non-zero when it loses leadership or fails.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import type { CliIO } from '../io.js';

/**
 * Worker flags: upstream flag → controller name and default. Kept here (not read from the
 * descriptors) so `kuberx --help` does not load the controllers; a test checks both agree.
 */
export const concurrencyFlags: ReadonlyArray<{ flag: string; controller: string; def: number }> = [
  { flag: 'concurrent-endpoint-syncs', controller: 'endpoint', def: 5 },
  { flag: 'concurrent-service-endpoint-syncs', controller: 'endpointslice', def: 5 },
  {
    flag: 'mirroring-concurrent-service-endpoint-syncs',
    controller: 'endpointslicemirroring',
    def: 5,
  },
  { flag: 'concurrent-rc-syncs', controller: 'replicationcontroller', def: 5 },
  { flag: 'concurrent-namespace-syncs', controller: 'namespace', def: 10 },
  { flag: 'concurrent-gc-syncs', controller: 'garbagecollector', def: 20 },
  { flag: 'concurrent-job-syncs', controller: 'job', def: 5 },
  { flag: 'concurrent-cron-job-syncs', controller: 'cronjob', def: 5 },
  { flag: 'concurrent-ttl-after-finished-syncs', controller: 'ttl-after-finished', def: 5 },
  { flag: 'concurrent-deployment-syncs', controller: 'deployment', def: 5 },
  { flag: 'concurrent-replicaset-syncs', controller: 'replicaset', def: 5 },
  { flag: 'concurrent-statefulset-syncs', controller: 'statefulset', def: 5 },
  { flag: 'concurrent-daemonset-syncs', controller: 'daemonset', def: 2 },
  { flag: 'concurrent-resource-quota-syncs', controller: 'resourcequota', def: 5 },
  {
    flag: 'concurrent-horizontal-pod-autoscaler-syncs',
    controller: 'horizontalpodautoscaling',
    def: 5,
  },
];

export interface ControllerManagerOptions {
  kubeconfig?: string;
  context?: string;
  controllers: string;
  leaderElect: boolean;
  leaderElectResourceName: string;
  leaderElectResourceNamespace: string;
  leaderElectLeaseDuration: number;
  leaderElectRenewDeadline: number;
  leaderElectRetryPeriod: number;
  kubeApiQps?: number;
  kubeApiBurst?: number;
  metricsBindAddress: string;
  healthProbeBindAddress?: string;
  rootCaFile?: string;
  terminatedPodGcThreshold: number;
  maxEndpointsPerSlice: number;
  mirroringMaxEndpointsPerSubset: number;
  [flag: string]: unknown;
}

/** A Go duration (`15s`, `1m30s`, `500ms`, `2h`) in milliseconds. */
export function parseDuration(value: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * units[m[2]!]!;
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== value.length) {
    throw new InvalidArgumentError(`"${value}" is not a duration (e.g. 15s, 1m30s, 500ms).`);
  }
  return total;
}

function parseNumber(min: number, max = Infinity): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      const range =
        max === Infinity ? (min === -Infinity ? '' : ` >= ${min}`) : ` in [${min}, ${max}]`;
      throw new InvalidArgumentError(`"${value}" is not a number${range}.`);
    }
    return n;
  };
}

const toCamel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function registerControllerManager(program: Command, io: CliIO): Command {
  const command = program
    .command('controller-manager')
    .description(
      'Run the reference controllers (Deployment, ReplicaSet, Job, Endpoints, GC, Namespace, …) in one manager.',
    )
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the cluster to manage (default: KUBECONFIG, ~/.kube/config, in-cluster)',
    )
    .option('--context <name>', 'kubeconfig context to use (default: current-context)')
    .option(
      '--controllers <list>',
      "controllers to run: '*' all enabled by default, 'foo' enables foo, '-foo' disables foo",
      '*',
    )
    .option('--leader-elect', 'take part in leader election on a Lease before running', false)
    .option('--leader-elect-resource-name <name>', 'name of the Lease', 'kube-controller-manager')
    .option('--leader-elect-resource-namespace <ns>', 'namespace of the Lease', 'kube-system')
    .option('--leader-elect-lease-duration <d>', 'Lease duration', parseDuration, 15_000)
    .option(
      '--leader-elect-renew-deadline <d>',
      'renew deadline of the leader',
      parseDuration,
      10_000,
    )
    .option('--leader-elect-retry-period <d>', 'time between attempts', parseDuration, 2_000)
    .option(
      '--kube-api-qps <qps>',
      'requests per second to the API server (default: no limit on loopback, else 20; <= 0: none)',
      parseNumber(-Infinity),
    )
    .option(
      '--kube-api-burst <n>',
      'burst of requests to the API server (default 30)',
      parseNumber(1),
    )
    .option(
      '--metrics-bind-address <addr>',
      'serve /metrics, /healthz and /readyz here (0 disables)',
      '127.0.0.1:10257',
    )
    .option('--health-probe-bind-address <addr>', 'serve /healthz and /readyz here instead')
    .option(
      '--root-ca-file <file>',
      'CA bundle published as the kube-root-ca.crt ConfigMap (default: the kubeconfig CA)',
    )
    .option(
      '--terminated-pod-gc-threshold <n>',
      'terminated pods kept before the oldest are deleted (0 disables)',
      parseNumber(0),
      12_500,
    )
    .option(
      '--max-endpoints-per-slice <n>',
      'endpoints per EndpointSlice',
      parseNumber(1, 1000),
      100,
    )
    .option(
      '--mirroring-max-endpoints-per-subset <n>',
      'addresses mirrored per Endpoints subset',
      parseNumber(1, 1000),
      1000,
    );
  for (const { flag, controller, def } of concurrencyFlags) {
    command.addOption(
      new Option(
        `--${flag} <n>`,
        `workers of the ${controller} controller (default ${def})`,
      ).argParser(parseNumber(1)),
    );
    const generic = `concurrent-${controller}-syncs`;
    if (generic !== flag) {
      command.addOption(new Option(`--${generic} <n>`).argParser(parseNumber(1)).hideHelp());
    }
  }
  return command.action(async (opts: ControllerManagerOptions) => {
    // Loaded here, not at the top, so `kuberx --help` does not pay for the controllers.
    const { loadKubeConfig } = await import('../../framework/index.js');
    const { controllerDescriptors, createControllerManager } =
      await import('../../controllers/index.js');
    const concurrency: Record<string, number> = {};
    for (const { flag, controller } of concurrencyFlags) {
      const value = (opts[toCamel(flag)] ?? opts[toCamel(`concurrent-${controller}-syncs`)]) as
        number | undefined;
      if (value !== undefined) concurrency[controller] = value;
    }
    const kubeConfig = loadKubeConfig({ file: opts.kubeconfig, context: opts.context });
    const { manager, enabled } = await createControllerManager({
      kubeConfig,
      descriptors: controllerDescriptors,
      controllers: opts.controllers,
      concurrency,
      leaderElect: opts.leaderElect,
      leaderElectionID: opts.leaderElectResourceName,
      leaderElectionNamespace: opts.leaderElectResourceNamespace,
      leaseDurationMs: opts.leaderElectLeaseDuration,
      renewDeadlineMs: opts.leaderElectRenewDeadline,
      retryPeriodMs: opts.leaderElectRetryPeriod,
      qps: opts.kubeApiQps,
      burst: opts.kubeApiBurst,
      metricsBindAddress: opts.metricsBindAddress,
      healthProbeBindAddress: opts.healthProbeBindAddress,
      rootCA: opts.rootCaFile ? readFileSync(opts.rootCaFile, 'utf8') : undefined,
      terminatedPodGCThreshold: opts.terminatedPodGcThreshold,
      maxEndpointsPerSlice: opts.maxEndpointsPerSlice,
      mirroringMaxEndpointsPerSubset: opts.mirroringMaxEndpointsPerSubset,
    });
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const started = manager.start(abort.signal);
      let failed = false;
      started.catch(() => (failed = true));
      while (opts.metricsBindAddress !== '0' && !manager.url && !failed) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const where = manager.url ? `; metrics on ${manager.url}` : '';
      io.stdout.write(
        `kuberx controller-manager ready: ${enabled.length} controller(s): ${enabled.join(',')}${where}\n`,
      );
      await started;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  });
}
