/**
 * A scripted HTTP server standing in for an API server in failure-path tests: each test says what
 * every request gets (a list page, a 410, a 429 with Retry-After, a watch stream that it feeds,
 * drops or leaves hanging). It listens on a free loopback port and records every request.
 *
 * This is a test double for the wire protocol, not an API server: for real behaviour use
 * `startTestEnv`, which runs kuberx's own API server in-process.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { kubeConfigForServer, type KubeConfig } from '../client/kubeconfig.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Answers one request; return nothing after writing to `res`. */
export type Handler = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;

/** An open watch response the test writes events into. */
export interface WatchStream {
  /** Writes one event line: `{"type":…,"object":…}`. */
  send(type: string, object: unknown): void;
  /** Writes raw text (e.g. a torn line). */
  write(text: string): void;
  /** Ends the response cleanly (as a server-side timeout does). */
  end(): void;
  /** Drops the connection abruptly. */
  destroy(): void;
  readonly closed: boolean;
}

export class ScriptedServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Array<{ method: string; path: string | RegExp; handler: Handler }> = [];
  private readonly sockets = new Set<Socket>();
  private readonly openWatches = new Set<WatchStream>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /** Starts on 127.0.0.1 and a free port. */
  static async start(): Promise<ScriptedServer> {
    const holder: { instance?: ScriptedServer } = {};
    const server = http.createServer((req, res) => void holder.instance!.dispatch(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const instance = new ScriptedServer(server, `http://127.0.0.1:${port}`);
    holder.instance = instance;
    server.on('connection', (socket) => {
      instance.sockets.add(socket);
      socket.on('close', () => instance.sockets.delete(socket));
    });
    return instance;
  }

  /** A kubeconfig pointing at this server. */
  kubeConfig(token?: string): KubeConfig {
    return kubeConfigForServer(this.url, token);
  }

  /**
   * Routes `method path` to `handler`; the latest matching route wins, so a test can change the
   * answer mid-way. `path` matches the request path without its query.
   */
  on(method: string, path: string | RegExp, handler: Handler): this {
    this.routes.unshift({ method, path, handler });
    return this;
  }

  /** Requests so far matching `method` and `path` (and `watch=true` when `watch` is set). */
  matching(method: string, path: string, watch?: boolean): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        r.method === method &&
        r.path === path &&
        (watch === undefined || (r.query.get('watch') === 'true') === watch),
    );
  }

  /** Resolves once `count` requests satisfy `predicate`; polls on real time (a network peer). */
  async waitFor(
    predicate: (r: RecordedRequest) => boolean,
    count = 1,
    timeoutMs = 5000,
  ): Promise<RecordedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.filter(predicate);
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${count} matching requests; saw:\n${this.requests
            .map((r) => `${r.method} ${r.path}?${r.query}`)
            .join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Closes every connection and the server. */
  async stop(): Promise<void> {
    for (const w of this.openWatches) w.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(recorded);
    const route = this.routes.find(
      (r) =>
        r.method === recorded.method &&
        (typeof r.path === 'string' ? r.path === recorded.path : r.path.test(recorded.path)),
    );
    if (!route) {
      sendStatus(res, 404, 'NotFound', `the server could not find the requested resource`);
      return;
    }
    try {
      await route.handler(recorded, res);
    } catch (err) {
      if (!res.headersSent) sendStatus(res, 500, 'InternalError', String(err));
    }
  }

  /** Starts a watch response on `res` and returns its controller. */
  watch(res: http.ServerResponse): WatchStream {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    let closed = false;
    const stream: WatchStream = {
      send: (type, object) => {
        if (!closed) res.write(JSON.stringify({ type, object }) + '\n');
      },
      write: (text) => {
        if (!closed) res.write(text);
      },
      end: () => {
        if (closed) return;
        closed = true;
        this.openWatches.delete(stream);
        res.end();
      },
      destroy: () => {
        if (closed) return;
        closed = true;
        this.openWatches.delete(stream);
        res.socket?.destroy();
      },
      get closed() {
        return closed;
      },
    };
    res.on('close', () => {
      closed = true;
      this.openWatches.delete(stream);
    });
    this.openWatches.add(stream);
    return stream;
  }
}

/** Writes a `Status` error response. */
export function sendStatus(
  res: http.ServerResponse,
  code: number,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
  res.end(
    JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    }),
  );
}

/** Writes a JSON response. */
export function sendJson(res: http.ServerResponse, body: unknown, code = 200): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
