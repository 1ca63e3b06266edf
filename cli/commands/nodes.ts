import type { Command } from 'commander';
import {
  defaultNodeNamePrefix,
  NodeSimulator,
  nodeClients,
  nodeSpecs,
} from '../../controllers/nodes/index.js';
import { KubeConfigTransport, loadKubeConfig } from '../../framework/index.js';
import { progressReporter } from '../cluster/progress.js';
import type { CliIO } from '../io.js';
import { parseCount } from '../options.js';
import { untilShutdownSignal } from '../signals.js';

export interface NodesOptions {
  kubeconfig?: string;
  count: number;
  cpu?: string;
  memory?: string;
  pods?: number;
  zones?: string;
  namePrefix: string;
  first: number;
}

/**
 * `kuberx nodes`: simulated nodes against any cluster until SIGINT/SIGTERM. Every node reads and
 * writes with the kubeconfig's credentials (as kwok does); `kuberx up` gives each node its own.
 * Prints `kuberx nodes: N nodes ready` on stdout once they are registered.
 */
export function registerNodes(program: Command, io: CliIO): Command {
  return program
    .command('nodes')
    .description(
      'Run simulated nodes: a kubelet that registers nodes and drives pod status without containers.',
    )
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (default: KUBECONFIG)')
    .option('--count <n>', 'number of nodes', parseCount(1), 3)
    .option('--cpu <quantity>', 'cpu of each node (default: 4)')
    .option('--memory <quantity>', 'memory of each node (default: 16Gi)')
    .option('--pods <n>', 'pods per node (default: 110)', parseCount(1))
    .option('--zones <list>', 'zones the nodes are spread over, comma-separated (default: zone-a)')
    .option('--name-prefix <prefix>', 'node names are <prefix>1 … <prefix>N', defaultNodeNamePrefix)
    .option('--first <n>', 'number of the first node (to run several processes)', parseCount(1), 1)
    .action(async (opts: NodesOptions) => {
      const specs = nodeSpecs({
        count: opts.count,
        first: opts.first,
        namePrefix: opts.namePrefix,
        cpu: opts.cpu,
        memory: opts.memory,
        pods: opts.pods,
        zones: opts.zones
          ?.split(',')
          .map((z) => z.trim())
          .filter(Boolean),
      });
      const transport = new KubeConfigTransport(loadKubeConfig({ file: opts.kubeconfig }));
      const report = progressReporter(
        io.stderr as CliIO['stderr'] & { isTTY?: boolean },
        'registering nodes',
        specs.length,
      );
      const sim = new NodeSimulator({
        clients: nodeClients({ transport }),
        nodes: specs,
        onProgress: (done) => report(done),
      });
      try {
        await sim.start();
        io.stdout.write(`kuberx nodes: ${specs.length} nodes ready\n`);
        await untilShutdownSignal();
      } finally {
        await sim.stop();
        transport.close();
      }
    });
}
