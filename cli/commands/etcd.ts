import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { startEtcd, storeDefaults } from '../../store/index.js';
import type { CliIO } from '../io.js';
import { parseCount, parseUrlList } from '../options.js';
import { untilShutdownSignal } from '../signals.js';

export interface EtcdOptions {
  dataDir: string;
  listenClientUrls: string[];
  memory?: boolean;
  certFile?: string;
  keyFile?: string;
  trustedCaFile?: string;
  clientCertAuth?: boolean;
  maxRequestBytes: number;
  watchProgressNotifyInterval: number;
}

/** A Go-style duration (`10m`, `5s`, `250ms`, `1h`) → milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`"${value}" is not a duration (e.g. 10m, 5s, 250ms).`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

/**
 * `kuberx etcd`: the store served over the etcd v3 gRPC API until SIGINT/SIGTERM. Prints
 * `kuberx etcd ready: <urls>` on stdout once it serves (ports resolved when 0 was asked for).
 */
export function registerEtcd(program: Command, io: CliIO): Command {
  return program
    .command('etcd')
    .description('Run the etcd-compatible store, served over the etcd v3 gRPC API.')
    .option('--data-dir <dir>', 'where the store keeps its data', storeDefaults.dataDir)
    .option('--listen-client-urls <urls>', 'URLs to serve clients on', parseUrlList, [
      storeDefaults.listenClientUrl,
    ])
    .option('--memory', 'keep everything in memory (no durability; for tests)')
    .option('--cert-file <file>', 'TLS certificate for https:// client URLs')
    .option('--key-file <file>', 'TLS private key for https:// client URLs')
    .option('--trusted-ca-file <file>', 'CA bundle that client certificates must chain to')
    .option('--client-cert-auth', 'require a client certificate signed by --trusted-ca-file')
    .option(
      '--max-request-bytes <n>',
      'largest request the server accepts',
      parseCount(1),
      storeDefaults.maxRequestBytes,
    )
    .option(
      '--watch-progress-notify-interval <duration>',
      'interval of progress notifications to idle watches',
      parseDuration,
      storeDefaults.progressNotifyIntervalMs,
    )
    .action(async (opts: EtcdOptions) => {
      const secure = opts.listenClientUrls.some((u) => u.startsWith('https:'));
      if (secure && (!opts.certFile || !opts.keyFile)) {
        throw new Error('https:// client URLs need --cert-file and --key-file');
      }
      if (opts.clientCertAuth && !opts.trustedCaFile) {
        throw new Error('--client-cert-auth needs --trusted-ca-file');
      }
      const etcd = await startEtcd({
        dataDir: opts.dataDir,
        memory: opts.memory,
        listenClientUrls: opts.listenClientUrls,
        tls:
          opts.certFile && opts.keyFile
            ? {
                certFile: opts.certFile,
                keyFile: opts.keyFile,
                trustedCaFile: opts.trustedCaFile,
                clientCertAuth: opts.clientCertAuth,
              }
            : undefined,
        maxRequestBytes: opts.maxRequestBytes,
        progressNotifyIntervalMs: opts.watchProgressNotifyInterval,
      });
      io.stdout.write(`kuberx etcd ready: ${etcd.urls.join(',')}\n`);
      await untilShutdownSignal();
      await etcd.close();
    });
}
