/**
 * Watches over one etcd v3 Watch stream (the raw bidirectional RPC of the etcd3 client), so each
 * etcd WatchResponse becomes one {@link WatchBatch} (a revision is never split) and progress
 * requests are available, which the etcd3 Watcher does not offer.
 *
 * Watch IDs are chosen by the client (etcd ≥ 3.4), so responses are routed without relying on the
 * order of `created` answers. When the stream breaks, every watch on it ends with
 * StorageUnavailableError; the next `watch()` opens a new stream.
 */
import type { Etcd3, IWatchRequest, IWatchResponse } from 'etcd3';
import { keyFromText, keyToBytes, prefixEnd } from '../mvcc/keys.js';
import type {
  KeyValue,
  Watch,
  WatchBatch,
  WatchEvent,
  WatchListener,
  WatchOptions,
} from '../storage.js';
import { CompactedError, StorageError, StorageUnavailableError } from '../storage.js';
import { GrpcCode } from '../mvcc/errors.js';
import { fromEtcdKv } from './convert.js';

type Duplex = Awaited<ReturnType<Etcd3['watchClient']['watch']>>;

interface Entry {
  id: number;
  listener: WatchListener;
  prevKv: boolean;
  done: boolean;
}

export class WatchMux {
  private stream: Duplex | undefined;
  private opening: Promise<Duplex> | undefined;
  private readonly entries = new Map<number, Entry>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly client: Etcd3) {}

  watch(options: WatchOptions, listener: WatchListener): Watch {
    const entry: Entry = { id: this.nextId++, listener, prevKv: !!options.prevKv, done: false };
    this.entries.set(entry.id, entry);
    const key = keyFromText(options.key);
    const create: IWatchRequest = {
      create_request: {
        key: keyToBytes(options.prefix && key === '' ? '\0' : key),
        ...(options.prefix ? { range_end: keyToBytes(prefixEnd(key)) } : {}),
        start_revision: options.startRevision ?? 0,
        progress_notify: !!options.progressNotify,
        prev_kv: !!options.prevKv,
        watch_id: entry.id,
      },
    };
    this.send(create, entry);
    return {
      cancel: () => {
        if (entry.done) return;
        entry.done = true;
        this.entries.delete(entry.id);
        this.send({ cancel_request: { watch_id: entry.id } });
      },
      requestProgress: () => {
        if (!entry.done) this.send({ progress_request: {} });
      },
    };
  }

  close(): void {
    this.closed = true;
    this.fail(new StorageUnavailableError('etcd client closed'));
  }

  private send(req: IWatchRequest, entry?: Entry): void {
    this.open().then(
      (stream) => stream.write(req),
      (err) => entry && this.end(entry, new StorageUnavailableError(String(err))),
    );
  }

  private open(): Promise<Duplex> {
    if (this.closed) return Promise.reject(new Error('etcd client closed'));
    if (this.stream) return Promise.resolve(this.stream);
    return (this.opening ??= this.client.watchClient.watch().then((stream) => {
      this.opening = undefined;
      this.stream = stream;
      stream.on('data', (res: IWatchResponse) => this.onResponse(res));
      const broken = (err?: unknown): void => {
        if (this.stream !== stream) return;
        this.stream = undefined;
        this.fail(
          new StorageUnavailableError(
            `etcd watch stream ended${err instanceof Error ? `: ${err.message}` : ''}`,
          ),
        );
      };
      stream.on('error', broken);
      stream.on('end', () => broken());
      return stream;
    }));
  }

  private onResponse(res: IWatchResponse): void {
    const id = Number(res.watch_id);
    const revision = Number(res.header?.revision ?? 0);
    if (id === -1 && !res.created && !res.canceled) {
      // A progress notification for the whole stream (answer to a progress request).
      for (const e of this.entries.values())
        this.deliver(e, { events: [], revision, progress: true });
      return;
    }
    const entry = this.entries.get(id);
    if (!entry) return;
    if (res.canceled) {
      const compact = Number(res.compact_revision ?? 0);
      this.end(
        entry,
        compact > 0
          ? new CompactedError(compact)
          : new StorageError(
              res.cancel_reason || 'watch canceled by the server',
              GrpcCode.Canceled,
            ),
      );
      return;
    }
    if (res.created) return;
    const events = res.events ?? [];
    if (events.length === 0) {
      this.deliver(entry, { events: [], revision, progress: true });
      return;
    }
    const batch: WatchBatch = {
      revision,
      events: events.map((e): WatchEvent => {
        const kv: KeyValue = fromEtcdKv(e.kv);
        const event: WatchEvent = { type: String(e.type) === 'Delete' ? 'delete' : 'put', kv };
        if (entry.prevKv && e.prev_kv) event.prevKv = fromEtcdKv(e.prev_kv);
        return event;
      }),
    };
    this.deliver(entry, batch);
  }

  private deliver(entry: Entry, batch: WatchBatch): void {
    if (!entry.done) entry.listener.onBatch(batch);
  }

  private end(entry: Entry, err: Error): void {
    if (entry.done) return;
    entry.done = true;
    this.entries.delete(entry.id);
    entry.listener.onError(err);
  }

  private fail(err: Error): void {
    const stream = this.stream;
    this.stream = undefined;
    for (const e of [...this.entries.values()]) this.end(e, err);
    stream?.end();
  }
}
