/**
 * WATCH: a chunked HTTP 200 whose body is one JSON `WatchEvent` per line (`{"type":…,"object":…}`),
 * as every client splits it (client-node drops lines that do not parse). Events are serialised
 * once per change and shared by every watcher of the same representation.
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

/** Serialised plain-JSON watch lines, per cache event, event type and served version. */
const lineCache = new WeakMap<CacheEvent, Map<string, string>>();

class HttpWatchSink implements WatchSink {
  private started = false;
  private ended = false;
  private firstTable = true;
  onClose?: () => void;

  constructor(
    private readonly ctx: HandlerContext,
    private readonly res: ServerResponse,
    private readonly n: Negotiated,
  ) {}

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
    this.res.write(this.line(type, object, source));
    return this.res.writableLength <= watcherMaxBufferedBytes;
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
    this.res.end();
    this.onClose?.();
  }

  private line(type: WatchEventType, object: CachedObject, source?: CacheEvent): string {
    const view = this.ctx.store.view;
    if (!this.n.target) {
      if (!source) return `{"type":"${type}","object":${view.json(object)}}\n`;
      let perEvent = lineCache.get(source);
      if (!perEvent) lineCache.set(source, (perEvent = new Map()));
      const key = `${type}|${view.apiVersion}`;
      let line = perEvent.get(key);
      if (line === undefined) {
        line = `{"type":"${type}","object":${view.json(object)}}\n`;
        perEvent.set(key, line);
      }
      return line;
    }
    const obj: KubeObject = view.parse(object);
    let converted: unknown;
    if (this.n.target.kind === 'Table') {
      converted = toTable(this.ctx.store.type, [obj], {
        version: this.n.target.version,
        includeObject: parseIncludeObject(this.ctx.scope.query),
        noHeaders: !this.firstTable,
        listMeta: { resourceVersion: obj.metadata?.resourceVersion ?? '' },
        now: this.ctx.services.clock.now(),
      });
      this.firstTable = false;
    } else {
      converted = partialObjectMetadata(obj, this.n.target.version);
    }
    return `${JSON.stringify({ type, object: converted })}\n`;
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
