/**
 * The watcher: list then watch one kind forever, as an RxJS stream of explicit events (kube-rs
 * `watcher`, with client-go reflector's behaviour and defaults).
 *
 * Events:
 * - `init` — a (re)list starts; `initApply` — one object of that list; `initDone` — the list is
 *   complete. A consumer swaps its state atomically at `initDone`; objects it had that were not in
 *   the list have vanished. A list that fails half-way is simply followed by a new `init`.
 * - `apply` / `delete` — a change seen by the watch; `bookmark` — progress without change.
 *
 * Guarantees:
 * - Events for one object arrive in the order the server produced them; no order across objects.
 * - The stream never errors and never completes on its own: network errors, 5xx, 429 (honouring
 *   Retry-After), dropped or hung streams and undecodable lines are retried with backoff (800 ms →
 *   30 s, ×2, jittered, reset after 2 min of quiet), reported to `onError`, and never lost: the
 *   watch resumes from the last resourceVersion seen. It ends only when unsubscribed.
 * - 410 Expired/Gone (on opening a watch or as an ERROR event) relists at the last
 *   resourceVersion; if that list is also expired, it lists at `""` (a consistent read).
 * - The first list is at resourceVersion `"0"` (the server's cache may answer); lists are paged by
 *   500 and continue tokens are followed. Watches ask for bookmarks and a `timeoutSeconds` drawn
 *   from [300, 600) s; one that sends nothing for that long plus 5 s is re-opened.
 * - Streaming lists (`initialListStrategy: 'streaming'`, `sendInitialEvents=true`) end at the
 *   `k8s.io/initial-events-end` bookmark. A server that rejects them, sends another bookmark
 *   first (it ignored the parameter), or closes the stream before that bookmark, makes this
 *   watcher fall back to paged lists for good.
 * - `transform` runs on every object (list items and watch objects) before it is emitted. List
 *   items get the kind's `apiVersion`/`kind` when they lack them.
 */
import { Observable, type Subscriber } from 'rxjs';
import {
  createLogger,
  isResourceExpired,
  isServerError,
  isTooManyRequests,
  realClock,
  statusErrorFromResponse,
  StatusError,
  type Clock,
} from '../../common/index.js';
import {
  apiVersionOf,
  type Kind,
  type KubernetesObject,
  type RestClient,
} from '../client/index.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { RawWatchEvent } from './decoder.js';
import {
  defaultListPageSize,
  defaultMinWatchTimeoutSeconds,
  defaultShortWatchMs,
  defaultWatchIdleMarginMs,
  initialEventsEndAnnotation,
} from './defaults.js';
import { ListWatch, type ListWatchTarget } from './listwatch.js';
import { consumeWatch } from './stream.js';

export type WatcherEvent<T> =
  | { type: 'init' }
  | { type: 'initApply'; object: T }
  | { type: 'initDone'; resourceVersion: string }
  | { type: 'apply'; object: T }
  | { type: 'delete'; object: T }
  | { type: 'bookmark'; resourceVersion: string };

/** Where a failure happened, and how long the watcher waits before retrying. */
export interface WatchErrorInfo {
  phase: 'list' | 'watch' | 'streaming-list';
  retryInMs: number;
}

export interface WatcherConfig<T> extends Omit<ListWatchTarget, 'kind'> {
  /** Default 500. */
  pageSize?: number;
  /** Default `list`. */
  initialListStrategy?: 'list' | 'streaming';
  /** Ask for bookmarks. Default true. */
  bookmarks?: boolean;
  transform?: (obj: KubernetesObject) => T;
  clock?: Clock;
  /** Random source in [0, 1) for timeouts and jitter. */
  random?: () => number;
  backoff?: Omit<BackoffOptions, 'clock' | 'random'>;
  /** Default 300 s. */
  minWatchTimeoutSeconds?: number;
  /** Default 5 s. */
  idleMarginMs?: number;
  /** The watch error handler: every failure is reported here before the retry. */
  onError?: (err: unknown, info: WatchErrorInfo) => void;
}

const log = createLogger({ component: 'watch' });

/** Lists and watches `kind`; see the module comment for the contract. */
export function watcher<T = KubernetesObject>(
  rest: RestClient,
  kind: Kind,
  config: WatcherConfig<T> = {},
): Observable<WatcherEvent<T>> {
  return new Observable<WatcherEvent<T>>((subscriber) => {
    const abort = new AbortController();
    const loop = new WatchLoop<T>(rest, kind, config, subscriber, abort.signal);
    loop.run().catch((err) => {
      if (!abort.signal.aborted) log.error({ err }, 'watch loop stopped unexpectedly');
    });
    return () => abort.abort(new Error('watch stopped'));
  });
}

class WatchLoop<T> {
  private readonly lw: ListWatch;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: Backoff;
  private readonly transform: (obj: KubernetesObject) => T;
  private readonly apiVersion: string;
  private rv: string | undefined;
  private rvUnavailable = false;
  private streaming: boolean;

  constructor(
    rest: RestClient,
    private readonly kind: Kind,
    private readonly config: WatcherConfig<T>,
    private readonly out: Subscriber<WatcherEvent<T>>,
    private readonly signal: AbortSignal,
  ) {
    this.lw = new ListWatch(rest, { ...config, kind });
    this.clock = config.clock ?? realClock;
    this.random = config.random ?? Math.random;
    this.backoff = new Backoff({ ...config.backoff, clock: this.clock, random: this.random });
    this.transform = config.transform ?? ((o) => o as T);
    this.apiVersion = apiVersionOf(kind);
    this.streaming = config.initialListStrategy === 'streaming';
  }

  async run(): Promise<void> {
    while (!this.signal.aborted) {
      const listed = this.streaming ? await this.streamingList() : await this.list();
      if (this.signal.aborted) return;
      if (listed) await this.watchUntilRelist();
    }
  }

  /** A paged list; emits init/initApply/initDone. False when it failed (after the wait). */
  private async list(): Promise<boolean> {
    this.emit({ type: 'init' });
    const rv = this.rvUnavailable ? '' : (this.rv ?? '0');
    try {
      let page = await this.lw.listPage({
        resourceVersion: rv,
        resourceVersionMatch: rv && rv !== '0' ? 'NotOlderThan' : undefined,
        limit: this.config.pageSize ?? defaultListPageSize,
        signal: this.signal,
      });
      for (;;) {
        for (const item of page.items) this.emit({ type: 'initApply', object: this.decode(item) });
        const token = page.metadata?.continue;
        if (!token) break;
        page = await this.lw.listPage({
          continue: token,
          limit: this.config.pageSize ?? defaultListPageSize,
          signal: this.signal,
        });
      }
      this.rv = page.metadata?.resourceVersion ?? this.rv ?? '';
      this.rvUnavailable = false;
      this.emit({ type: 'initDone', resourceVersion: this.rv });
      return true;
    } catch (err) {
      if (this.signal.aborted) return false;
      if (isResourceExpired(err) && !this.rvUnavailable) {
        this.rvUnavailable = true;
        this.report(err, 'list', 0);
        return false;
      }
      await this.wait(err, 'list');
      return false;
    }
  }

  /** A streaming list on one watch that then goes on as a normal watch. */
  private async streamingList(): Promise<boolean> {
    let body;
    const timeoutSeconds = this.watchTimeoutSeconds();
    try {
      body = await this.lw.openWatch({
        resourceVersion: this.rvUnavailable || !this.rv ? '' : this.rv,
        timeoutSeconds,
        bookmarks: true,
        sendInitialEvents: true,
        signal: this.signal,
      });
    } catch (err) {
      if (this.signal.aborted) return false;
      this.streaming = false;
      this.report(err, 'streaming-list', 0);
      log.info({ kind: this.kind.kind, err: String(err) }, 'streaming list refused; using list');
      return false;
    }
    let synced = false;
    this.emit({ type: 'init' });
    try {
      await consumeWatch(body, {
        clock: this.clock,
        idleMs: this.idleMs(timeoutSeconds),
        onEvent: (e) => {
          if (synced) return this.handle(e);
          if (e.type === 'BOOKMARK') {
            const meta = (e.object as KubernetesObject).metadata;
            if (meta?.annotations?.[initialEventsEndAnnotation] !== 'true') {
              // A server that knows streaming lists sends this bookmark first: this one ignored
              // sendInitialEvents (kube-apiserver ≤ 1.26).
              throw new StreamingUnsupported();
            }
            this.rv = meta.resourceVersion ?? this.rv;
            synced = true;
            this.rvUnavailable = false;
            this.emit({ type: 'initDone', resourceVersion: this.rv ?? '' });
          } else if (e.type === 'ADDED' || e.type === 'MODIFIED') {
            this.emit({ type: 'initApply', object: this.decode(e.object) });
          } else if (e.type === 'ERROR') {
            throw errorEvent(e);
          }
        },
      });
      if (!synced) {
        this.streaming = false;
        this.report(
          new Error('streaming list ended before its initial-events-end bookmark'),
          'streaming-list',
          0,
        );
        return false;
      }
      return true;
    } catch (err) {
      if (this.signal.aborted) return false;
      if (err instanceof StreamingUnsupported) {
        this.streaming = false;
        this.report(err, 'streaming-list', 0);
        return false;
      }
      if (!synced) {
        if (isResourceExpired(err)) this.rvUnavailable = true;
        await this.wait(err, 'streaming-list');
        return false;
      }
      if (isResourceExpired(err)) {
        this.report(err, 'watch', 0);
        return false;
      }
      await this.wait(err, 'watch');
      return true;
    }
  }

  /** Watches from `this.rv` until a relist is needed (410 or a non-retriable error). */
  private async watchUntilRelist(): Promise<void> {
    while (!this.signal.aborted) {
      let body;
      const timeoutSeconds = this.watchTimeoutSeconds();
      try {
        body = await this.lw.openWatch({
          resourceVersion: this.rv,
          timeoutSeconds,
          bookmarks: this.config.bookmarks ?? true,
          signal: this.signal,
        });
      } catch (err) {
        if (this.signal.aborted) return;
        if (isResourceExpired(err)) return this.report(err, 'watch', 0);
        await this.wait(err, 'watch');
        if (isRetriable(err)) continue;
        return;
      }
      const started = this.clock.now();
      try {
        const events = await consumeWatch(body, {
          clock: this.clock,
          idleMs: this.idleMs(timeoutSeconds),
          onEvent: (e) => this.handle(e),
        });
        if (events === 0 && this.clock.now() - started < defaultShortWatchMs) {
          await this.wait(new Error('very short watch: closed with no events'), 'watch');
        }
      } catch (err) {
        if (this.signal.aborted) return;
        if (isResourceExpired(err)) return this.report(err, 'watch', 0);
        await this.wait(err, 'watch');
        if (err instanceof StatusError) return;
      }
    }
  }

  private handle(e: RawWatchEvent): void {
    switch (e.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const object = this.decode(e.object);
        this.rv = (e.object as KubernetesObject).metadata?.resourceVersion ?? this.rv;
        this.emit({ type: 'apply', object });
        return;
      }
      case 'DELETED': {
        const object = this.decode(e.object);
        this.rv = (e.object as KubernetesObject).metadata?.resourceVersion ?? this.rv;
        this.emit({ type: 'delete', object });
        return;
      }
      case 'BOOKMARK': {
        const rv = (e.object as KubernetesObject).metadata?.resourceVersion;
        if (rv) {
          this.rv = rv;
          this.emit({ type: 'bookmark', resourceVersion: rv });
        }
        return;
      }
      case 'ERROR':
        throw errorEvent(e);
      default:
        log.warn({ type: e.type }, 'ignoring watch event of unknown type');
    }
  }

  private decode(raw: unknown): T {
    const obj = raw as KubernetesObject;
    if (obj.apiVersion !== this.apiVersion || obj.kind !== this.kind.kind) {
      obj.apiVersion = this.apiVersion;
      obj.kind = this.kind.kind;
    }
    return this.transform(obj);
  }

  private emit(event: WatcherEvent<T>): void {
    if (!this.signal.aborted) this.out.next(event);
  }

  /** Reports `err` and waits the backoff (at least the server's Retry-After). */
  private async wait(err: unknown, phase: WatchErrorInfo['phase']): Promise<void> {
    let delay = this.backoff.next();
    const retryAfter =
      err instanceof StatusError ? err.status.details?.retryAfterSeconds : undefined;
    if (retryAfter !== undefined) delay = Math.max(delay, retryAfter * 1000);
    this.report(err, phase, delay);
    try {
      await this.clock.sleep(delay, this.signal);
    } catch {
      // aborted: the loop sees the signal
    }
  }

  private report(err: unknown, phase: WatchErrorInfo['phase'], retryInMs: number): void {
    log.debug({ kind: this.kind.kind, phase, retryInMs, err: String(err) }, 'list/watch failure');
    try {
      this.config.onError?.(err, { phase, retryInMs });
    } catch (handlerErr) {
      log.error({ err: handlerErr }, 'watch error handler threw');
    }
  }

  private watchTimeoutSeconds(): number {
    const min = this.config.minWatchTimeoutSeconds ?? defaultMinWatchTimeoutSeconds;
    return Math.floor(min * (1 + this.random()));
  }

  private idleMs(timeoutSeconds: number): number {
    return timeoutSeconds * 1000 + (this.config.idleMarginMs ?? defaultWatchIdleMarginMs);
  }
}

class StreamingUnsupported extends Error {
  constructor() {
    super(
      'the server sent a bookmark before the initial-events-end bookmark: streaming lists unsupported',
    );
    this.name = 'StreamingUnsupported';
  }
}

/** Watch-open failures worth retrying without a relist: network, 429, 5xx. */
function isRetriable(err: unknown): boolean {
  return !(err instanceof StatusError) || isTooManyRequests(err) || isServerError(err);
}

function errorEvent(e: RawWatchEvent): StatusError {
  const status = e.object as { code?: number };
  return statusErrorFromResponse(status?.code ?? 500, e.object);
}
