/**
 * `kuberx etcd`'s network face: the etcd v3 gRPC API (KV, Watch, Lease, Maintenance, Cluster) over
 * an {@link Engine}, on one or more client URLs, plain (`http://`) or TLS (`https://`) with
 * optional client-certificate authentication, like etcd's `--listen-client-urls`, `--cert-file`,
 * `--key-file`, `--trusted-ca-file` and `--client-cert-auth`.
 *
 * Limits as etcd: messages up to `maxRequestBytes` + 512 KiB are received at all (beyond that gRPC
 * answers RESOURCE_EXHAUSTED), writes above `maxRequestBytes` fail with
 * `etcdserver: request is too large`.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import type { Clock } from '../../common/index.js';
import { createLogger, realClock } from '../../common/index.js';
import {
  grpcOverheadBytes,
  maxRequestBytes as defaultMaxRequestBytes,
  memberName,
  progressNotifyIntervalMs as defaultProgressMs,
} from '../defaults.js';
import type { Engine } from '../embedded/engine.js';
import type { ServerContext } from './context.js';
import { unimplemented } from './context.js';
import { kvService } from './kv-service.js';
import { leaseService } from './lease-service.js';
import { clusterService, maintenanceService } from './maintenance-service.js';
import { etcdServices, withWireSize } from './proto.js';
import { watchService } from './watch-service.js';

export interface TlsFiles {
  /** Server certificate (PEM). */
  certFile: string;
  /** Server private key (PEM). */
  keyFile: string;
  /** CA bundle that client certificates must chain to. */
  trustedCaFile?: string;
  /** Require and verify a client certificate. */
  clientCertAuth?: boolean;
}

export interface EtcdServerOptions {
  engine: Engine;
  /** e.g. `http://127.0.0.1:2379`; port 0 picks a free port (see {@link EtcdGrpcServer.urls}). */
  listenClientUrls: string[];
  /** Needed for `https://` URLs. */
  tls?: TlsFiles;
  /** Time for progress notifications. Default: the real clock. */
  clock?: Clock;
  /** etcd `--experimental-watch-progress-notify-interval`; default 10 minutes. */
  progressNotifyIntervalMs?: number;
  /** etcd `--max-request-bytes`; default 1.5 MiB. */
  maxRequestBytes?: number;
  /** Peer URLs reported by MemberList; default etcd's `http://localhost:2380`. */
  peerUrls?: string[];
}

export class EtcdGrpcServer {
  private constructor(
    private readonly server: grpc.Server,
    /** The URLs actually served (ports resolved). */
    readonly urls: string[],
  ) {}

  static async start(options: EtcdServerOptions): Promise<EtcdGrpcServer> {
    const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes;
    const server = new grpc.Server({
      'grpc.max_receive_message_length': maxRequestBytes + grpcOverheadBytes,
      'grpc.max_send_message_length': -1,
      // No channelz bookkeeping on every call.
      'grpc.enable_channelz': 0,
    });
    const urls: string[] = [];
    const ctx: ServerContext = {
      engine: options.engine,
      log: createLogger({ component: 'etcdserver' }),
      maxRequestBytes,
      clientUrls: () => urls,
      peerUrls: options.peerUrls ?? ['http://localhost:2380'],
      memberName,
    };
    const defs = etcdServices();
    const watchDef = passThroughBytes(defs.Watch);
    server.addService(withWireSize(defs.KV), unimplemented(defs.KV, kvService(ctx)));
    server.addService(
      watchDef,
      watchService(ctx, {
        clock: options.clock ?? realClock,
        progressNotifyIntervalMs: options.progressNotifyIntervalMs ?? defaultProgressMs,
        fragmentBytes: maxRequestBytes + grpcOverheadBytes,
        serialize: (msg) => watchDef.Watch!.responseSerialize(msg),
      }),
    );
    server.addService(defs.Lease, unimplemented(defs.Lease, leaseService(ctx)));
    server.addService(defs.Maintenance, unimplemented(defs.Maintenance, maintenanceService(ctx)));
    server.addService(defs.Cluster, unimplemented(defs.Cluster, clusterService(ctx)));
    try {
      for (const raw of options.listenClientUrls) {
        const url = new URL(raw);
        const credentials = credentialsFor(url, options.tls);
        const host = url.hostname;
        const port = await new Promise<number>((resolve, reject) =>
          server.bindAsync(`${host}:${url.port || '2379'}`, credentials, (err, p) =>
            err ? reject(err) : resolve(p),
          ),
        );
        urls.push(`${url.protocol}//${url.hostname}:${port}`);
      }
    } catch (err) {
      server.forceShutdown();
      throw err;
    }
    return new EtcdGrpcServer(server, urls);
  }

  /**
   * Stops at once: open calls (watch and keep-alive streams included) end with UNAVAILABLE.
   * Writes already acknowledged are durable; the engine is closed separately.
   */
  async close(): Promise<void> {
    this.server.forceShutdown();
  }
}

/** The Watch service, whose responses may also be handed over already serialised (Buffers). */
function passThroughBytes(service: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const watch = service.Watch!;
  const serialize = watch.responseSerialize;
  return {
    ...service,
    Watch: {
      ...watch,
      responseSerialize: (msg: unknown) => (Buffer.isBuffer(msg) ? msg : serialize(msg)),
    },
  } as grpc.ServiceDefinition;
}

function credentialsFor(url: URL, tls: TlsFiles | undefined): grpc.ServerCredentials {
  if (url.protocol === 'http:' || url.protocol === 'unix:')
    return grpc.ServerCredentials.createInsecure();
  if (url.protocol !== 'https:') {
    throw new Error(`listen URL ${url.href} must use http:// or https://`);
  }
  if (!tls) throw new Error(`listen URL ${url.href} needs --cert-file and --key-file`);
  return grpc.ServerCredentials.createSsl(
    tls.trustedCaFile ? readFileSync(tls.trustedCaFile) : null,
    [{ private_key: readFileSync(tls.keyFile), cert_chain: readFileSync(tls.certFile) }],
    !!tls.clientCertAuth,
  );
}
