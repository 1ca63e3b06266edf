/**
 * The {@link Storage} interface over the etcd v3 gRPC API, with the `etcd3` client: for a real
 * etcd cluster (`--etcd-servers`, the scale-out path) and for `kuberx etcd`. Each call is the
 * etcd request kube-apiserver would send (etcd3 store.go): conditional writes are one Txn with a
 * MOD compare, reads are Range, leases are LeaseGrant/LeaseRevoke.
 *
 * The client does not retry (a retried Txn could apply twice and then report a conflict); failures
 * surface as {@link StorageError}s, connection trouble as StorageUnavailableError. Lease IDs are
 * chosen here, below 2^53, so they survive as JavaScript numbers.
 */
import type { Etcd3, IKeyValue, IRequestOp, ITxnRequest, ITxnResponse } from 'etcd3';
import { randomInt } from 'node:crypto';
import { keyFromText, keyToBytes, prefixEnd } from '../mvcc/keys.js';
import type {
  DeleteResult,
  GetResult,
  ListOptions,
  ListResult,
  ReadOptions,
  Storage,
  StorageStatus,
  Watch,
  WatchListener,
  WatchOptions,
  WriteOptions,
  WriteResult,
} from '../storage.js';
import { CompactedError, StorageError } from '../storage.js';
import { fromEtcdKv } from './convert.js';
import { fromClientError } from './errors.js';
import { WatchMux } from './watch.js';
import { ConditionalWrites, failed } from '../conditional-writes.js';

const leaseNotFound = 'requested lease not found';
const leaseExists = 'lease already exists';

export class EtcdStorage extends ConditionalWrites implements Storage {
  private readonly watches: WatchMux;
  /** Newest compaction revision seen through this client. */
  private knownCompact = 0;

  constructor(private readonly client: Etcd3) {
    super();
    this.watches = new WatchMux(client);
  }

  async currentRevision(): Promise<number> {
    const r = await this.call(() =>
      this.client.kv.range({ key: keyToBytes('\0'), count_only: true }),
    );
    return Number(r.header.revision);
  }

  async get(key: string, options: ReadOptions = {}): Promise<GetResult> {
    const r = await this.read(() =>
      this.client.kv.range({ key: keyToBytes(keyFromText(key)), revision: options.revision ?? 0 }),
    );
    const kv = r.kvs[0];
    const revision = Number(r.header.revision);
    return kv ? { kv: fromEtcdKv(kv), revision } : { revision };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const p = keyFromText(prefix);
    const start = options.startKey !== undefined ? keyFromText(options.startKey) : p;
    const r = await this.read(() =>
      this.client.kv.range({
        key: keyToBytes(start || '\0'),
        range_end: keyToBytes(prefixEnd(p)),
        revision: options.revision ?? 0,
        limit: options.limit ?? 0,
        count_only: !!options.countOnly,
        keys_only: !!options.keysOnly,
      }),
    );
    return {
      kvs: r.kvs.map(fromEtcdKv),
      more: r.more,
      count: Number(r.count),
      revision: Number(r.header.revision),
    };
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    const k = keyToBytes(keyFromText(key));
    const del: IRequestOp = { request_delete_range: { key: k, prev_kv: true } };
    const req: ITxnRequest =
      expectedModRevision === undefined
        ? { success: [del] }
        : {
            compare: [
              { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision },
            ],
            success: [del],
            failure: [{ request_range: { key: k } }],
          };
    const r = await this.txn(req);
    const revision = Number(r.header.revision);
    const prev = r.responses[0]?.response_delete_range?.prev_kvs?.[0];
    if (r.succeeded && prev) return { succeeded: true, revision, prevKv: fromEtcdKv(prev) };
    const current = r.responses[0]?.response_range?.kvs?.[0];
    return failed(revision, current && fromEtcdKv(current));
  }

  watch(options: WatchOptions, listener: WatchListener): Watch {
    return this.watches.watch(options, {
      onBatch: (b) => listener.onBatch(b),
      onError: (err) => {
        if (err instanceof CompactedError)
          this.knownCompact = Math.max(this.knownCompact, err.compactRevision);
        listener.onError(err);
      },
    });
  }

  async compact(revision: number): Promise<void> {
    await this.call(() => this.client.kv.compact({ revision, physical: true }));
    this.knownCompact = Math.max(this.knownCompact, revision);
  }

  async grantLease(ttlSeconds: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      // Random IDs in [2^40, 2^53): collisions with other clients are possible but rare; retry.
      const id = randomInt(2 ** 40, 2 ** 47) * 64 + randomInt(64);
      try {
        const r = await this.call(() =>
          this.client.leaseClient.leaseGrant({ TTL: ttlSeconds, ID: id }),
        );
        return Number(r.ID);
      } catch (err) {
        if (!(err instanceof StorageError && err.message.includes(leaseExists)) || attempt >= 4)
          throw err;
      }
    }
  }

  async revokeLease(id: number): Promise<void> {
    try {
      await this.call(() => this.client.leaseClient.leaseRevoke({ ID: id }));
    } catch (err) {
      if (err instanceof StorageError && err.message.includes(leaseNotFound)) return;
      throw err;
    }
  }

  async status(): Promise<StorageStatus> {
    const s = await this.call(() => this.client.maintenance.status({}));
    const revision = Number(s.header.revision);
    return {
      version: s.version,
      dbSize: Number(s.dbSize),
      revision,
      compactRevision: await this.findCompactRevision(revision),
    };
  }

  async close(): Promise<void> {
    this.watches.close();
    this.client.close();
  }

  /**
   * etcd's Status does not report the compacted revision: find the oldest readable revision by
   * bisection over cheap count-only reads (about log2(revision) requests).
   */
  private async findCompactRevision(current: number): Promise<number> {
    const readable = async (rev: number): Promise<boolean> => {
      try {
        await this.client.kv.range({ key: keyToBytes('\0'), count_only: true, revision: rev });
        return true;
      } catch (err) {
        if (fromClientError(err) instanceof CompactedError) return false;
        throw fromClientError(err);
      }
    };
    let lo = Math.max(1, this.knownCompact);
    if (await readable(lo)) return lo > 1 ? lo : 0;
    let hi = current;
    while (lo + 1 < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (await readable(mid)) hi = mid;
      else lo = mid;
    }
    this.knownCompact = hi;
    return hi;
  }

  protected async conditionalPut(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    options: WriteOptions,
  ): Promise<WriteResult> {
    const k = keyToBytes(keyFromText(key));
    const r = await this.txn({
      compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision }],
      success: [
        { request_put: { key: k, value: Buffer.from(value), lease: options.lease ?? 0 } },
        { request_range: { key: k } },
      ],
      failure: [{ request_range: { key: k } }],
    });
    const revision = Number(r.header.revision);
    if (r.succeeded) {
      const kv = r.responses[1]?.response_range?.kvs?.[0] as IKeyValue;
      return { succeeded: true, revision, kv: fromEtcdKv(kv) };
    }
    const current = r.responses[0]?.response_range?.kvs?.[0];
    return failed(revision, current && fromEtcdKv(current));
  }

  private txn(req: ITxnRequest): Promise<ITxnResponse> {
    return this.call(() => this.client.kv.txn(req));
  }

  private async read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const mapped = fromClientError(err);
      if (mapped instanceof CompactedError) {
        throw new CompactedError(await this.findCompactRevision(await this.currentRevision()));
      }
      throw mapped;
    }
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw fromClientError(err, this.knownCompact);
    }
  }
}
