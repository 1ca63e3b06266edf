import type { Command } from 'commander';
import { NotImplementedError, type CliIO } from '../io.js';
import { parseCount } from '../options.js';

export interface NodesOptions {
  kubeconfig?: string;
  count: number;
}

export function registerNodes(program: Command, _io: CliIO): Command {
  return program
    .command('nodes')
    .description(
      'Run simulated nodes: a kubelet that registers nodes and drives pod status without containers.',
    )
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (default: KUBECONFIG)')
    .option('--count <n>', 'number of nodes', parseCount(1), 3)
    .action(async (_opts: NodesOptions) => {
      throw new NotImplementedError('nodes');
    });
}
