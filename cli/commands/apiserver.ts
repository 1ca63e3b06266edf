import type { Command } from 'commander';
import { NotImplementedError, type CliIO } from '../io.js';
import { parsePort, parseUrlList } from '../options.js';

export interface ApiserverOptions {
  dataDir: string;
  port: number;
  bindAddress: string;
  etcdServers?: string[];
}

export function registerApiserver(program: Command, _io: CliIO): Command {
  return program
    .command('apiserver')
    .description('Run the Kubernetes-compatible API server.')
    .option('--data-dir <dir>', 'where the embedded store keeps its data', '.kuberx')
    .option('--port <port>', 'port to serve on', parsePort, 6443)
    .option('--bind-address <ip>', 'address to listen on', '127.0.0.1')
    .option(
      '--etcd-servers <urls>',
      'use these etcd endpoints instead of the embedded store',
      parseUrlList,
    )
    .action(async (_opts: ApiserverOptions) => {
      throw new NotImplementedError('apiserver');
    });
}
