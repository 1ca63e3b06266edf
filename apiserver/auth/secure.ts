/**
 * The API server as a real cluster runs it: HTTPS with the cluster PKI, authentication (client
 * certificates, `--token-auth-file`, ServiceAccount tokens, anonymous only for the health and
 * version paths), impersonation, RBAC with upstream's bootstrap policy and kuberx's component
 * roles, escalation prevention, the review APIs and the TokenRequest subresource.
 *
 * ```ts
 * const secure = await createSecureApiServer({ storage, dataDir: '.kuberx', port: 6443 });
 * const { url, kubeconfig } = await secure.start();   // kubeconfig = DIR/kubeconfig (admin)
 * ```
 *
 * Start-up order: PKI (reused from the data dir), listen, then — before the first request is
 * authorized — the RBAC cache is loaded, the bootstrap policy reconciled and aggregated roles
 * filled; requests that arrive meanwhile wait. {@link SecureApiServer.stop} stops the RBAC
 * controllers and the server (the storage stays the caller's to close).
 *
 * `insecureHttp` serves plain HTTP with neither authentication nor authorization (upstream's old
 * insecure port), only on a loopback address, and logs a warning: kubectl never sends credentials
 * over HTTP, so this is for tests and nothing else.
 */
import { isIP } from 'node:net';
import { createLogger, type Logger } from '../../common/index.js';
import { createApiServer, type CreateApiServerOptions } from '../index.js';
import type { ApiServer, ServerExtension } from '../server/server.js';
import type { Filter } from '../server/scope.js';
import * as apiDefaults from '../defaults.js';
import { rbacGroup } from '../registry/rbac/rbac.js';
import type { ClusterPKI } from '../pki/index.js';
import { ensureClusterPKI, type ClientCredentials, type ClientIdentity } from '../pki/index.js';
import { authenticationFilter, type AnonymousMode } from './authn/filter.js';
import { loadTokenFile } from './authn/tokenfile.js';
import type { TokenAuthenticator } from './authn/types.js';
import { x509Authenticator } from './authn/x509.js';
import { authorizationFilter } from './authz/filter.js';
import {
  privilegedGroupsAuthorizer,
  unionAuthorizer,
  type Authorizer,
  type RuleResolver,
} from './authz/types.js';
import { impersonationFilter } from './impersonation.js';
import { ClusterRoleAggregator } from './rbac/aggregation.js';
import { RBACAuthorizer } from './rbac/authorizer.js';
import { ensureBootstrapPolicy } from './rbac/bootstrap/reconcile.js';
import { RBACCache } from './rbac/cache.js';
import { rbacEscalationPlugin } from './rbac/escalation.js';
import { RBACObjects } from './rbac/objects.js';
import { reviewsFilter } from './reviews/filter.js';
import { serverObjectGetter } from './serviceaccount/getter.js';
import { tokenRequestHandler } from './serviceaccount/tokenrequest.js';
import { ServiceAccountTokens } from './serviceaccount/tokens.js';
import { systemPrivilegedGroup } from './user.js';

export interface SecureApiServerOptions extends Omit<CreateApiServerOptions, 'tls'> {
  /** Where the PKI lives (`DIR/pki`) and the kubeconfigs are written. */
  dataDir: string;
  /** `--advertise-address`: extra serving-certificate SANs. */
  advertiseAddresses?: string[];
  /** `--token-auth-file`: the static token CSV. */
  tokenAuthFile?: string;
  /** Anonymous requests: `public` (default: health and version only), `all` or `none`. */
  anonymous?: AnonymousMode;
  /** `--service-account-issuer`; default `https://kubernetes.default.svc.cluster.local`. */
  serviceAccountIssuer?: string;
  /** `--api-audiences`; default `[issuer]`. */
  apiAudiences?: string[];
  /** Plain HTTP without authentication or authorization; loopback only. */
  insecureHttp?: boolean;
  /** Filters before authentication, outermost first (the request timeout, as upstream). */
  preAuthenticationFilters?: Filter[];
  /** Filters between authentication and impersonation (audit, in-flight limits, as upstream). */
  authenticatedFilters?: Filter[];
}

export interface SecureApiServerStarted {
  url: string;
  port: number;
  /** `DIR/kubeconfig` (admin), absent in insecure mode. */
  kubeconfig?: string;
  controllerManagerKubeconfig?: string;
  schedulerKubeconfig?: string;
}

export class SecureApiServer {
  private started?: SecureApiServerStarted;

  private constructor(
    readonly server: ApiServer,
    readonly pki: ClusterPKI,
    readonly tokens: ServiceAccountTokens,
    /** The server's authorizer (privileged groups, then RBAC), for reviews and tests. */
    readonly authorizer: Authorizer & RuleResolver,
    readonly rbac: RBACAuthorizer,
    private readonly rbacRuntime: RBACRuntime,
    private readonly opts: SecureApiServerOptions,
  ) {}

  static async create(opts: SecureApiServerOptions): Promise<SecureApiServer> {
    const logger = opts.logger ?? createLogger({ component: 'apiserver' });
    const bind = opts.bindAddress ?? apiDefaults.defaultBindAddress;
    if (opts.insecureHttp) {
      if (!isLoopback(bind))
        throw new Error(`--insecure-http serves only on a loopback address, not ${bind}`);
      logger.warn(
        { bindAddress: bind },
        'INSECURE: serving plain HTTP with NO authentication and NO authorization; anyone who can reach this port owns the cluster',
      );
    }
    const pki = await ensureClusterPKI({
      dataDir: opts.dataDir,
      advertiseAddresses: opts.advertiseAddresses,
      serviceIP: firstServiceIP(
        opts.serviceClusterIPRange ?? apiDefaults.defaultServiceClusterIPRange,
      ),
      clock: opts.clock,
    });
    const objects = new RBACObjects();
    const rbac = new RBACAuthorizer(objects);
    const privileged = privilegedGroupsAuthorizer([systemPrivilegedGroup]);
    const authorizer: Authorizer & RuleResolver = {
      authorize: unionAuthorizer([privileged, rbac]).authorize,
      rulesFor: (user, ns) => {
        const a = privileged.rulesFor(user, ns);
        const b = rbac.rulesFor(user, ns);
        return { rules: [...a.rules, ...b.rules], errors: [...a.errors, ...b.errors] };
      },
    };
    const runtime = new RBACRuntime(objects, logger);
    const served: { server?: ApiServer } = {};
    const getter = serverObjectGetter(() => served.server!);
    const tokens = new ServiceAccountTokens({
      privateKeyPem: pki.serviceAccountKey.privateKeyPem,
      issuer: opts.serviceAccountIssuer,
      apiAudiences: opts.apiAudiences,
      getter,
      clock: opts.clock,
    });
    const tokenAuthenticators: TokenAuthenticator[] = [];
    if (opts.tokenAuthFile) tokenAuthenticators.push(await loadTokenFile(opts.tokenAuthFile));
    tokenAuthenticators.push(tokens.authenticator());
    const maxRequestBodyBytes = opts.maxRequestBodyBytes ?? apiDefaults.maxRequestBodyBytes;
    const reviews = reviewsFilter({
      tokenAuthenticators,
      apiAudiences: tokens.apiAudiences,
      authorizer,
      ruleResolver: authorizer,
      maxRequestBodyBytes,
    });
    const authenticated = opts.authenticatedFilters ?? [];
    const security = opts.insecureHttp
      ? authenticated
      : [
          authenticationFilter({
            requestAuthenticators: [x509Authenticator()],
            tokenAuthenticators,
            anonymous: opts.anonymous,
            logger,
          }),
          ...authenticated,
          impersonationFilter(authorizer, runtime.ready),
          authorizationFilter(authorizer, runtime.ready),
          reviews,
        ];
    const server = createApiServer({
      ...opts,
      logger,
      tls: opts.insecureHttp
        ? undefined
        : { cert: pki.serving.certPem, key: pki.serving.keyPem, clientCA: pki.ca.certPem },
      filters: [...(opts.preAuthenticationFilters ?? []), ...security, ...(opts.filters ?? [])],
      extensions: [runtime, ...(opts.extensions ?? [])],
      admission: [
        rbacEscalationPlugin({ authorizer, rbac, ready: runtime.ready }),
        ...(opts.admission ?? []),
      ],
    });
    served.server = server;
    server.addSubresourceHandler('', 'serviceaccounts', 'token', {
      create: tokenRequestHandler(tokens, getter),
    });
    return new SecureApiServer(server, pki, tokens, authorizer, rbac, runtime, opts);
  }

  /** Loads RBAC and the bootstrap policy, listens, writes the component kubeconfigs. */
  async start(): Promise<SecureApiServerStarted> {
    let started: { url: string; port: number; address: string };
    try {
      started = await this.server.start();
    } catch (err) {
      await this.server.stop().catch(() => undefined);
      throw err;
    }
    const { url, port, address } = started;
    this.started = { url, port };
    if (!this.opts.insecureHttp) {
      const paths = await this.pki.writeComponentKubeconfigs(this.kubeconfigServer(address, port));
      this.started.kubeconfig = paths.admin;
      this.started.controllerManagerKubeconfig = paths.controllerManager;
      this.started.schedulerKubeconfig = paths.scheduler;
    }
    return this.started;
  }

  /** Client credentials (and a kubeconfig for this server) for any user, e.g. a simulated node. */
  async issueClientCredentials(
    identity: ClientIdentity,
    kubeconfigPath?: string,
  ): Promise<ClientCredentials> {
    if (!this.started) throw new Error('the server has not started');
    const server = this.kubeconfigServer(
      this.opts.bindAddress ?? apiDefaults.defaultBindAddress,
      this.started.port,
    );
    return this.pki.issueClientCredentials(identity, { server, kubeconfigPath });
  }

  /** Resolves when the aggregation controller has nothing left to do (tests). */
  async settled(): Promise<void> {
    await this.rbacRuntime.settled();
  }

  /** Stops the server (and with it the RBAC cache and aggregation controller). */
  async stop(): Promise<void> {
    await this.server.stop();
  }

  private kubeconfigServer(address: string, port: number): string {
    const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address;
    return `https://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  }
}

/** Shorthand for {@link SecureApiServer.create}. */
export function createSecureApiServer(opts: SecureApiServerOptions): Promise<SecureApiServer> {
  return SecureApiServer.create(opts);
}

function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\./.test(address);
}

/** The first host address of a CIDR (the `kubernetes` Service's ClusterIP), IPv4 only. */
function firstServiceIP(cidr: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(cidr);
  if (!m) return undefined;
  return `${m[1]}.${m[2]}.${m[3]}.${Number(m[4]) + 1}`;
}

/**
 * RBAC inside the server, as a {@link ServerExtension}: started once the watch caches are ready
 * and before the server listens, so the first request already meets a loaded RBAC cache, the
 * reconciled bootstrap policy and filled aggregated roles. `ready` settles then (filters and the
 * escalation plugin await it, which only matters for callers that serve before `start`).
 */
class RBACRuntime implements ServerExtension {
  readonly ready: Promise<void>;
  private open!: () => void;
  private fail!: (err: unknown) => void;
  private cache?: RBACCache;
  private aggregator?: ClusterRoleAggregator;

  constructor(
    private readonly objects: RBACObjects,
    private readonly logger: Logger,
  ) {
    this.ready = new Promise<void>((res, rej) => {
      this.open = res;
      this.fail = rej;
    });
    this.ready.catch(() => undefined);
  }

  async start(server: ApiServer): Promise<void> {
    try {
      this.cache = new RBACCache(server, this.logger, this.objects);
      await this.cache.ready;
      await ensureBootstrapPolicy(server, this.logger);
      const store = server.store(rbacGroup, 'v1', 'clusterroles')!;
      this.aggregator = new ClusterRoleAggregator(this.cache, store, this.logger);
      this.aggregator.start();
      await this.aggregator.idle();
      this.open();
    } catch (err) {
      this.fail(err);
      throw err;
    }
  }

  async settled(): Promise<void> {
    await this.aggregator?.idle();
  }

  async stop(): Promise<void> {
    this.aggregator?.stop();
    this.cache?.stop();
  }
}
