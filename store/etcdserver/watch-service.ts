/**
 * The Watch service: one bidirectional stream carries many watches (etcd `serverWatchStream`).
 *
 * Per stream: watch IDs are assigned from 0 up unless the client picks one (a taken ID is answered
 * created + canceled); the `created` answer precedes any event of that watch; `prev_kv`, the
 * NOPUT/NODELETE filters and `fragment` are honoured per watch; a compacted start revision is
 * answered with `compact_revision` and the watch is canceled. `progress_notify` watches get an
 * empty response every progress interval in which they had no event. A progress request is
 * answered with one response (watch ID -1) at the current revision once every watch of the stream
 * is synced (etcd ≥ 3.5.13 / 3.4.31 semantics). When the client reads too slowly, watches pause and
 * catch up from the history once the stream drains, so memory stays bounded.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Clock, Timer } from '../../common/index.js';
import { emptyWatcherRangeReason, watcherDuplicateIdReason } from '../mvcc/errors.js';
import { keyFromBytes, normalizeRangeEnd } from '../mvcc/keys.js';
import type { ChangeEvent } from '../mvcc/types.js';
import type { WatchResponse, Watcher } from '../mvcc/watchable.js';
import { encodeKv } from './codec.js';
import type { ServerContext } from './context.js';
import { header } from './context.js';

type Msg = Record<string, unknown>;

/** etcd `clientv3.InvalidWatchID`. */
const invalidWatchId = -1;
const filterNoPut = 0;
const filterNoDelete = 1;

export interface WatchServiceOptions {
  clock: Clock;
  progressNotifyIntervalMs: number;
  /** Responses larger than this are split when the watch asked for `fragment`. */
  fragmentBytes: number;
  /** Serialises a WatchResponse (or passes through bytes already serialised). */
  serialize: (msg: Msg) => Buffer;
}

interface StreamWatch {
  id: number;
  watcher: Watcher;
  prevKv: boolean;
  fragment: boolean;
  progressNotify: boolean;
  /** No event since the last progress tick. */
  idle: boolean;
}

/**
 * Events serialised during the current event-loop turn, shared by every watch that receives them
 * (one commit usually reaches many watchers); dropped at the next turn. Each entry is the event's
 * encoding as a `WatchResponse.events` field, so a response is its head's encoding followed by the
 * entries of its events (protobuf fields concatenate).
 */
const encodedCache = [new Map<ChangeEvent, Buffer>(), new Map<ChangeEvent, Buffer>()] as const;
let cacheClearScheduled = false;

function encoded(e: ChangeEvent, withPrev: boolean, encode: () => Buffer): Buffer {
  const cache = encodedCache[withPrev ? 1 : 0];
  let bytes = cache.get(e);
  if (!bytes) {
    bytes = encode();
    cache.set(e, bytes);
    if (!cacheClearScheduled) {
      cacheClearScheduled = true;
      setImmediate(() => {
        cacheClearScheduled = false;
        encodedCache[0].clear();
        encodedCache[1].clear();
      });
    }
  }
  return bytes;
}

export function watchService(
  ctx: ServerContext,
  options: WatchServiceOptions,
): grpc.UntypedServiceImplementation {
  return {
    Watch: (call: grpc.ServerDuplexStream<Msg, Msg>) => new WatchStream(ctx, options, call).start(),
  };
}

class WatchStream {
  private readonly watches = new Map<number, StreamWatch>();
  private readonly byWatcher = new Map<Watcher, StreamWatch>();
  private nextId = 0;
  private closed = false;
  private deferredProgress = false;
  private timer: Timer | undefined;

  constructor(
    private readonly ctx: ServerContext,
    private readonly options: WatchServiceOptions,
    private readonly call: grpc.ServerDuplexStream<Msg, Msg>,
  ) {}

  start(): void {
    this.call.on('data', (req: Msg) => {
      try {
        this.onRequest(req);
      } catch (err) {
        this.ctx.log.warn({ err }, 'bad watch request');
      }
    });
    this.call.on('end', () => this.close(true));
    this.call.on('cancelled', () => this.close(false));
    this.call.on('error', () => this.close(false));
    this.call.on('close', () => this.close(false));
    this.call.on('drain', () => {
      for (const w of this.watches.values()) this.ctx.engine.watchable.resume(w.watcher);
    });
    this.armProgress();
  }

  private onRequest(req: Msg): void {
    if (this.closed) return;
    switch (req.request_union) {
      case 'create_request':
        this.create(req.create_request as Msg);
        break;
      case 'cancel_request':
        this.cancel(Number((req.cancel_request as Msg).watch_id ?? 0));
        break;
      case 'progress_request':
        this.progressAll();
        break;
      default:
        // etcd ignores unknown request types rather than ending the stream.
        break;
    }
  }

  private create(c: Msg): void {
    const key = keyFromBytes(c.key as Uint8Array) || '\0';
    const end = normalizeRangeEnd(keyFromBytes(c.range_end as Uint8Array));
    const filters = Array.isArray(c.filters) ? (c.filters as number[]).map(Number) : [];
    const start = Number(c.start_revision ?? 0);
    let id = Number(c.watch_id ?? 0);
    let reason: string | undefined;
    if (end !== undefined && end !== '' && key >= end) reason = emptyWatcherRangeReason;
    else if (id !== 0 && this.watches.has(id)) reason = watcherDuplicateIdReason;
    if (reason) {
      this.send({
        header: header(this.ctx),
        watch_id: invalidWatchId,
        created: true,
        canceled: true,
        cancel_reason: reason,
      });
      return;
    }
    if (id === 0) {
      while (this.watches.has(this.nextId)) this.nextId++;
      id = this.nextId++;
    }
    const sw = {
      id,
      prevKv: !!c.prev_kv,
      fragment: !!c.fragment,
      progressNotify: !!c.progress_notify,
      idle: true,
    } as StreamWatch;
    // Answer `created` before the hub can deliver anything (it never delivers synchronously here).
    sw.watcher = this.ctx.engine.watchable.watch(
      {
        key,
        end,
        startRevision: start > 0 ? start : 0,
        noPut: filters.includes(filterNoPut),
        noDelete: filters.includes(filterNoDelete),
      },
      {
        send: (_w, resp) => this.deliver(sw, resp),
        synced: () => this.maybeSendDeferredProgress(),
        closed: () => this.close(true),
      },
    );
    this.watches.set(id, sw);
    this.byWatcher.set(sw.watcher, sw);
    this.send({ header: header(this.ctx), watch_id: id, created: true });
  }

  private cancel(id: number): void {
    const sw = this.watches.get(id);
    if (!sw) return;
    this.ctx.engine.watchable.cancel(sw.watcher);
    this.watches.delete(id);
    this.byWatcher.delete(sw.watcher);
    this.send({ header: header(this.ctx), watch_id: id, canceled: true });
  }

  private progressAll(): void {
    if (this.deferredProgress) return;
    if (!this.allSynced()) {
      this.deferredProgress = true;
      return;
    }
    // etcd sends nothing when the stream has no watch at all.
    if (this.watches.size > 0) this.sendProgressAll();
  }

  private allSynced(): boolean {
    for (const sw of this.watches.values()) {
      if (!this.ctx.engine.watchable.isSynced(sw.watcher)) return false;
    }
    return true;
  }

  private maybeSendDeferredProgress(): void {
    if (this.deferredProgress && this.allSynced()) {
      this.deferredProgress = false;
      this.sendProgressAll();
    }
  }

  private sendProgressAll(): void {
    this.send({ header: header(this.ctx), watch_id: invalidWatchId });
  }

  /** Hub → client. Returns false when the stream's buffer is full. */
  private deliver(sw: StreamWatch, resp: WatchResponse): boolean {
    if (this.closed) return true;
    switch (resp.kind) {
      case 'compacted':
        this.watches.delete(sw.id);
        this.byWatcher.delete(sw.watcher);
        return this.send({
          header: header(this.ctx, resp.revision),
          watch_id: sw.id,
          compact_revision: resp.compactRevision,
          canceled: true,
        });
      case 'progress':
        return this.send({ header: header(this.ctx, resp.revision), watch_id: sw.id });
      case 'events': {
        sw.idle = false;
        const head: Msg = { header: header(this.ctx, resp.revision), watch_id: sw.id };
        const events = resp.events.map((e) => this.encodeEvent(e, sw.prevKv));
        return sw.fragment ? this.sendFragments(head, events) : this.sendEncoded(head, events);
      }
    }
  }

  /** The event's bytes as a `WatchResponse.events` entry (shared across watchers this turn). */
  private encodeEvent(e: ChangeEvent, prevKv: boolean): Buffer {
    const isPut = e.kv.version > 0;
    // etcd looks up no previous value for a create (create_revision == mod_revision).
    const isCreate = isPut && e.kv.createRevision === e.kv.modRevision;
    const withPrev = prevKv && !!e.prev && !isCreate;
    return encoded(e, withPrev, () => {
      const out: Msg = { type: isPut ? 0 : 1, kv: encodeKv(e.kv) };
      if (withPrev) out.prev_kv = encodeKv(e.prev!);
      return this.options.serialize({ events: [out] });
    });
  }

  /** etcd `sendFragments`: splits a response at or above the limit, at event boundaries. */
  private sendFragments(head: Msg, events: Buffer[]): boolean {
    const limit = this.options.fragmentBytes;
    const base = this.options.serialize(head).length;
    const total = events.reduce((n, e) => n + e.length, base);
    if (events.length < 2 || total < limit) return this.sendEncoded(head, events);
    // The `fragment: true` flag adds 2 bytes to a response.
    const flagged = base + 2;
    let ok = true;
    let i = 0;
    while (i < events.length) {
      const part = [events[i]!];
      let size = flagged + events[i]!.length;
      i++;
      while (i < events.length && size + events[i]!.length < limit) {
        size += events[i]!.length;
        part.push(events[i]!);
        i++;
      }
      const more = i < events.length;
      ok = this.sendEncoded(more ? { ...head, fragment: true } : head, part) && ok;
    }
    return ok;
  }

  /** Sends `head` followed by already-encoded event entries. */
  private sendEncoded(head: Msg, events: Buffer[]): boolean {
    return this.send(Buffer.concat([this.options.serialize(head), ...events]));
  }

  /** Sends a message object, or bytes already encoded as a WatchResponse. */
  private send(msg: Msg | Buffer): boolean {
    if (this.closed || !this.call.writable) return true;
    return this.call.write(msg as Msg);
  }

  private armProgress(): void {
    this.timer = this.options.clock.setTimeout(() => {
      if (this.closed) return;
      for (const sw of this.watches.values()) {
        if (!sw.progressNotify) continue;
        if (sw.idle) this.ctx.engine.watchable.requestProgress(sw.watcher, false);
        sw.idle = true;
      }
      this.armProgress();
    }, this.options.progressNotifyIntervalMs);
  }

  private close(endCall: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.timer?.cancel();
    for (const sw of this.watches.values()) this.ctx.engine.watchable.cancel(sw.watcher);
    this.watches.clear();
    this.byWatcher.clear();
    if (endCall && this.call.writable) this.call.end();
  }
}
