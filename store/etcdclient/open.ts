/** The factory the API server calls with `--etcd-servers`. */
import { readFileSync } from 'node:fs';
import type { Storage } from '../storage.js';
import { EtcdStorage } from './storage.js';

export interface EtcdStorageOptions {
  /** Client URLs, e.g. `http://127.0.0.1:2379` (`https://` with `tls`). */
  endpoints: string[];
  /** PEM files for TLS: the CA to trust, and a client certificate and key when etcd asks for one. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
  /** How long to wait for a connection, ms. Default 5000. */
  dialTimeoutMs?: number;
}

/** A pass-through fault policy: no retries, no circuit breaker (see EtcdStorage). */
const direct = {
  execute: <T>(fn: (context: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> =>
    Promise.resolve().then(() => fn({ signal: new AbortController().signal })),
  onSuccess: () => ({ dispose() {} }),
  onFailure: () => ({ dispose() {} }),
};

/**
 * A Storage backed by an etcd v3 cluster (real etcd ≥ 3.4 or `kuberx etcd`). Connects lazily: the
 * first call fails with StorageUnavailableError when no endpoint answers.
 */
export async function openEtcdStorage(options: EtcdStorageOptions): Promise<Storage> {
  if (options.endpoints.length === 0) throw new Error('openEtcdStorage: no endpoints given');
  const tls = options.tls;
  // Loaded on demand: the embedded store and `kuberx etcd` never need the client library.
  const { Etcd3 } = await import('etcd3');
  const client = new Etcd3({
    hosts: options.endpoints,
    dialTimeout: options.dialTimeoutMs ?? 5000,
    ...(tls
      ? {
          credentials: {
            rootCertificate: tls.caFile ? readFileSync(tls.caFile) : (undefined as never),
            ...(tls.keyFile ? { privateKey: readFileSync(tls.keyFile) } : {}),
            ...(tls.certFile ? { certChain: readFileSync(tls.certFile) } : {}),
          },
        }
      : {}),
    faultHandling: {
      global: direct as never,
      host: () => direct as never,
    },
  });
  return new EtcdStorage(client);
}
