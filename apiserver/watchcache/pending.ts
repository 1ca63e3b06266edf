/**
 * Writes in flight whose cache entries the writer has already built (it serialised the object
 * once, see `storage/codec.ts` `encodeWrite`). When the storage watch delivers a put whose bytes
 * are exactly the announced ones, the cache takes the prepared entry instead of parsing the
 * bytes and serialising them again — decoding is a function of the bytes and the revision, so
 * the result is the same.
 *
 * Bytes are compared, so another write of the same key is always decoded. An announced entry
 * whose event never comes is dropped by the next announcement for its key, by
 * {@link PendingWrites.clear} (the cache relists), or once more than `max` are waiting.
 */
import type { KeyValue } from '../../store/index.js';
import type { CachedObject } from './types.js';

export interface PendingWrite {
  /** The bytes being written. */
  readonly value: Uint8Array;
  /** The cache entry of these bytes as stored in `kv` (what the cache's decode would build). */
  entry(kv: KeyValue): CachedObject;
}

export class PendingWrites {
  private readonly byKey = new Map<string, PendingWrite>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Announces `write` to `key`, replacing an earlier announcement for the key. */
  add(key: string, write: PendingWrite): void {
    this.byKey.delete(key);
    this.byKey.set(key, write);
    if (this.byKey.size > this.max) this.byKey.delete(this.byKey.keys().next().value!);
  }

  /** Withdraws `write` (it failed) unless a later announcement replaced it. */
  remove(key: string, write: PendingWrite): void {
    if (this.byKey.get(key) === write) this.byKey.delete(key);
  }

  /** The prepared entry for a put of `kv`, when its bytes were announced; consumes it. */
  take(kv: KeyValue): CachedObject | undefined {
    const write = this.byKey.get(kv.key);
    if (!write || !sameBytes(write.value, kv.value)) return undefined;
    this.byKey.delete(kv.key);
    return write.entry(kv);
  }

  clear(): void {
    this.byKey.clear();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
