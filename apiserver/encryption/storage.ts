/**
 * Encryption at rest as a {@link Storage} wrapper, at the value level as upstream's storage
 * transformers: values of the configured resources are encrypted by the rule's first provider
 * before they reach the store, and every read (get, list, watch, the previous and current
 * values of write and delete results) is decrypted with whichever provider's prefix matches. Keys,
 * revisions and leases are untouched, so a copied data directory or etcd holds only ciphertext
 * for those resources while the API serves plain objects.
 *
 * A stored value no provider can read is an error: reads fail with 500 `Internal error occurred:
 * no matching prefix found` (upstream's words); a watch that meets one ends with that error, so
 * the watch cache relists and reports it.
 */
import { type GroupResource, newInternalError } from '../../common/index.js';
import type {
  DeleteResult,
  GetResult,
  KeyValue,
  ListOptions,
  ListResult,
  ReadOptions,
  Storage,
  Watch,
  WatchListener,
  WatchOptions,
  WriteOptions,
  WriteResult,
} from '../../store/index.js';
import { ForwardingStorage } from '../limits/forwarding.js';
import { ruleFor, type EncryptionConfig, type EncryptionRule } from './config.js';
import { encryptedPrefix } from './providers.js';

/** Maps a storage key to the group/resources stored under it (several share some prefixes). */
export type KeyResolver = (key: string) => GroupResource[];

const encoder = new TextEncoder();

export class EncryptedStorage extends ForwardingStorage {
  private readonly ruleCache = new Map<string, EncryptionRule | null>();

  constructor(
    inner: Storage,
    private readonly config: EncryptionConfig,
    private readonly resolve: KeyResolver,
  ) {
    super(inner);
  }

  private rule(key: string): EncryptionRule | undefined {
    for (const gr of this.resolve(key)) {
      const id = `${gr.group}/${gr.resource}`;
      let r = this.ruleCache.get(id);
      if (r === undefined) {
        r = ruleFor(this.config, gr.group, gr.resource) ?? null;
        this.ruleCache.set(id, r);
      }
      if (r) return r;
    }
    return undefined;
  }

  /** Encrypts a value for `key` with its rule's writing provider. */
  seal(key: string, value: Uint8Array): Uint8Array {
    const rule = this.rule(key);
    const writer = rule?.transformers[0];
    if (!writer || writer.prefix === '') return value;
    return Buffer.concat([encoder.encode(writer.prefix), writer.seal(value, key)]);
  }

  /** Decrypts a stored value of `key` (values of unconfigured resources pass as they are). */
  unseal(key: string, value: Uint8Array): Uint8Array {
    const rule = this.rule(key);
    if (!rule || value.length === 0) return value;
    const head = Buffer.from(value.subarray(0, 64)).toString('latin1');
    let lastErr: unknown;
    for (const t of rule.transformers) {
      if (!head.startsWith(t.prefix)) continue;
      try {
        return t.open(value.subarray(Buffer.byteLength(t.prefix)), key);
      } catch (err) {
        lastErr = err;
        if (t.prefix !== '') break;
      }
    }
    throw newInternalError(lastErr ?? new Error('no matching prefix found'));
  }

  private kv<T extends KeyValue | undefined>(kv: T): T {
    if (!kv) return kv;
    return { ...kv, value: this.unseal(kv.key, kv.value) } as T;
  }

  override async get(key: string, options?: ReadOptions): Promise<GetResult> {
    const res = await this.inner.get(key, options);
    return { ...res, kv: this.kv(res.kv) };
  }

  override async list(prefix: string, options?: ListOptions): Promise<ListResult> {
    const res = await this.inner.list(prefix, options);
    return { ...res, kvs: res.kvs.map((kv) => this.kv(kv)) };
  }

  override async create(
    key: string,
    value: Uint8Array,
    options?: WriteOptions,
  ): Promise<WriteResult> {
    return this.result(await this.inner.create(key, this.seal(key, value), options));
  }

  override async update(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    options?: WriteOptions,
  ): Promise<WriteResult> {
    return this.result(
      await this.inner.update(key, this.seal(key, value), expectedModRevision, options),
    );
  }

  override async delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    const res = await this.inner.delete(key, expectedModRevision);
    return res.succeeded
      ? { ...res, prevKv: this.kv(res.prevKv) }
      : { ...res, current: this.kv(res.current) };
  }

  override watch(options: WatchOptions, listener: WatchListener): Watch {
    let failed = false;
    const watch: Watch = this.inner.watch(options, {
      onBatch: (batch) => {
        if (failed) return;
        try {
          const events = batch.events.map((e) => ({
            ...e,
            kv: e.type === 'put' ? this.kv(e.kv) : e.kv,
            prevKv: this.kv(e.prevKv),
          }));
          listener.onBatch({ ...batch, events });
        } catch (err) {
          failed = true;
          watch.cancel();
          listener.onError(err instanceof Error ? err : new Error(String(err)));
        }
      },
      onError: (err) => {
        if (!failed) listener.onError(err);
      },
    });
    return watch;
  }

  /**
   * The last step of a key rotation: re-encrypts with the writing provider every value under
   * `prefix` that another provider (or none) wrote, as a compare-and-swap per key (a key written
   * meanwhile is already current and skipped), keeping each key's lease. Returns how many keys were
   * rewritten. Upstream's equivalent is rewriting every object (`kubectl replace`); here a no-op
   * replace would not reach the store, so this rewrites at the storage level.
   */
  async rewriteStale(prefix = '/registry/'): Promise<number> {
    let rewritten = 0;
    let startKey: string | undefined;
    for (;;) {
      const page = await this.inner.list(prefix, { limit: 500, startKey });
      for (const kv of page.kvs) {
        const writer = this.rule(kv.key)?.transformers[0];
        if (!writer) continue;
        const head = Buffer.from(kv.value.subarray(0, 64)).toString('latin1');
        const current =
          writer.prefix === '' ? !head.startsWith(encryptedPrefix) : head.startsWith(writer.prefix);
        if (current) continue;
        const value = this.seal(kv.key, this.unseal(kv.key, kv.value));
        const options = kv.lease ? { lease: kv.lease } : undefined;
        const res = await this.inner.update(kv.key, value, kv.modRevision, options);
        if (res.succeeded) rewritten++;
      }
      if (!page.more || page.kvs.length === 0) return rewritten;
      startKey = `${page.kvs[page.kvs.length - 1]!.key}\u0000`;
    }
  }

  private result(res: WriteResult): WriteResult {
    return res.succeeded
      ? { ...res, kv: this.kv(res.kv) }
      : { ...res, current: this.kv(res.current) };
  }
}
