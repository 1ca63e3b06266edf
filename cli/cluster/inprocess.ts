/**
 * In-process clients of the API server: HTTP requests handed to the server's request handler over
 * in-memory connections, without TCP or TLS. Every request still goes through the whole server —
 * HTTP parsing, authentication (a bearer token: there is no client certificate without TLS),
 * authorization, admission — so a component keeps its own identity; only the transport is
 * cheaper. The connections are pooled (keep-alive) like sockets.
 *
 * {@link InProcessServer.transport} gives a framework {@link Transport} for one token. Requests
 * after {@link InProcessServer.close} fail.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import type { Transport, TransportRequest, TransportResponse } from '../../framework/index.js';

/**
 * The parts of `net.Socket` that Node's HTTP client and server call on a connection, for an
 * in-memory stream: keep-alive, no-delay and timeouts have nothing to do without a network; the
 * peer address reads as loopback.
 */
function socketLike(d: Duplex): Duplex {
  return Object.assign(d, {
    remoteAddress: '127.0.0.1',
    remotePort: 0,
    localAddress: '127.0.0.1',
    setKeepAlive: () => d,
    setNoDelay: () => d,
    setTimeout: () => d,
    ref: () => d,
    unref: () => d,
  });
}

/** Two connected in-memory streams: what one writes, the other reads. */
function duplexPair(): [Duplex, Duplex] {
  const sides: Duplex[] = [];
  const make = (other: () => Duplex) =>
    socketLike(
      new Duplex({
        read() {},
        write(chunk, _encoding, callback) {
          other().push(chunk);
          callback();
        },
        final(callback) {
          other().push(null);
          callback();
        },
        destroy(err, callback) {
          const peer = other();
          if (!peer.destroyed) peer.destroy();
          callback(err);
        },
      }),
    );
  sides.push(
    make(() => sides[1]!),
    make(() => sides[0]!),
  );
  return [sides[0]!, sides[1]!];
}

export class InProcessServer {
  private readonly server: http.Server;
  private readonly agent: http.Agent;
  private readonly connections = new Set<Duplex>();
  private closed = false;

  constructor(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    this.server = http.createServer({ keepAliveTimeout: 65_000 }, handler);
    this.agent = new http.Agent({ keepAlive: true });
    this.agent.createConnection = () => {
      if (this.closed) throw new Error('the in-process API server connection is closed');
      const [client, server] = duplexPair();
      this.connections.add(server);
      server.once('close', () => this.connections.delete(server));
      this.server.emit('connection', server);
      return client as never;
    };
  }

  /** A transport that authenticates every request with `token`. */
  transport(token: string, server = 'https://in-process.kuberx'): Transport {
    const agent = this.agent;
    return {
      server,
      request: (req) => send(agent, req, token),
      invalidateCredentials: () => {},
      close: () => {},
    };
  }

  /** Drops every connection; later requests fail. */
  close(): void {
    this.closed = true;
    this.agent.destroy();
    for (const c of this.connections) c.destroy();
    this.connections.clear();
  }
}

function send(agent: http.Agent, req: TransportRequest, token: string): Promise<TransportResponse> {
  return new Promise<TransportResponse>((resolve, reject) => {
    if (req.signal?.aborted) {
      reject(req.signal.reason);
      return;
    }
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, ...req.headers };
    if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
    const request = http.request(
      { agent, method: req.method, path: req.path, headers, host: 'in-process.kuberx' },
      (res) => {
        if (req.signal) {
          const onAbort = (): void => void res.destroy(req.signal?.reason);
          req.signal.addEventListener('abort', onAbort, { once: true });
          res.once('close', () => req.signal?.removeEventListener('abort', onAbort));
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
      },
    );
    const onAbort = (): void => void request.destroy(req.signal?.reason);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    request.once('response', () => req.signal?.removeEventListener('abort', onAbort));
    request.once('error', (err) => {
      req.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    request.end(req.body);
  });
}
