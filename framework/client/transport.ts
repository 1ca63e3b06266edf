/**
 * The transport: how the framework talks HTTP to an API server. {@link Transport} is the seam that
 * keeps @kubernetes/client-node's major versions out of the framework: client-node is used only to
 * read the kubeconfig and resolve credentials (files, tokens, exec and auth-provider plugins,
 * contexts, KUBECONFIG, in-cluster), through `KubeConfig.applyToHTTPSOptions`; requests themselves
 * go through Node's own `http`/`https` with a keep-alive agent. There is no client-side request
 * timeout, so watches live as long as the server keeps them (no 30 s abort).
 *
 * A cluster's `proxy-url` is honoured through client-node's proxy agents. Plain `http://` servers
 * are accepted as kubectl accepts them (client-node alone refuses them unless
 * `insecure-skip-tls-verify` is set; there is no TLS to verify).
 */
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../../common/index.js';
import { realClock } from '../../common/index.js';
import { defaultAuthCacheMs, defaultUserAgent } from './defaults.js';

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/v1/pods?limit=500`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Aborting destroys the request or the response stream. */
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as a stream; the caller must consume or destroy it. */
  body: Readable;
}

/** Sends HTTP requests to one API server. */
export interface Transport {
  /** Base URL of the server, e.g. `https://127.0.0.1:6443`. */
  readonly server: string;
  request(req: TransportRequest): Promise<TransportResponse>;
  /** Forgets cached credentials (the next request resolves them again). */
  invalidateCredentials(): void;
  /** Closes idle connections. */
  close(): void;
}

export interface KubeConfigTransportOptions {
  /** See {@link defaultAuthCacheMs}. */
  authCacheMs?: number;
  userAgent?: string;
  clock?: Clock;
}

interface Resolved {
  at: number;
  agent: http.Agent;
  headers: Record<string, string>;
}

/** A {@link Transport} configured from a client-node `KubeConfig` (its current context). */
export class KubeConfigTransport implements Transport {
  readonly server: string;
  private readonly base: URL;
  private readonly isHttps: boolean;
  private readonly authCacheMs: number;
  private readonly userAgent: string;
  private readonly clock: Clock;
  private resolved: Promise<Resolved> | undefined;
  private readonly agents = new Map<string, http.Agent>();

  constructor(
    private readonly kubeConfig: KubeConfig,
    options: KubeConfigTransportOptions = {},
  ) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster (set a current-context)');
    this.server = cluster.server.replace(/\/+$/, '');
    this.base = new URL(this.server);
    this.isHttps = this.base.protocol === 'https:';
    this.authCacheMs = options.authCacheMs ?? defaultAuthCacheMs;
    this.userAgent = options.userAgent ?? defaultUserAgent;
    this.clock = options.clock ?? realClock;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    const { agent, headers } = await this.credentials();
    const allHeaders: Record<string, string> = {
      'User-Agent': this.userAgent,
      ...headers,
      ...req.headers,
    };
    if (req.body !== undefined) {
      allHeaders['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    const basePath = this.base.pathname === '/' ? '' : this.base.pathname.replace(/\/+$/, '');
    const options: http.RequestOptions = {
      method: req.method,
      host: this.base.hostname.replace(/^\[|\]$/g, ''),
      port: this.base.port || (this.isHttps ? 443 : 80),
      path: basePath + req.path,
      headers: allHeaders,
      agent,
    };
    return new Promise<TransportResponse>((resolve, reject) => {
      if (req.signal?.aborted) {
        reject(req.signal.reason);
        return;
      }
      const request = (this.isHttps ? https : http).request(options, (res) => {
        if (req.signal) {
          const onAbort = (): void => void res.destroy(req.signal?.reason);
          req.signal.addEventListener('abort', onAbort, { once: true });
          res.once('close', () => req.signal?.removeEventListener('abort', onAbort));
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
      });
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

  invalidateCredentials(): void {
    this.resolved = undefined;
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
    this.resolved = undefined;
  }

  private credentials(): Promise<Resolved> {
    const now = this.clock.now();
    if (this.resolved) {
      const current = this.resolved;
      return current.then((r) => (now - r.at < this.authCacheMs ? r : this.refresh()));
    }
    return this.refresh();
  }

  private refresh(): Promise<Resolved> {
    const pending = this.resolve();
    this.resolved = pending;
    pending.catch(() => {
      if (this.resolved === pending) this.resolved = undefined;
    });
    return pending;
  }

  private async resolve(): Promise<Resolved> {
    const opts: https.RequestOptions = {};
    await this.credentialSource().applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    if (opts.auth && !headers.Authorization) {
      headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    }
    return { at: this.clock.now(), agent: this.agentFor(opts), headers };
  }

  /** The kubeconfig, seen with skip-verify on for plain-HTTP servers (see the module comment). */
  private credentialSource(): KubeConfig {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (this.isHttps || !cluster || cluster.skipTLSVerify) return this.kubeConfig;
    const view = Object.create(this.kubeConfig) as KubeConfig;
    view.getCurrentCluster = () => ({ ...cluster, skipTLSVerify: true });
    return view;
  }

  private agentFor(opts: https.RequestOptions): http.Agent {
    if (this.kubeConfig.getCurrentCluster()?.proxyUrl && opts.agent instanceof http.Agent) {
      return opts.agent;
    }
    const tls = {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      pfx: opts.pfx,
      passphrase: opts.passphrase,
      rejectUnauthorized: opts.rejectUnauthorized,
      servername: opts.servername,
    };
    const id = JSON.stringify(tls, (_k, v: unknown) =>
      Buffer.isBuffer(v) ? v.toString('base64') : v,
    );
    let agent = this.agents.get(id);
    if (!agent) {
      agent = this.isHttps
        ? new https.Agent({ keepAlive: true, ...stripUndefined(tls) })
        : new http.Agent({ keepAlive: true });
      this.agents.set(id, agent);
    }
    return agent;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
