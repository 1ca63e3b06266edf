/**
 * WATCH: a chunked HTTP 200 whose body is one JSON `WatchEvent` per line (`{"type":…,"object":…}`),
 * as every client splits it (client-node drops lines that do not parse). Each change is
 * serialised and encoded to bytes once per representation (plain, Table, metadata; served
 * version) and the same bytes go to every watcher that takes it; the lines of one batch of
 * changes reach a watcher's socket in one write (the cache flushes the sink after the batch).
 *
 * The watch ends when `timeoutSeconds` (default: a random duration in [min-request-timeout,
 * 2×min-request-timeout), as upstream) elapses, when the client goes away, when the cache closes
 * the watcher (too slow, cache relisting), or right after an ERROR event (410 too old).
 */
import type { ServerResponse } from 'node:http';
import { toStatus, type StatusError } from '../../common/index.js';
import { startWatch } from '../registry/generic/watch.js';
import type { KubeObject } from '../registry/types.js';
import { watcherMaxBufferedBytes } from '../defaults.js';
import { negotiate, type Negotiated } from '../server/negotiation.js';
import { parseListQuery } from '../server/params.js';
import { parseIncludeObject, partialObjectMetadata, toTable } from '../server/table.js';
import { groupVersionString } from '../server/typeregistry.js';
import type { CacheEvent, CachedObject, WatchEventType } from '../watchcache/types.js';
import type { WatchSink } from '../watchcache/watcher.js';
import { objectTargets, type HandlerContext } from './context.js';

/** Encoded watch lines per cache event, by event type and representation (see `lineKey`). */
const lineCache = new WeakMap<CacheEvent, Map<string, Buffer>>();

class HttpWatchSink implements WatchSink {
  private started = false;
  private ended = false;
  private corked = false;
  private firstTable = true;
  private readonly includeObject: ReturnType<typeof parseIncludeObject>;
  onClose?: () => void;

  constructor(
    private readonly ctx: HandlerContext,
    private readonly res: ServerResponse,
    private readonly n: Negotiated,
  ) {
    this.includeObject = n.target?.kind === 'Table' ? parseIncludeObject(ctx.scope.query) : 'None';
  }

  start(): void {
    if (this.started || this.ended) return;
    this.started = true;
    this.res.writeHead(200, {
      'Content-Type': this.n.contentType,
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    this.res.flushHeaders();
  }

  event(type: WatchEventType, object: CachedObject, source?: CacheEvent): boolean {
    if (this.ended) return false;
    this.start();
    if (source && !this.corked) {
      // Changes of one batch leave in one write; the initial state streams out as it goes.
      this.corked = true;
      this.res.cork();
    }
    this.res.write(this.line(type, object, source));
    return this.res.writableLength <= watcherMaxBufferedBytes;
  }

  flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.res.uncork();
  }

  bookmark(rv: number, initialEventsEnd: boolean): void {
    if (this.ended) return;
    this.start();
    const { type } = this.ctx.store;
    const metadata: Record<string, unknown> = {
      resourceVersion: String(rv),
      creationTimestamp: null,
    };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    const object = {
      kind: type.kind,
      apiVersion: groupVersionString(type.group, type.version),
      metadata,
    };
    this.res.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
  }

  error(err: StatusError): void {
    if (this.ended) return;
    this.start();
    this.res.write(`${JSON.stringify({ type: 'ERROR', object: toStatus(err) })}\n`);
    this.close();
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.start();
    this.corked = false;
    this.res.end();
    this.onClose?.();
  }

  /** The encoded line, shared through `lineCache` when it comes from a cache event. */
  private line(type: WatchEventType, object: CachedObject, source?: CacheEvent): Buffer {
    const now = this.ctx.services.clock.now();
    const noHeaders = !this.firstTable;
    if (this.n.target?.kind === 'Table') this.firstTable = false;
    if (!source) return this.encode(type, object, now, noHeaders);
    let perEvent = lineCache.get(source);
    if (!perEvent) lineCache.set(source, (perEvent = new Map()));
    const key = this.lineKey(type, now, noHeaders);
    let line = perEvent.get(key);
    if (line === undefined) {
      line = this.encode(type, object, now, noHeaders);
      perEvent.set(key, line);
    }
    return line;
  }

  /**
   * What the line depends on besides the event: the type, the served version and, for Tables,
   * the columns header, the embedded object and the second `now` falls in (the age column).
   */
  private lineKey(type: WatchEventType, now: number, noHeaders: boolean): string {
    const base = `${type}|${this.ctx.store.view.apiVersion}`;
    const target = this.n.target;
    if (!target) return base;
    if (target.kind !== 'Table') return `${base}|${target.kind}|${target.version}`;
    const second = Math.floor(now / 1000);
    return `${base}|Table|${target.version}|${this.includeObject}|${noHeaders}|${second}`;
  }

  private encode(type: WatchEventType, object: CachedObject, now: number, noHeaders: boolean) {
    const view = this.ctx.store.view;
    if (!this.n.target) return Buffer.from(`{"type":"${type}","object":${view.json(object)}}\n`);
    const obj: KubeObject = view.parse(object);
    let converted: unknown;
    if (this.n.target.kind === 'Table') {
      converted = toTable(this.ctx.store.type, [obj], {
        version: this.n.target.version,
        includeObject: this.includeObject,
        noHeaders,
        listMeta: { resourceVersion: obj.metadata?.resourceVersion ?? '' },
        now,
      });
    } else {
      converted = partialObjectMetadata(obj, this.n.target.version);
    }
    return Buffer.from(`${JSON.stringify({ type, object: converted })}\n`);
  }
}

export async function handleWatch(ctx: HandlerContext): Promise<void> {
  const { scope, store, services } = ctx;
  const n = negotiate(scope.req.headers.accept, objectTargets);
  if (n.encoding === 'yaml') n.encoding = 'json';
  if (!n.target) n.contentType = 'application/json';
  const q = parseListQuery(scope.query, store.view.supportedFields(), true);
  // A watch on a named object (GET …/pods/web?watch=true) watches that name.
  const fieldSelector = scope.info.name
    ? parseListQuery(
        new URLSearchParams({
          fieldSelector: [
            `metadata.name=${scope.info.name}`,
            scope.query.get('fieldSelector') ?? '',
          ]
            .filter(Boolean)
            .join(','),
        }),
        store.view.supportedFields(),
        true,
      ).fieldSelector
    : q.fieldSelector;
  const min = services.minRequestTimeoutSeconds;
  const timeoutSeconds =
    q.timeoutSeconds !== undefined && q.timeoutSeconds > 0
      ? q.timeoutSeconds
      : min + Math.floor(Math.random() * min);
  const deadline = services.clock.now() + timeoutSeconds * 1000;
  const sink = new HttpWatchSink(ctx, scope.res, n);
  const start = await startWatch(
    store,
    {
      namespace: scope.info.namespace,
      labelSelector: q.labelSelector,
      fieldSelector,
      resourceVersion: q.resourceVersion,
      allowWatchBookmarks: q.allowWatchBookmarks,
      sendInitialEvents: q.sendInitialEvents,
      deadline,
    },
    sink,
  );
  if (start.kind === 'error') {
    sink.error(start.status);
    return;
  }
  const { watcher } = start;
  sink.start();
  const timer = services.clock.setTimeout(() => watcher.close(), timeoutSeconds * 1000);
  const cleanup = () => {
    timer.cancel();
    store.cacher.unwatch(watcher);
  };
  sink.onClose = cleanup;
  scope.res.on('close', () => {
    watcher.close();
    cleanup();
  });
  if (watcher.isClosed) cleanup();
}
