/**
 * An in-process API server on a free loopback port over the embedded in-memory store, for
 * integration tests. `stop()` closes the server and the store.
 */
import { createApiServer, type CreateApiServerOptions } from '../../apiserver/index.js';
import type { ApiServer } from '../../apiserver/index.js';
import { openEmbeddedStorage, type Storage } from '../../store/index.js';

export interface TestServer {
  server: ApiServer;
  storage: Storage;
  url: string;
  /** fetch relative to the server; JSON bodies are stringified. */
  request(
    method: string,
    path: string,
    opts?: { body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  stop(): Promise<void>;
}

export async function startTestServer(
  opts: Partial<CreateApiServerOptions> & { storage?: Storage } = {},
): Promise<TestServer> {
  const storage = opts.storage ?? (await openEmbeddedStorage({ memory: true }));
  const server = createApiServer({ compactionIntervalMs: 0, ...opts, storage, port: 0 });
  const { url } = await server.start();
  return {
    server,
    storage,
    url,
    async request(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      let body: string | undefined = o.raw;
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
    async stop() {
      await server.stop();
      await storage.close();
    },
  };
}
