/**
 * An in-process API server on a free loopback port with kuberx's recommended options (the full
 * admission chain, limits, timeout, optional audit and encryption) over an in-memory store, for
 * the admission, hostile-input, fuzz and load suites. A test-only filter takes the user from the
 * `x-test-user` / `x-test-groups` headers (authentication is another suite's subject).
 */
import { createApiServer, recommendedServerOptions } from '../../apiserver/index.js';
import type { ApiServer, Filter, RecommendedFlags } from '../../apiserver/index.js';
import { openEmbeddedStorage, type Storage } from '../../store/index.js';

export interface HardenedServer {
  server: ApiServer;
  /** The store under every wrapper (what a copied data directory holds). */
  base: Storage;
  url: string;
  request(
    method: string,
    path: string,
    opts?: {
      body?: unknown;
      raw?: string | Buffer;
      headers?: Record<string, string>;
      user?: string;
      groups?: string[];
    },
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  /** Every key with its modRevision: equal snapshots mean nothing changed in the store. */
  snapshot(): Promise<string[]>;
  stop(): Promise<void>;
}

const testUser: Filter = async (scope, next) => {
  const name = scope.req.headers['x-test-user'];
  if (typeof name === 'string' && name) {
    const groups = String(scope.req.headers['x-test-groups'] ?? '');
    scope.user = { username: name, groups: groups ? groups.split(',') : [] };
  }
  await next();
};

export async function startHardenedServer(
  flags: RecommendedFlags = {},
  extra: {
    watchCache?: { bookmarkIntervalMs?: number; historyMs?: number; maxEvents?: number };
    /** Wraps the store (e.g. to give it a disk's latency); `base` is the wrapped store. */
    wrapStorage?: (s: Storage) => Storage;
  } = {},
): Promise<HardenedServer> {
  const memory = await openEmbeddedStorage({ memory: true });
  const base = extra.wrapStorage ? extra.wrapStorage(memory) : memory;
  const rec = await recommendedServerOptions(base, flags);
  const server = createApiServer({
    storage: rec.storage,
    port: 0,
    compactionIntervalMs: 0,
    admission: rec.admission,
    filters: [...rec.preAuthenticationFilters, testUser, ...rec.authenticatedFilters],
    watchCache: extra.watchCache,
  });
  rec.bind(server);
  const { url } = await server.start();
  return {
    server,
    base,
    url,
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.user) headers['x-test-user'] = o.user;
      if (o.groups) headers['x-test-groups'] = o.groups.join(',');
      let body: string | Buffer | undefined = o.raw;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(url + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    async snapshot() {
      const res = await base.list('/registry/');
      return res.kvs.map((kv) => `${kv.key}@${kv.modRevision}`);
    },
    async stop() {
      await server.stop();
      await rec.close();
      await base.close();
    },
  };
}
