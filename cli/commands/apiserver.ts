import { join } from 'node:path';
import type { Command } from 'commander';
import { createApiServer } from '../../apiserver/index.js';
import { openEmbeddedStorage, openEtcdStorage, type Storage } from '../../store/index.js';
import type { CliIO } from '../io.js';
import { parsePort, parseUrlList } from '../options.js';
import { untilShutdownSignal } from '../signals.js';

export interface ApiserverOptions {
  dataDir: string;
  port: number;
  bindAddress: string;
  etcdServers?: string[];
  plainHttp?: boolean;
  memory?: boolean;
}

/**
 * `kuberx apiserver`: the API server over the embedded store in `--data-dir` (or an etcd cluster
 * with `--etcd-servers`) until SIGINT/SIGTERM. Prints `kuberx apiserver ready: <url>` on stdout
 * once it serves. It speaks plain HTTP on loopback until TLS and authentication land with the
 * security issue; `--plain-http` selects that mode explicitly and will keep doing so.
 */
export function registerApiserver(program: Command, io: CliIO): Command {
  return program
    .command('apiserver')
    .description('Run the Kubernetes-compatible API server.')
    .option('--data-dir <dir>', 'where the embedded store keeps its data', '.kuberx')
    .option('--port <port>', 'port to serve on (0 = any free port)', parsePort, 6443)
    .option('--bind-address <ip>', 'address to listen on', '127.0.0.1')
    .option(
      '--etcd-servers <urls>',
      'use these etcd endpoints instead of the embedded store',
      parseUrlList,
    )
    .option('--plain-http', 'serve plain HTTP (the only mode until TLS lands)')
    .option('--memory', 'keep the embedded store in memory (nothing survives; for tests)')
    .action(async (opts: ApiserverOptions) => {
      const storage: Storage = opts.etcdServers
        ? await openEtcdStorage({ endpoints: opts.etcdServers })
        : await openEmbeddedStorage({ dataDir: join(opts.dataDir, 'etcd'), memory: opts.memory });
      const server = createApiServer({
        storage,
        port: opts.port,
        bindAddress: opts.bindAddress,
      });
      const { url } = await server.start();
      io.stdout.write(`kuberx apiserver ready: ${url}\n`);
      await untilShutdownSignal();
      await server.stop();
      await storage.close();
    });
}
