/**
 * The manager (controller-runtime `pkg/manager`): one per process. It owns the client, the shared
 * informers, the metrics, the inversify container and the leader election, and runs the
 * controllers and other runnables.
 *
 * Start order: the HTTP server (`/metrics`, `/healthz`, `/readyz`), the informers, runnables that
 * do not need leader election, then — once the Lease is won (or at once without leader election) —
 * the controllers and the other leader-only runnables.
 *
 * Stop (`stop()` or the start signal): runnables are told to stop and awaited up to the graceful
 * shutdown timeout (30 s); only then is the Lease released (so a successor never overlaps a
 * predecessor still finishing work), the informers stopped and the server closed. Losing
 * leadership stops everything and makes `start()` reject with `leader election lost`: the process
 * must then exit. A runnable that fails stops the manager the same way, with its error.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Container } from 'inversify';
import { createLogger, realClock, type Clock } from '../../common/index.js';
import {
  ApiClient,
  Client,
  KubeConfigTransport,
  Recorder,
  RestClient,
  RestMapper,
  type EventRecorder,
  type KindRef,
  type KubeConfig,
  type Transport,
} from '../client/index.js';
import type { Controller, ControllerHost, ControllerOptions } from '../controller/index.js';
import { SharedInformerFactory, type FactoryOptions } from '../informer/index.js';
import { LeaderElector, LeaseLock } from '../leaderelection/index.js';
import { FrameworkMetrics } from '../metrics/index.js';
import {
  defaultGracefulShutdownTimeoutMs,
  defaultLeaderElectionNamespace,
  defaultMetricsBindAddress,
  inClusterNamespaceFile,
} from './defaults.js';
import { startProbeServer, type Check, type ProbeServer } from './health.js';
import { TOKENS } from './tokens.js';

/** Anything the manager runs. */
export interface Runnable {
  /** Runs until `signal` aborts; a rejection stops the manager. */
  start(signal: AbortSignal): Promise<void>;
  /** Run only on the leader. Default true. */
  readonly needLeaderElection?: boolean;
}

export interface ManagerOptions {
  /** Where the cluster is. One of `kubeConfig` or `transport` is required. */
  kubeConfig?: KubeConfig;
  transport?: Transport;
  /** Watch and cache only this namespace. Default: all. */
  namespace?: string;
  clock?: Clock;
  /** Field manager of writes. Default `kuberx`. */
  fieldManager?: string;
  /** Default `127.0.0.1:8080`; `0` disables. */
  metricsBindAddress?: string;
  /** Serve probes here instead of on the metrics server. */
  healthProbeBindAddress?: string;
  leaderElection?: boolean;
  /** The Lease name; required with leader election. */
  leaderElectionID?: string;
  /** Default: the manager's namespace, the pod's namespace in a cluster, else `default`. */
  leaderElectionNamespace?: string;
  /** Default: `<hostname>_<uuid>`. */
  leaderElectionIdentity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Release the Lease when stopping. Default true. */
  leaderElectionReleaseOnCancel?: boolean;
  gracefulShutdownTimeoutMs?: number;
  /** Defaults for every controller. */
  controller?: Partial<Omit<ControllerOptions, 'name' | 'reconciler'>>;
  /** Informer settings (initial list strategy, backoff, error handler…). */
  informers?: FactoryOptions['informerDefaults'];
  /** Kinds the client always reads from the server. */
  uncached?: KindRef[];
  /** Also export Node process metrics. Default false. */
  processMetrics?: boolean;
}

const log = createLogger({ component: 'manager' });

export class Manager implements ControllerHost {
  readonly container = new Container();
  readonly clock: Clock;
  readonly metrics: FrameworkMetrics;
  readonly rest: RestClient;
  readonly apiClient: ApiClient;
  readonly informers: SharedInformerFactory;
  readonly client: Client;
  private readonly runnables: Runnable[] = [];
  private readonly running: Promise<void>[] = [];
  private readonly healthz = new Map<string, Check>([['ping', () => {}]]);
  private readonly readyz = new Map<string, Check>([['ping', () => {}]]);
  private readonly stopController = new AbortController();
  private readonly runController = new AbortController();
  private servers: ProbeServer[] = [];
  private started = false;
  private leading = false;
  private fail: (err: Error) => void = () => {};
  private electedResolve!: () => void;
  private readonly electedPromise = new Promise<void>((r) => (this.electedResolve = r));

  constructor(readonly options: ManagerOptions) {
    this.clock = options.clock ?? realClock;
    this.metrics = new FrameworkMetrics({ processMetrics: options.processMetrics });
    const transport =
      options.transport ??
      (options.kubeConfig
        ? new KubeConfigTransport(options.kubeConfig, { clock: this.clock })
        : undefined);
    if (!transport) throw new Error('the manager needs a kubeConfig or a transport');
    this.rest = new RestClient(transport, {
      clock: this.clock,
      observer: this.metrics.restObserver,
    });
    this.apiClient = new ApiClient(this.rest, {
      mapper: new RestMapper(this.rest),
      fieldManager: options.fieldManager,
    });
    this.informers = new SharedInformerFactory(this.apiClient, {
      namespace: options.namespace,
      clock: this.clock,
      informerDefaults: options.informers,
    });
    this.client = new Client(this.apiClient, this.informers, { uncached: options.uncached });
    this.readyz.set('informers', async () => {
      const unsynced = (await this.informers.all()).filter((i) => !i.hasSynced());
      if (unsynced.length) throw new Error(`${unsynced.length} informer(s) have not synced yet`);
    });
    this.bindContainer();
  }

  /** Base URL of the metrics server once started (undefined when disabled). */
  get url(): string | undefined {
    return this.servers[0]?.url;
  }

  /** Base URL of the probes once started. */
  get probeUrl(): string | undefined {
    return this.servers.at(-1)?.url;
  }

  controllerDefaults(): Partial<ControllerOptions> {
    return {
      clock: this.clock,
      metrics: this.metrics.controller,
      workqueueMetrics: this.metrics.workqueue,
      ...this.options.controller,
    };
  }

  addController(controller: Controller): void {
    this.add({
      start: (signal) => controller.start(signal),
      needLeaderElection: controller.needLeaderElection,
    });
  }

  /** Adds a runnable; after start it starts at once (respecting leader election). */
  add(runnable: Runnable): void {
    this.runnables.push(runnable);
    if (this.started) this.launch(runnable);
  }

  addHealthzCheck(name: string, check: Check): void {
    this.healthz.set(name, check);
  }

  addReadyzCheck(name: string, check: Check): void {
    this.readyz.set(name, check);
  }

  /** An event recorder reporting as `name`. */
  eventRecorderFor(name: string): EventRecorder {
    return new Recorder(this.apiClient, { component: name, host: hostname(), clock: this.clock });
  }

  /** Resolves once this manager leads (at once without leader election). */
  elected(): Promise<void> {
    return this.electedPromise;
  }

  /** True while this manager runs its leader-only runnables. */
  isLeader(): boolean {
    return this.leading;
  }

  /** Runs until stopped; see the module comment. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.started) throw new Error('manager already started');
    this.started = true;
    if (signal?.aborted) this.stop();
    signal?.addEventListener('abort', () => this.stop(), { once: true });
    const failure = new Promise<Error>((resolve) => (this.fail = resolve));
    const stopped = new Promise<undefined>((resolve) =>
      this.stopController.signal.addEventListener('abort', () => resolve(undefined), {
        once: true,
      }),
    );
    const electorStop = new AbortController();
    let electorDone: Promise<void> = Promise.resolve();
    try {
      await this.startServers();
      await this.informers.start();
      for (const r of this.runnables) if (r.needLeaderElection === false) this.launch(r);
      if (this.options.leaderElection) electorDone = this.createElector().run(electorStop.signal);
      else this.becomeLeader();
      const outcome = await Promise.race([stopped, failure]);
      await this.drain();
      electorStop.abort();
      await electorDone;
      if (outcome) throw outcome;
    } finally {
      this.runController.abort();
      electorStop.abort();
      await electorDone;
      await this.informers.stop();
      for (const s of this.servers) await s.close();
      this.rest.transport.close();
    }
  }

  /** Stops a started manager (same as aborting its start signal). */
  stop(): void {
    this.stopController.abort(new Error('manager stopped'));
  }

  private async startServers(): Promise<void> {
    const separateProbes = !!this.options.healthProbeBindAddress;
    const metricsServer = await startProbeServer({
      address: this.options.metricsBindAddress ?? defaultMetricsBindAddress,
      metrics: async () => ({
        contentType: this.metrics.registry.contentType,
        body: await this.metrics.text(),
      }),
      ...(separateProbes ? {} : { healthz: this.healthz, readyz: this.readyz }),
    });
    if (metricsServer) this.servers.push(metricsServer);
    if (separateProbes) {
      const probes = await startProbeServer({
        address: this.options.healthProbeBindAddress!,
        healthz: this.healthz,
        readyz: this.readyz,
      });
      if (probes) this.servers.push(probes);
    }
  }

  private launch(runnable: Runnable): void {
    if (this.runController.signal.aborted) return;
    if (runnable.needLeaderElection !== false && !this.leading) return;
    const run = runnable.start(this.runController.signal).catch((err: unknown) => {
      log.error({ err }, 'runnable failed; stopping the manager');
      this.fail(err instanceof Error ? err : new Error(String(err)));
    });
    this.running.push(run);
  }

  private becomeLeader(): void {
    if (this.runController.signal.aborted) return;
    this.leading = true;
    this.electedResolve();
    for (const r of this.runnables) if (r.needLeaderElection !== false) this.launch(r);
  }

  private createElector(): LeaderElector {
    const id = this.options.leaderElectionID;
    if (!id) throw new Error('LeaderElectionID must be configured');
    const namespace = this.leaderElectionNamespace();
    const identity = this.options.leaderElectionIdentity ?? `${hostname()}_${randomUUID()}`;
    return new LeaderElector({
      lock: new LeaseLock(this.apiClient, namespace, id, identity),
      leaseDurationMs: this.options.leaseDurationMs,
      renewDeadlineMs: this.options.renewDeadlineMs,
      retryPeriodMs: this.options.retryPeriodMs,
      releaseOnCancel: this.options.leaderElectionReleaseOnCancel ?? true,
      clock: this.clock,
      onLeadingChange: (leading) => this.metrics.leading(id, leading),
      callbacks: {
        onStartedLeading: () => this.becomeLeader(),
        onStoppedLeading: () => {
          if (this.leading && !this.stopController.signal.aborted) {
            log.error({ lease: `${namespace}/${id}` }, 'leader election lost');
            this.fail(new Error('leader election lost'));
          }
          this.leading = false;
        },
        onNewLeader: (who) => log.info({ leader: who, lease: `${namespace}/${id}` }, 'new leader'),
      },
    });
  }

  private leaderElectionNamespace(): string {
    if (this.options.leaderElectionNamespace) return this.options.leaderElectionNamespace;
    if (this.options.namespace) return this.options.namespace;
    try {
      return readFileSync(inClusterNamespaceFile, 'utf8').trim();
    } catch {
      return defaultLeaderElectionNamespace;
    }
  }

  /** Tells runnables to stop and waits for them, at most the graceful shutdown timeout. */
  private async drain(): Promise<void> {
    this.runController.abort(new Error('manager stopping'));
    const timeout = this.options.gracefulShutdownTimeoutMs ?? defaultGracefulShutdownTimeoutMs;
    let timer: { cancel(): void } | undefined;
    const expired = new Promise<boolean>((resolve) => {
      timer = this.clock.setTimeout(() => resolve(true), timeout);
    });
    const finished = Promise.all(this.running).then(() => false);
    if (await Promise.race([finished, expired])) {
      log.warn(
        { timeoutMs: timeout },
        'runnables did not stop within the graceful shutdown timeout',
      );
    }
    timer?.cancel();
  }

  private bindContainer(): void {
    const c = this.container;
    c.bind(Manager).toConstantValue(this);
    c.bind(Client).toConstantValue(this.client);
    c.bind(ApiClient).toConstantValue(this.apiClient);
    c.bind(SharedInformerFactory).toConstantValue(this.informers);
    c.bind(FrameworkMetrics).toConstantValue(this.metrics);
    c.bind(TOKENS.Clock).toConstantValue(this.clock);
    c.bind(TOKENS.Options).toConstantValue(this.options);
    c.bind(TOKENS.EventRecorderFactory).toConstantValue((name: string) =>
      this.eventRecorderFor(name),
    );
  }
}
