/**
 * The controller: watches feed a work queue of requests; N workers reconcile them (controller-runtime
 * `pkg/internal/controller`). See `reconcile.ts` for the result contract.
 *
 * - Start: every watch registers a handler on its shared informer; the controller waits until each
 *   handler has synced (at most `cacheSyncTimeoutMs`, default 2 min; then start fails with
 *   controller-runtime's message), then starts `maxConcurrentReconciles` workers (default 1).
 * - The queue is the priority queue by default (initial list and resync at low priority) with the
 *   per-item 5 ms → 1000 s backoff; with `usePriorityQueue: false` it is client-go's rate-limited
 *   queue with the 10 qps / burst 100 bucket as well.
 * - Exceptions thrown by the reconciler never escape: they count as errors. Values that are not
 *   `Error`s and programming errors (TypeError, ReferenceError, RangeError, SyntaxError) are also
 *   counted as panics (`recoverPanic`, default true; when false the controller stops with the error).
 * - Stop (the signal aborts): no new reconcile starts; running ones finish (their context's signal
 *   is aborted so they can stop early); `start()` then resolves.
 */
import { randomUUID } from 'node:crypto';
import { createLogger, realClock, type Clock, type Logger } from '../../common/index.js';
import type { KindRef, KubernetesObject } from '../client/index.js';
import type { HandlerRegistration, Informer, InformerScope } from '../informer/index.js';
import {
  ItemExponentialFailureRateLimiter,
  PriorityQueue,
  RateLimitingQueue,
  defaultControllerRateLimiter,
  type RateLimiter,
  type WorkqueueMetricsProvider,
} from '../workqueue/index.js';
import {
  defaultCacheSyncTimeoutMs,
  defaultMaxConcurrentReconciles,
  defaultRecoverPanic,
  defaultSyncPeriodMs,
  defaultUsePriorityQueue,
  syncPeriodJitter,
} from './defaults.js';
import type { EventHandler, RequestSink } from './handlers.js';
import {
  noopControllerMetrics,
  type ControllerMetrics,
  type ReconcileResultLabel,
} from './metrics.js';
import { allow, type Predicate } from './predicates.js';
import {
  isTerminalError,
  requestFromKey,
  requestKey,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
} from './reconcile.js';

/** Gives the controller shared informers (the manager's informer factory). */
export interface InformerProvider {
  informerFor(ref: KindRef, scope?: InformerScope): Promise<Informer<KubernetesObject>>;
}

/** One watch: events of `kind` (in `scope`), filtered by `predicates`, mapped by `handler`. */
export interface WatchSource {
  kind: KindRef;
  scope?: InformerScope;
  handler: EventHandler<KubernetesObject>;
  predicates?: Predicate<KubernetesObject>[];
}

export interface ControllerOptions {
  name: string;
  reconciler: Reconciler;
  maxConcurrentReconciles?: number;
  cacheSyncTimeoutMs?: number;
  recoverPanic?: boolean;
  usePriorityQueue?: boolean;
  rateLimiter?: RateLimiter<string>;
  /** Abort each reconcile's signal after this long (counted as a timeout). Default: none. */
  reconcileTimeoutMs?: number;
  /**
   * Re-deliver every cached object of every watch this often (ms), as resync updates at low
   * priority. Default 10 h plus up to 10 % jitter; `0` turns resync off.
   */
  syncPeriodMs?: number;
  /** Random source in [0, 1) for the sync period's jitter. */
  random?: () => number;
  /** Whether the controller runs only on the leader. Default true. */
  needLeaderElection?: boolean;
  clock?: Clock;
  metrics?: ControllerMetrics;
  workqueueMetrics?: WorkqueueMetricsProvider;
}

type Queue = PriorityQueue<string> | RateLimitingQueue<string>;

export class Controller {
  readonly name: string;
  readonly queue: Queue;
  private readonly clock: Clock;
  private readonly metrics: ControllerMetrics;
  private readonly log: Logger;
  private readonly watches: WatchSource[] = [];
  private readonly registrations: Array<{ reg: HandlerRegistration; source: WatchSource }> = [];
  private readonly abort = new AbortController();
  private started = false;
  private stopping = false;

  constructor(
    private readonly options: ControllerOptions,
    private readonly informers: InformerProvider,
  ) {
    this.name = options.name;
    this.clock = options.clock ?? realClock;
    this.metrics = options.metrics ?? noopControllerMetrics;
    this.log = createLogger({ component: 'controller' }).child({ controller: this.name });
    const usePriority = options.usePriorityQueue ?? defaultUsePriorityQueue;
    const queueOptions = {
      name: this.name,
      controller: this.name,
      clock: this.clock,
      metricsProvider: options.workqueueMetrics,
    };
    this.queue = usePriority
      ? new PriorityQueue<string>({
          ...queueOptions,
          rateLimiter: options.rateLimiter ?? new ItemExponentialFailureRateLimiter<string>(),
        })
      : new RateLimitingQueue<string>({
          ...queueOptions,
          rateLimiter: options.rateLimiter ?? defaultControllerRateLimiter<string>(this.clock),
        });
  }

  get needLeaderElection(): boolean {
    return this.options.needLeaderElection ?? true;
  }

  /** Adds a watch; after start it is wired at once. */
  async watch(source: WatchSource): Promise<void> {
    this.watches.push(source);
    if (this.started) await this.register(source);
  }

  /** Enqueues a request from outside (an external trigger). */
  enqueue(request: Request, options: { afterMs?: number; priority?: number } = {}): void {
    const key = requestKey(request);
    if (this.queue instanceof PriorityQueue) {
      this.queue.addWithOpts({ after: options.afterMs, priority: options.priority }, key);
    } else if (options.afterMs) this.queue.addAfter(key, options.afterMs);
    else this.queue.add(key);
  }

  /**
   * Runs the controller until `signal` aborts; resolves after the running reconciles finished.
   * Rejects when the caches do not sync in time, or on a panic with `recoverPanic: false`.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) {
      throw new Error(
        'controller was started more than once. This is likely to be caused by being added to a manager multiple times',
      );
    }
    this.started = true;
    const workers = this.options.maxConcurrentReconciles ?? defaultMaxConcurrentReconciles;
    this.metrics.init(this.name, workers);
    const onAbort = (): void => this.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(this.watches.map((w) => this.register(w)));
      await this.waitForSync(signal);
      if (signal.aborted) return;
      this.log.info({ workers }, 'Starting workers');
      const running = Array.from({ length: workers }, () => this.worker());
      await Promise.all(running);
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.stop();
      for (const r of this.registrations) r.reg.remove();
    }
  }

  private stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.abort.abort(new Error('controller stopping'));
    this.queue.shutDown();
  }

  private async register(source: WatchSource): Promise<void> {
    const informer = await this.informers.informerFor(source.kind, source.scope);
    const predicates = source.predicates ?? [];
    const handler = source.handler;
    const sink: RequestSink = {
      add: (req, priority) => {
        const key = requestKey(req);
        if (this.queue instanceof PriorityQueue) this.queue.addWithOpts({ priority }, key);
        else this.queue.add(key);
      },
    };
    const registration = informer.addEventHandler(
      {
        onAdd: (object, isInInitialList) => {
          const e = { object, isInInitialList };
          if (allow(predicates, 'create', e)) handler.create?.(e, sink);
        },
        onUpdate: (objectOld, objectNew) => {
          const e = { objectOld, objectNew };
          if (allow(predicates, 'update', e)) handler.update?.(e, sink);
        },
        onDelete: (object, deleteStateUnknown) => {
          const e = { object, deleteStateUnknown };
          if (allow(predicates, 'delete', e)) handler.delete?.(e, sink);
        },
      },
      { resyncPeriodMs: this.resyncPeriodMs() },
    );
    this.registrations.push({ reg: registration, source });
  }

  private resyncPeriodMs(): number | undefined {
    const period = this.options.syncPeriodMs ?? defaultSyncPeriodMs;
    if (period <= 0) return undefined;
    const random = this.options.random ?? Math.random;
    return Math.round(period * (1 + random() * syncPeriodJitter));
  }

  private async waitForSync(signal: AbortSignal): Promise<void> {
    const timeout = this.options.cacheSyncTimeoutMs ?? defaultCacheSyncTimeoutMs;
    let timer: { cancel(): void } | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, timeout);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([Promise.all(this.registrations.map((r) => r.reg.synced())), deadline]);
    timer?.cancel();
    if (signal.aborted) return;
    const unsynced = this.registrations.find((r) => !r.reg.hasSynced());
    if (unsynced) {
      const kind = describeKind(unsynced.source.kind);
      throw new Error(
        `failed to wait for ${this.name} caches to sync kind source: ${kind}: timed out waiting for cache to be synced for Kind ${kind}`,
      );
    }
  }

  private async worker(): Promise<void> {
    for (;;) {
      const next = await this.queue.get();
      if (next.shutdown) return;
      if (this.stopping) {
        this.queue.done(next.item);
        continue;
      }
      this.metrics.activeWorkers(this.name, 1);
      try {
        await this.reconcileHandler(next.item);
      } finally {
        this.metrics.activeWorkers(this.name, -1);
        this.queue.done(next.item);
      }
    }
  }

  private async reconcileHandler(key: string): Promise<void> {
    const request = requestFromKey(key);
    const reconcileID = randomUUID();
    const log = this.log.child({ namespace: request.namespace, name: request.name, reconcileID });
    const abort = new AbortController();
    const onStop = (): void => abort.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener('abort', onStop, { once: true });
    let timedOut = false;
    const timeoutMs = this.options.reconcileTimeoutMs;
    const timer =
      timeoutMs !== undefined
        ? this.clock.setTimeout(() => {
            timedOut = true;
            abort.abort(new Error(`reconcile timed out after ${timeoutMs}ms`));
          }, timeoutMs)
        : undefined;
    const context: ReconcileContext = { request, reconcileID, signal: abort.signal, log };
    const started = this.clock.now();
    let label: ReconcileResultLabel;
    try {
      const result: Result | void = await this.options.reconciler.reconcile(request, context);
      label = this.onResult(key, result ?? {}, log);
    } catch (err) {
      label = 'error';
      this.onError(key, err, log);
    } finally {
      timer?.cancel();
      this.abort.signal.removeEventListener('abort', onStop);
    }
    if (timedOut) this.metrics.timeout(this.name);
    this.metrics.reconciled(this.name, label, (this.clock.now() - started) / 1000);
  }

  private onResult(key: string, result: Result, log: Logger): ReconcileResultLabel {
    if (result.requeueAfter !== undefined && result.requeueAfter > 0) {
      log.debug({ requeueAfterMs: result.requeueAfter }, 'Reconcile done, requeueing after');
      this.queue.forget(key);
      this.queue.addAfter(key, result.requeueAfter);
      return 'requeue_after';
    }
    if (result.requeue) {
      this.queue.addRateLimited(key);
      return 'requeue';
    }
    this.queue.forget(key);
    return 'success';
  }

  private onError(key: string, err: unknown, log: Logger): void {
    this.metrics.error(this.name);
    if (isPanic(err)) {
      this.metrics.panic(this.name);
      const recover = this.options.recoverPanic ?? defaultRecoverPanic;
      log.error({ err }, `Observed a panic in reconciler: ${describe(err)}`);
      if (!recover) {
        this.stop();
        throw err;
      }
    }
    if (isTerminalError(err)) {
      this.metrics.terminalError(this.name);
      log.error({ err: describe(err) }, 'Reconciler error (terminal, not retried)');
      return;
    }
    this.queue.addRateLimited(key);
    log.error({ err: describe(err) }, 'Reconciler error');
  }
}

/** Exceptions that are programming errors rather than failures of the outside world. */
function isPanic(err: unknown): boolean {
  return (
    !(err instanceof Error) ||
    err instanceof TypeError ||
    err instanceof ReferenceError ||
    err instanceof RangeError ||
    err instanceof SyntaxError
  );
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function describeKind(ref: KindRef | undefined): string {
  if (!ref) return 'unknown';
  if (typeof ref === 'function') return ref.name;
  return `${ref.kind}.${ref.group || 'core'}/${ref.version}`;
}
