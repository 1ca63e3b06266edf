/**
 * The {@link Storage} interface over the in-process {@link Engine}: no network hop, no protobuf.
 * Keys are UTF-8 strings converted to the engine's byte strings; values are copied on the way in
 * (so a caller reusing its buffer cannot change stored data) and shared on the way out (callers
 * must not mutate them).
 *
 * Watch callbacks run asynchronously (in a microtask after the change is durable), never inside a
 * Storage call, and never after `cancel()` returned. With `progressNotify`, an idle watch gets a
 * progress batch every `progressNotifyIntervalMs` of the injected clock.
 */
import type { Clock, Timer } from '../../common/index.js';
import { realClock } from '../../common/index.js';
import { errLeaseNotFound } from '../mvcc/errors.js';
import { keyFromText, keyToText, prefixEnd } from '../mvcc/keys.js';
import type { KeyValueRecord, RequestOp, TxnRequest } from '../mvcc/types.js';
import { CompareResult, CompareTarget, noLease } from '../mvcc/types.js';
import type { WatchResponse, Watcher } from '../mvcc/watchable.js';
import type {
  DeleteResult,
  GetResult,
  KeyValue,
  ListOptions,
  ListResult,
  ReadOptions,
  Storage,
  StorageStatus,
  Watch,
  WatchBatch,
  WatchEvent,
  WatchListener,
  WatchOptions,
  WriteOptions,
  WriteResult,
} from '../storage.js';
import { CompactedError, StorageError } from '../storage.js';
import { ConditionalWrites, failed } from '../conditional-writes.js';
import type { Engine } from './engine.js';

export interface EmbeddedStorageOptions {
  clock?: Clock;
  /** Interval of progress notifications for watches with `progressNotify`. */
  progressNotifyIntervalMs: number;
}

/** Engine record → Storage KeyValue. */
export function toKeyValue(kv: KeyValueRecord): KeyValue {
  return {
    key: keyToText(kv.key),
    value: kv.value,
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
    lease: Number(kv.lease),
  };
}

const copy = (value: Uint8Array): Uint8Array => Uint8Array.prototype.slice.call(value);

export class EmbeddedStorage extends ConditionalWrites implements Storage {
  private readonly clock: Clock;
  private readonly progressMs: number;

  constructor(
    private readonly engine: Engine,
    options: EmbeddedStorageOptions,
  ) {
    super();
    this.clock = options.clock ?? realClock;
    this.progressMs = options.progressNotifyIntervalMs;
  }

  async currentRevision(): Promise<number> {
    return this.engine.revision;
  }

  async get(key: string, options: ReadOptions = {}): Promise<GetResult> {
    const r = this.engine.range({ key: keyFromText(key), revision: options.revision });
    const kv = r.kvs[0];
    return kv ? { kv: toKeyValue(kv), revision: r.revision } : { revision: r.revision };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const bytePrefix = keyFromText(prefix);
    const start = options.startKey !== undefined ? keyFromText(options.startKey) : bytePrefix;
    const r = this.engine.range({
      key: start || '\0',
      rangeEnd: prefixEnd(bytePrefix),
      revision: options.revision,
      limit: options.limit,
      countOnly: options.countOnly,
      keysOnly: options.keysOnly,
    });
    return { kvs: r.kvs.map(toKeyValue), more: r.more, count: r.count, revision: r.revision };
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    const k = keyFromText(key);
    const del: RequestOp = { deleteRange: { key: k, prevKv: true } };
    const t: TxnRequest =
      expectedModRevision === undefined
        ? { compare: [], success: [del], failure: [] }
        : {
            compare: [modEquals(k, expectedModRevision)],
            success: [del],
            failure: [{ range: { key: k } }],
          };
    const resp = await this.engine.txn(t);
    const first = resp.responses[0];
    if (resp.succeeded && first && 'deleteRange' in first && first.deleteRange.prevKvs[0]) {
      return {
        succeeded: true,
        revision: resp.revision,
        prevKv: toKeyValue(first.deleteRange.prevKvs[0]),
      };
    }
    const current = first && 'range' in first ? first.range.kvs[0] : undefined;
    return failed(resp.revision, current && toKeyValue(current));
  }

  watch(options: WatchOptions, listener: WatchListener): Watch {
    return new EmbeddedWatch(this.engine, options, listener, this.clock, this.progressMs);
  }

  async compact(revision: number): Promise<void> {
    await this.engine.compact(revision);
  }

  async grantLease(ttlSeconds: number): Promise<number> {
    const { id } = await this.engine.leaseGrant(noLease, ttlSeconds);
    return Number(id);
  }

  async revokeLease(id: number): Promise<void> {
    try {
      await this.engine.leaseRevoke(BigInt(id));
    } catch (err) {
      if (err instanceof StorageError && err.message === errLeaseNotFound().message) return;
      throw err;
    }
  }

  async status(): Promise<StorageStatus> {
    const s = this.engine.status();
    return {
      version: s.version,
      dbSize: s.dbSize,
      revision: s.revision,
      compactRevision: s.compactRevision,
    };
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  protected async conditionalPut(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    options: WriteOptions,
  ): Promise<WriteResult> {
    const k = keyFromText(key);
    const resp = await this.engine.txn({
      compare: [modEquals(k, expectedModRevision)],
      success: [
        { put: { key: k, value: copy(value), lease: BigInt(options.lease ?? 0) } },
        // Reads inside a txn see its own writes: this returns the new version.
        { range: { key: k } },
      ],
      failure: [{ range: { key: k } }],
    });
    if (resp.succeeded) {
      const written = resp.responses[1];
      const kv = written && 'range' in written ? written.range.kvs[0] : undefined;
      return { succeeded: true, revision: resp.revision, kv: toKeyValue(kv!) };
    }
    const first = resp.responses[0];
    const current = first && 'range' in first ? first.range.kvs[0] : undefined;
    return failed(resp.revision, current && toKeyValue(current));
  }
}

function modEquals(key: string, modRevision: number) {
  return { key, target: CompareTarget.Mod, result: CompareResult.Equal, modRevision };
}

class EmbeddedWatch implements Watch {
  private readonly watcher: Watcher;
  /** Set by cancel(): no callback runs afterwards. */
  private cancelled = false;
  /** Set when the watch ended on its own (error delivered or queued). */
  private ended = false;
  private progressTimer: Timer | undefined;
  private sentSinceTick = false;

  constructor(
    private readonly engine: Engine,
    private readonly options: WatchOptions,
    private readonly listener: WatchListener,
    private readonly clock: Clock,
    private readonly progressMs: number,
  ) {
    const key = keyFromText(options.key);
    this.watcher = engine.watchable.watch(
      {
        key: options.prefix && key === '' ? '\0' : key,
        end: options.prefix ? (prefixEnd(key) === '\0' ? '' : prefixEnd(key)) : undefined,
        startRevision: options.startRevision ?? 0,
      },
      {
        send: (_w, resp) => {
          this.dispatch(resp);
          return true;
        },
        closed: (_w, err) => this.end(err),
      },
    );
    if (options.progressNotify) this.armProgress();
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.progressTimer?.cancel();
    this.engine.watchable.cancel(this.watcher);
  }

  requestProgress(): void {
    if (!this.cancelled && !this.ended) this.engine.watchable.requestProgress(this.watcher, true);
  }

  private dispatch(resp: WatchResponse): void {
    if (resp.kind === 'compacted') {
      this.end(new CompactedError(resp.compactRevision));
      return;
    }
    let batch: WatchBatch;
    if (resp.kind === 'progress') {
      batch = { events: [], revision: resp.revision, progress: true };
    } else {
      this.sentSinceTick = true;
      batch = { events: resp.events.map((e) => this.toEvent(e)), revision: resp.revision };
    }
    queueMicrotask(() => {
      if (!this.cancelled) this.listener.onBatch(batch);
    });
  }

  private toEvent(e: { kv: KeyValueRecord; prev?: KeyValueRecord }): WatchEvent {
    const event: WatchEvent = { type: e.kv.version > 0 ? 'put' : 'delete', kv: toKeyValue(e.kv) };
    if (this.options.prevKv && e.prev) event.prevKv = toKeyValue(e.prev);
    return event;
  }

  private end(err: Error): void {
    if (this.cancelled || this.ended) return;
    this.ended = true;
    this.progressTimer?.cancel();
    this.engine.watchable.cancel(this.watcher);
    queueMicrotask(() => {
      if (!this.cancelled) this.listener.onError(err);
    });
  }

  private armProgress(): void {
    this.progressTimer = this.clock.setTimeout(() => {
      if (this.cancelled || this.ended) return;
      // etcd elides a periodic notification when events were sent during the interval.
      if (!this.sentSinceTick) this.engine.watchable.requestProgress(this.watcher, false);
      this.sentSinceTick = false;
      this.armProgress();
    }, this.progressMs);
  }
}
