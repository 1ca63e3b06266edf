import type { Command } from 'commander';
import { NotImplementedError, type CliIO } from '../io.js';
import { parseUrlList } from '../options.js';

export interface EtcdOptions {
  dataDir: string;
  listenClientUrls: string[];
  memory?: boolean;
}

export function registerEtcd(program: Command, _io: CliIO): Command {
  return program
    .command('etcd')
    .description('Run the etcd-compatible store, served over the etcd v3 gRPC API.')
    .option('--data-dir <dir>', 'where the store keeps its data', '.kuberx/etcd')
    .option('--listen-client-urls <urls>', 'URLs to serve clients on', parseUrlList, [
      'http://127.0.0.1:2379',
    ])
    .option('--memory', 'keep everything in memory (no durability; for tests)')
    .action(async (_opts: EtcdOptions) => {
      throw new NotImplementedError('etcd');
    });
}
