/**
 * `kuberx scheduler`: kube-scheduler against the cluster of a kubeconfig until SIGINT/SIGTERM.
 * Prints `kuberx scheduler ready: metrics on <url>` (or `metrics disabled`) on stdout once it
 * serves; with `--leader-elect` it schedules only while holding the Lease
 * `kube-system/kube-scheduler` and exits non-zero when it loses it.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { CliIO } from '../io.js';

export interface SchedulerOptions {
  kubeconfig?: string;
  context?: string;
  leaderElect: boolean;
  leaderElectResourceName: string;
  leaderElectResourceNamespace: string;
  metricsBindAddress: string;
  percentageOfNodesToScore: number;
  schedulerName: string;
}

function parsePercentage(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100) {
    throw new InvalidArgumentError(`"${value}" is not a whole percentage from 0 to 100.`);
  }
  return n;
}

export function registerScheduler(program: Command, io: CliIO): Command {
  return program
    .command('scheduler')
    .description('Run the scheduler: bind pending pods to nodes.')
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the cluster (default: KUBECONFIG, ~/.kube/config, in-cluster)',
    )
    .option('--context <name>', 'kubeconfig context to use (default: current-context)')
    .option('--leader-elect', 'take part in leader election on a Lease', false)
    .option('--leader-elect-resource-name <name>', 'name of the Lease', 'kube-scheduler')
    .option('--leader-elect-resource-namespace <ns>', 'namespace of the Lease', 'kube-system')
    .option(
      '--metrics-bind-address <addr>',
      'serve /metrics, /healthz and /readyz here (0 disables)',
      '127.0.0.1:10259',
    )
    .option(
      '--percentage-of-nodes-to-score <pct>',
      'share of nodes to find feasible before scoring (0 = adaptive)',
      parsePercentage,
      0,
    )
    .option('--scheduler-name <name>', 'schedule pods naming this scheduler', 'default-scheduler')
    .action(async (opts: SchedulerOptions) => {
      // Loaded here, not at the top, so `kuberx --help` does not pay for the framework.
      const { loadKubeConfig } = await import('../../framework/index.js');
      const { createSchedulerManager } = await import('../../controllers/scheduler/index.js');
      const kubeConfig = loadKubeConfig({ file: opts.kubeconfig, context: opts.context });
      const { manager } = createSchedulerManager({
        kubeConfig,
        leaderElect: opts.leaderElect,
        leaderElectionID: opts.leaderElectResourceName,
        leaderElectionNamespace: opts.leaderElectResourceNamespace,
        metricsBindAddress: opts.metricsBindAddress,
        scheduler: {
          schedulerName: opts.schedulerName,
          percentageOfNodesToScore: opts.percentageOfNodesToScore,
        },
      });
      const abort = new AbortController();
      const stop = (): void => abort.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const started = manager.start(abort.signal);
        await waitForServer(manager, started);
        io.stdout.write(
          manager.url
            ? `kuberx scheduler ready: metrics on ${manager.url}\n`
            : 'kuberx scheduler ready: metrics disabled\n',
        );
        await started;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}

/** Waits until the manager's HTTP server is up (or the manager failed). */
async function waitForServer(
  manager: { url?: string; options: { metricsBindAddress?: string } },
  started: Promise<void>,
): Promise<void> {
  let failed = false;
  started.catch(() => (failed = true));
  const disabled = manager.options.metricsBindAddress === '0';
  while (!disabled && !manager.url && !failed) {
    await new Promise((r) => setTimeout(r, 10));
  }
}
