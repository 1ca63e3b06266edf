/**
 * How simulated kubelets reach the API server. Each node writes with a client of its own
 * ({@link NodeClients.clientFor}), so the API server authenticates, authorises and admits
 * (NodeRestriction) every write as that node; the shared informers read through
 * {@link NodeClients.reader}.
 *
 * Thousands of nodes cannot each hold TLS connections of their own, so node identities are
 * bearer tokens sent over one shared connection pool ({@link BearerTokenTransport}). When no
 * tokens are given, every node uses the reader's credentials (as kwok does).
 */
import {
  ApiClient,
  RestClient,
  type Clock,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from '../../framework/index.js';
import { kubeletFieldManager } from './defaults.js';

/** A {@link Transport} that sends every request through `base` with `Authorization: Bearer`. */
export class BearerTokenTransport implements Transport {
  readonly server: string;

  constructor(
    private readonly base: Transport,
    private readonly token: string,
  ) {
    this.server = base.server;
  }

  request(req: TransportRequest): Promise<TransportResponse> {
    return this.base.request({
      ...req,
      headers: { ...req.headers, Authorization: `Bearer ${this.token}` },
    });
  }

  invalidateCredentials(): void {
    // The token is fixed; nothing is cached.
  }

  /** The pool belongs to `base` (shared by every node): closing one node must not close it. */
  close(): void {}
}

/** The clients of one simulator process. */
export interface NodeClients {
  /** Reads (informers) and anything not done as a particular node. */
  readonly reader: ApiClient;
  /** The client node `name` writes with. */
  clientFor(name: string): ApiClient;
}

export interface NodeClientsOptions {
  /** The connection pool (and, without tokens, the credentials) of every client. */
  transport: Transport;
  /** Bearer token of each node; nodes without one write with `transport`'s credentials. */
  tokens?: ReadonlyMap<string, string>;
  /** Token the shared informers read with; default `transport`'s credentials. */
  readerToken?: string;
  clock?: Clock;
}

/** Builds {@link NodeClients} over one transport. */
export function nodeClients(options: NodeClientsOptions): NodeClients {
  const make = (transport: Transport) =>
    new ApiClient(new RestClient(transport, { clock: options.clock }), {
      fieldManager: kubeletFieldManager,
    });
  const shared = make(options.transport);
  const reader = options.readerToken
    ? make(new BearerTokenTransport(options.transport, options.readerToken))
    : shared;
  const perNode = new Map<string, ApiClient>();
  return {
    reader,
    clientFor(name) {
      const token = options.tokens?.get(name);
      if (!token) return shared;
      let client = perNode.get(name);
      if (!client) {
        client = make(new BearerTokenTransport(options.transport, token));
        perNode.set(name, client);
      }
      return client;
    },
  };
}
