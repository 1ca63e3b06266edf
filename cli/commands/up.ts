import type { Command } from 'commander';
import { startCluster } from '../cluster/index.js';
import { defaultDataDir, defaultNodes, defaultPort } from '../cluster/defaults.js';
import type { CliIO } from '../io.js';
import { parseCount, parsePort, parseUrlList } from '../options.js';
import { untilShutdownSignal } from '../signals.js';
import { parseDuration } from './etcd.js';

/** Defaults of `kuberx up`. */
export const upDefaults = {
  dataDir: defaultDataDir,
  port: defaultPort,
  nodes: defaultNodes,
} as const;

export interface UpOptions {
  dataDir: string;
  port: number;
  nodes: number;
  etcdServers?: string[];
  zones?: string;
  nodeCpu?: string;
  nodeMemory?: string;
  nodePods?: number;
  nodeMonitorGracePeriod?: number;
  controllers?: string;
  componentsThread?: boolean;
}

/**
 * `kuberx up`: the whole cluster of `cli/cluster` in this process until SIGINT/SIGTERM. Prints
 * `kuberx up: cluster ready in <s>s …` and `export KUBECONFIG=<DIR>/kubeconfig` on stdout once
 * every node is registered; progress (many nodes) and shutdown notes go to stderr.
 */
export function registerUp(program: Command, io: CliIO): Command {
  return program
    .command('up')
    .description(
      'Run a whole cluster: store, API server, controller-manager, scheduler and simulated nodes. Writes DIR/kubeconfig and prints the export KUBECONFIG line when ready.',
    )
    .option('--data-dir <dir>', 'where the cluster keeps its state', upDefaults.dataDir)
    .option('--port <port>', 'API server port (0 = any free port)', parsePort, upDefaults.port)
    .option('--nodes <n>', 'number of simulated nodes', parseCount(0), upDefaults.nodes)
    .option(
      '--etcd-servers <urls>',
      'use these etcd endpoints instead of the embedded store',
      parseUrlList,
    )
    .option('--zones <list>', 'zones the nodes are spread over, comma-separated (default: zone-a)')
    .option('--node-cpu <quantity>', 'cpu of each node (default: 4)')
    .option('--node-memory <quantity>', 'memory of each node (default: 16Gi)')
    .option('--node-pods <n>', 'pods per node (default: 110)', parseCount(1))
    .option(
      '--node-monitor-grace-period <duration>',
      'silence before a node is marked Unknown (default: 50s)',
      parseDuration,
    )
    .option('--controllers <list>', "controllers to run, e.g. '*,-job' (default: *)")
    .option(
      '--components-thread',
      'run the controller-manager, scheduler and nodes on a worker thread (a second core for large clusters; slower start)',
    )
    .action(async (opts: UpOptions) => {
      const started = performance.now();
      const cluster = await startCluster({
        dataDir: opts.dataDir,
        port: opts.port,
        nodes: opts.nodes,
        etcdServers: opts.etcdServers,
        controllers: opts.controllers,
        thread: opts.componentsThread ? 'worker' : 'main',
        node: {
          zones: opts.zones
            ?.split(',')
            .map((z) => z.trim())
            .filter(Boolean),
          cpu: opts.nodeCpu,
          memory: opts.nodeMemory,
          pods: opts.nodePods,
        },
        nodeLifecycle: { nodeMonitorGracePeriodMs: opts.nodeMonitorGracePeriod },
        progress: io.stderr as CliIO['stderr'] & { isTTY?: boolean },
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      io.stdout.write(
        `kuberx up: cluster ready in ${seconds}s (${opts.nodes} nodes, API server ${cluster.url})\n` +
          `export KUBECONFIG=${cluster.kubeconfig}\n`,
      );
      await untilShutdownSignal();
      io.stderr.write('kuberx up: shutting down\n');
      await cluster.stop();
      io.stderr.write('kuberx up: stopped\n');
    });
}
