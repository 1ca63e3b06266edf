/**
 * The API server: an HTTP request listener over a {@link Storage}, serving the types of a
 * {@link TypeRegistry} (mutable at run time) through the generic machinery.
 *
 * Request path: built-in filters (error recovery → every failure is a `Status`; request info)
 * → the `filters` option (where authentication, authorization and rate limiting plug in) →
 * non-resource endpoints or the resource router → handlers → generic store → storage.
 * {@link ApiServer.handler} is a plain `(req, res)` listener, so a TLS server can serve it too.
 *
 * Lifecycle: {@link ApiServer.start} starts one watch cache per stored resource, rebuilds the
 * service IP/port allocations, creates the system namespaces (and the `kubernetes` Service),
 * starts compaction and listens; it resolves once ready. {@link ApiServer.stop} closes every
 * watch and the listener (the storage is the caller's to close).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTLSServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  type Clock,
  type Logger,
  createLogger,
  isAlreadyExists,
  realClock,
} from '../../common/index.js';
import type { Storage } from '../../store/index.js';
import { namespaceLifecycle } from '../admission/namespacelifecycle.js';
import type { AdmissionPlugin } from '../admission/types.js';
import * as defaults from '../defaults.js';
import type { ServerServices } from '../handlers/context.js';
import type { Applier } from '../handlers/patch.js';
import type { FieldManager } from '../registry/generic/context.js';
import type { ResourceType } from '../registry/types.js';
import type { SchemaSet } from '../schema/index.js';
import { IPAllocator, PortAllocator } from '../rest/allocators.js';
import { ServiceAllocations } from '../rest/services.js';
import { writeError } from './http.js';
import { serveNonResource, notFound, type HealthCheck } from './nonresource.js';
import { newRequestInfo } from './requestinfo.js';
import { parseRequestTarget } from './target.js';
import { routeResource, type SubresourceHandler } from './router.js';
import { chain, type Filter, type RequestScope } from './scope.js';
import { StoreSet } from './stores.js';
import { TypeRegistry } from './typeregistry.js';

/** Serves a non-resource path (e.g. `/openapi/v2`); resolves false when it is not its path. */
export type NonResourceHandler = (scope: RequestScope) => Promise<boolean>;

/**
 * A component that runs inside the server (the CRD controller): started once the watch caches
 * are ready and before the server listens (the server then waits for the caches of the types it
 * added), stopped first on stop.
 */
export interface ServerExtension {
  start(server: ApiServer): Promise<void>;
  stop(): Promise<void>;
}

export interface ApiServerOptions {
  storage: Storage;
  /** The served types at start. */
  types: Iterable<ResourceType>;
  clock?: Clock;
  /** Default 127.0.0.1. */
  bindAddress?: string;
  /** Default 6443; 0 picks a free port. */
  port?: number;
  /** Filters run before routing, in order (authentication, authorization, …). */
  filters?: Filter[];
  /**
   * Serve HTTPS with this certificate and key (PEM). With `clientCA`, clients are asked for a
   * certificate, which the handshake verifies against it but never requires: the socket's
   * `authorized` flag is for the authentication filter to read. Absent: plain HTTP.
   */
  tls?: { cert: string; key: string; clientCA?: string };
  /** Admission plugins after the built-in NamespaceLifecycle. */
  admission?: AdmissionPlugin[];
  /** Extra non-resource endpoints (OpenAPI documents), tried before the 404. */
  nonResourceHandlers?: NonResourceHandler[];
  /** Schemas for field validation and strategic merge patch. */
  schemas?: SchemaSet;
  fieldManager?: FieldManager;
  /** Server-side apply; without it apply patches are 415. */
  applier?: Applier;
  serviceClusterIPRange?: string;
  serviceNodePortRange?: { base: number; size: number };
  /** Storage compaction period; 0 disables. Default 5 min. */
  compactionIntervalMs?: number;
  /** Create the system namespaces and the `kubernetes` Service at start. Default true. */
  bootstrap?: boolean;
  maxRequestBodyBytes?: number;
  minRequestTimeoutSeconds?: number;
  /** Watch-cache tuning (tests use short intervals). */
  watchCache?: { bookmarkIntervalMs?: number; historyMs?: number; maxEvents?: number };
  logger?: Logger;
  /** See {@link ServerExtension}. */
  extensions?: ServerExtension[];
}

export class ApiServer {
  readonly registry: TypeRegistry;
  readonly clock: Clock;
  private readonly stores: StoreSet;
  private readonly logger: Logger;
  private readonly filters: readonly Filter[];
  private readonly services: ServerServices;
  private readonly subresources = new Map<string, Partial<Record<string, SubresourceHandler>>>();
  private readonly serviceAllocations: ServiceAllocations;
  private server?: Server;
  private compactTimer?: { cancel(): void };
  private boundAddress = '';

  constructor(private readonly opts: ApiServerOptions) {
    this.clock = opts.clock ?? realClock;
    this.logger = opts.logger ?? createLogger({ component: 'apiserver' });
    this.registry = new TypeRegistry(opts.types);
    this.serviceAllocations = new ServiceAllocations(
      new IPAllocator(opts.serviceClusterIPRange ?? defaults.defaultServiceClusterIPRange),
      new PortAllocator(
        (opts.serviceNodePortRange ?? defaults.defaultServiceNodePortRange).base,
        (opts.serviceNodePortRange ?? defaults.defaultServiceNodePortRange).size,
      ),
    );
    const admission = [
      namespaceLifecycle({ getNamespace: (name) => this.stores.getNamespace(name) }),
      ...(opts.admission ?? []),
    ];
    this.stores = new StoreSet({
      registry: this.registry,
      storage: opts.storage,
      clock: this.clock,
      logger: this.logger,
      admission,
      fieldManager: opts.fieldManager,
      serviceAllocations: this.serviceAllocations,
      watchCache: opts.watchCache,
    });
    this.services = {
      clock: this.clock,
      logger: this.logger,
      registry: this.registry,
      schemas: opts.schemas,
      maxRequestBodyBytes: opts.maxRequestBodyBytes ?? defaults.maxRequestBodyBytes,
      minRequestTimeoutSeconds: opts.minRequestTimeoutSeconds ?? defaults.minRequestTimeoutSeconds,
      storeFor: (group, resource) => this.stores.preferred(group, resource),
    };
    this.filters = [...(opts.filters ?? [])];
    for (const [key, handlers] of this.stores.specialSubresources())
      this.subresources.set(key, handlers);
  }

  /** Registers a handler for a subresource with special behaviour (e.g. by the CRD code). */
  addSubresourceHandler(
    group: string,
    resource: string,
    subresource: string,
    handlers: Partial<Record<string, SubresourceHandler>>,
  ): void {
    this.subresources.set(`${group}/${resource}/${subresource}`, handlers);
  }

  /** The store of a served type (e.g. for the CRD controller or bootstrap code). */
  store(group: string, version: string, resource: string) {
    return this.stores.get(group, version, resource);
  }

  /** Whether every watch cache has completed its first list. */
  isReady(): boolean {
    return this.stores.allReady();
  }

  /** The node:http request listener. */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    void this.serve(req, res);
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = this.clock.now();
    let scope: RequestScope | undefined;
    try {
      const target = parseRequestTarget(req.url ?? '/');
      const info = newRequestInfo(req.method ?? 'GET', target.pathname, target.query);
      scope = {
        req,
        res,
        get url() {
          return target.url;
        },
        query: target.query,
        info,
        warnings: [],
      };
      await chain(this.filters, (s) => this.route(s))(scope);
    } catch (err) {
      if (res.headersSent) {
        res.end();
      } else {
        const status = writeError(res, err);
        if (status.code >= 500) this.logger.error({ err, path: req.url }, 'request failed');
      }
    } finally {
      if (this.logger.isLevelEnabled('debug')) {
        this.logger.debug(
          {
            method: req.method,
            path: scope?.info.path,
            code: res.statusCode,
            ms: this.clock.now() - started,
          },
          'request',
        );
      }
    }
  }

  private async route(scope: RequestScope): Promise<void> {
    if (scope.info.isResourceRequest) {
      return routeResource(
        {
          services: this.services,
          storeFor: (g, v, r) => this.stores.get(g, v, r),
          subresources: this.subresources,
          applier: this.opts.applier,
        },
        scope,
      );
    }
    const handled = await serveNonResource(
      {
        registry: this.registry,
        address: () => this.boundAddress,
        livez: this.livez(),
        readyz: this.readyz(),
      },
      scope,
    );
    if (handled) return;
    for (const h of this.opts.nonResourceHandlers ?? []) if (await h(scope)) return;
    throw notFound();
  }

  private livez(): HealthCheck[] {
    return [
      { name: 'ping', check: async () => undefined },
      { name: 'log', check: async () => undefined },
      {
        name: 'etcd',
        check: async () => {
          try {
            await this.opts.storage.status();
            return undefined;
          } catch (err) {
            return err instanceof Error ? err.message : String(err);
          }
        },
      },
    ];
  }

  private readyz(): HealthCheck[] {
    return [
      {
        name: 'informer-sync',
        check: async () => (this.stores.allReady() ? undefined : 'watch caches not synced'),
      },
    ];
  }

  /** Starts caches, bootstraps, listens; resolves with the URL once ready. */
  async start(): Promise<{ url: string; port: number; address: string }> {
    const { version } = await this.opts.storage.status();
    this.stores.setProgressReliable(progressNotifyReliable(version));
    this.stores.start();
    await this.stores.waitReady();
    await this.stores.restoreServiceAllocations();
    if (this.opts.bootstrap !== false) await this.bootstrap();
    for (const extension of this.opts.extensions ?? []) await extension.start(this);
    await this.stores.waitReady();
    this.scheduleCompaction();
    const tls = this.opts.tls;
    const server = tls
      ? createTLSServer(
          {
            keepAliveTimeout: 65_000,
            cert: tls.cert,
            key: tls.key,
            ca: tls.clientCA,
            requestCert: tls.clientCA !== undefined,
            rejectUnauthorized: false,
          },
          this.handler,
        )
      : createServer({ keepAliveTimeout: 65_000 }, this.handler);
    this.server = server;
    const host = this.opts.bindAddress ?? defaults.defaultBindAddress;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? defaults.defaultPort, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.boundAddress = `${host}:${port}`;
    const scheme = tls ? 'https' : 'http';
    return { url: `${scheme}://${host}:${port}`, port, address: host };
  }

  async stop(): Promise<void> {
    for (const extension of this.opts.extensions ?? []) await extension.stop();
    this.compactTimer?.cancel();
    this.stores.stop();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async bootstrap(): Promise<void> {
    const namespaces = this.stores.get('', 'v1', 'namespaces');
    if (namespaces) {
      for (const name of defaults.systemNamespaces) {
        try {
          await namespaces.create(
            { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
            { namespace: '', fieldManager: 'kube-apiserver' },
          );
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
        }
      }
    }
    const services = this.stores.get('', 'v1', 'services');
    if (services) {
      try {
        await services.create(
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: {
              name: 'kubernetes',
              namespace: 'default',
              labels: { component: 'apiserver', provider: 'kubernetes' },
            },
            spec: {
              type: 'ClusterIP',
              clusterIP: this.serviceAllocations.ips.first(),
              ports: [
                { name: 'https', port: 443, protocol: 'TCP', targetPort: this.opts.port || 6443 },
              ],
              sessionAffinity: 'None',
            },
          },
          { namespace: 'default', fieldManager: 'kube-apiserver' },
        );
      } catch (err) {
        if (!isAlreadyExists(err))
          this.logger.warn({ err }, 'could not create the kubernetes Service');
      }
    }
  }

  /** Compacts storage every interval to the revision seen one interval earlier (≥ 1 interval of history). */
  private scheduleCompaction(): void {
    const interval = this.opts.compactionIntervalMs ?? defaults.compactionIntervalMs;
    if (interval <= 0) return;
    let previous = 0;
    const tick = async () => {
      try {
        if (previous > 0) await this.opts.storage.compact(previous);
        previous = await this.opts.storage.currentRevision();
      } catch (err) {
        this.logger.warn({ err }, 'compaction failed');
      }
      this.compactTimer = this.clock.setTimeout(() => void tick(), interval);
    };
    this.compactTimer = this.clock.setTimeout(() => void tick(), interval);
  }
}

/**
 * Whether a store of this (etcd) version sends progress notifications only once a watcher has
 * every event up to the notified revision: etcd ≥ 3.4.31, ≥ 3.5.13 or ≥ 3.6 (etcd-io/etcd#15220),
 * the same bar kube-apiserver sets for serving consistent reads from its cache.
 */
export function progressNotifyReliable(version: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (major !== 3) return major > 3;
  if (minor === 4) return patch >= 31;
  if (minor === 5) return patch >= 13;
  return minor > 5;
}
