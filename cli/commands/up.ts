import type { Command } from 'commander';
import { NotImplementedError, type CliIO } from '../io.js';
import { parseCount, parsePort, parseUrlList } from '../options.js';

/** Defaults of `kuberx up`. */
export const upDefaults = { dataDir: '.kuberx', port: 6443, nodes: 3 } as const;

export interface UpOptions {
  dataDir: string;
  port: number;
  nodes: number;
  etcdServers?: string[];
}

export function registerUp(program: Command, _io: CliIO): Command {
  return program
    .command('up')
    .description(
      'Run a whole cluster: store, API server, controller-manager, scheduler and simulated nodes. Writes DIR/kubeconfig and prints the export KUBECONFIG line when ready.',
    )
    .option('--data-dir <dir>', 'where the cluster keeps its state', upDefaults.dataDir)
    .option('--port <port>', 'API server port', parsePort, upDefaults.port)
    .option('--nodes <n>', 'number of simulated nodes', parseCount(0), upDefaults.nodes)
    .option(
      '--etcd-servers <urls>',
      'use these etcd endpoints instead of the embedded store',
      parseUrlList,
    )
    .action(async (_opts: UpOptions) => {
      throw new NotImplementedError('up');
    });
}
