/**
 * A whole `kuberx etcd`: the engine (durable in `dataDir`, or in memory) served over gRPC.
 */
import type { Clock } from '../../common/index.js';
import { openEngine } from '../embedded/open.js';
import type { TlsFiles } from './server.js';
import { EtcdGrpcServer } from './server.js';

export interface StartEtcdOptions {
  /** Default `.kuberx/etcd`; ignored with `memory`. */
  dataDir?: string;
  memory?: boolean;
  listenClientUrls: string[];
  tls?: TlsFiles;
  clock?: Clock;
  /** Default 10 minutes (etcd's). */
  progressNotifyIntervalMs?: number;
  /** Default 1.5 MiB (etcd's). */
  maxRequestBytes?: number;
}

export interface RunningEtcd {
  /** The client URLs served, with the ports actually bound. */
  urls: string[];
  /** Stops serving, commits what is pending and closes the database. */
  close(): Promise<void>;
}

export async function startEtcd(options: StartEtcdOptions): Promise<RunningEtcd> {
  const engine = await openEngine({
    dataDir: options.dataDir,
    memory: options.memory,
    clock: options.clock,
  });
  let server: EtcdGrpcServer;
  try {
    server = await EtcdGrpcServer.start({
      engine,
      listenClientUrls: options.listenClientUrls,
      tls: options.tls,
      clock: options.clock,
      progressNotifyIntervalMs: options.progressNotifyIntervalMs,
      maxRequestBytes: options.maxRequestBytes,
    });
  } catch (err) {
    await engine.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    urls: server.urls,
    close: () =>
      (closing ??= (async () => {
        await server.close();
        await engine.close();
      })()),
  };
}
