import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createSecureApiServer, recommendedServerOptions } from '../../apiserver/index.js';
import { openEmbeddedStorage, openEtcdStorage, type Storage } from '../../store/index.js';
import type { CliIO } from '../io.js';
import { parseCount, parsePort, parseUrlList } from '../options.js';
import { untilShutdownSignal } from '../signals.js';

export interface ApiserverOptions {
  dataDir: string;
  port: number;
  bindAddress: string;
  etcdServers?: string[];
  insecureHttp?: boolean;
  plainHttp?: boolean;
  memory?: boolean;
  advertiseAddress?: string[];
  tokenAuthFile?: string;
  anonymousAuth?: boolean;
  encryptionProviderConfig?: string;
  auditLogPath?: string;
  auditPolicyFile?: string;
  maxRequestsInflight?: number;
  maxMutatingRequestsInflight?: number;
  enableAdmissionPlugins?: string[];
  disableAdmissionPlugins?: string[];
}

function parseList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/**
 * `kuberx apiserver`: the API server over the embedded store in `--data-dir` (or an etcd cluster
 * with `--etcd-servers`) until SIGINT/SIGTERM. Prints `kuberx apiserver ready: <url>` on stdout
 * once it serves, then `export KUBECONFIG=DIR/kubeconfig`. It serves HTTPS with the cluster PKI
 * under `--data-dir` (created on first start, reused after), client-certificate, token-file and
 * ServiceAccount-token authentication, and RBAC. `--insecure-http` (alias `--plain-http`) serves
 * plain HTTP without authentication or authorization, on loopback only, for tests.
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
    .option(
      '--advertise-address <addrs>',
      'extra IPs or DNS names for the serving certificate (comma-separated, repeatable)',
      parseList,
    )
    .option(
      '--token-auth-file <file>',
      'static bearer tokens: CSV of token,user,uid,"group1,group2"',
    )
    .option(
      '--anonymous-auth',
      'treat every request without credentials as system:anonymous (RBAC still decides)',
    )
    .option(
      '--insecure-http',
      'INSECURE: plain HTTP, no authentication, no authorization; loopback only',
    )
    .option('--plain-http', 'alias of --insecure-http')
    .option(
      '--memory',
      'keep the embedded store (and the PKI, in a temp dir) in memory: nothing survives; for tests',
    )
    .option('--encryption-provider-config <file>', 'EncryptionConfiguration for data at rest')
    .option(
      '--audit-log-path <file>',
      'write audit events (JSON lines, Metadata level) here; - = stdout',
    )
    .option('--audit-policy-file <file>', 'audit Policy (default: every request at Metadata)')
    .option(
      '--max-requests-inflight <n>',
      'concurrent read-only requests (0 = no limit)',
      parseCount(0),
    )
    .option(
      '--max-mutating-requests-inflight <n>',
      'concurrent mutating requests (0 = no limit)',
      parseCount(0),
    )
    .option(
      '--enable-admission-plugins <names>',
      'admission plugins to add to the defaults',
      parseList,
    )
    .option(
      '--disable-admission-plugins <names>',
      'default admission plugins to turn off',
      parseList,
    )
    .action(async (opts: ApiserverOptions) => {
      const storage: Storage = opts.etcdServers
        ? await openEtcdStorage({ endpoints: opts.etcdServers })
        : await openEmbeddedStorage({ dataDir: join(opts.dataDir, 'etcd'), memory: opts.memory });
      // --memory keeps nothing: the PKI then lives in a temp dir removed at exit.
      const pkiDir = opts.memory
        ? await mkdtemp(join(tmpdir(), 'kuberx-apiserver-'))
        : resolve(opts.dataDir);
      const recommended = await recommendedServerOptions(storage, {
        encryptionProviderConfig: opts.encryptionProviderConfig,
        auditLogPath: opts.auditLogPath,
        auditPolicyFile: opts.auditPolicyFile,
        maxRequestsInflight: opts.maxRequestsInflight,
        maxMutatingRequestsInflight: opts.maxMutatingRequestsInflight,
        enableAdmissionPlugins: opts.enableAdmissionPlugins,
        disableAdmissionPlugins: opts.disableAdmissionPlugins,
      });
      const server = await createSecureApiServer({
        storage: recommended.storage,
        admission: recommended.admission,
        preAuthenticationFilters: recommended.preAuthenticationFilters,
        authenticatedFilters: recommended.authenticatedFilters,
        dataDir: pkiDir,
        port: opts.port,
        bindAddress: opts.bindAddress,
        advertiseAddresses: opts.advertiseAddress,
        tokenAuthFile: opts.tokenAuthFile,
        anonymous: opts.anonymousAuth ? 'all' : 'public',
        insecureHttp: opts.insecureHttp === true || opts.plainHttp === true,
      });
      recommended.bind(server.server);
      const { url, kubeconfig } = await server.start();
      const exportLine = kubeconfig ? `export KUBECONFIG=${kubeconfig}\n` : '';
      io.stdout.write(`kuberx apiserver ready: ${url}\n${exportLine}`);
      await untilShutdownSignal();
      await server.stop();
      await recommended.close();
      await storage.close();
      if (opts.memory) await rm(pkiDir, { recursive: true, force: true });
    });
}
