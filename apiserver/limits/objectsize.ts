/**
 * A {@link Storage} wrapper that refuses objects larger than etcd accepts (`--max-request-bytes`,
 * 1.5 MiB of key and value) with 413 `etcdserver: request is too large`, the same whichever store
 * is behind it — the embedded store has no limit of its own, and a real etcd's refusal (gRPC
 * InvalidArgument) is mapped to the same 413 instead of a 500. Reads pass through untouched.
 */
import { newRequestEntityTooLarge } from '../../common/index.js';
import type { Storage, WriteOptions } from '../../store/index.js';
import * as defaults from './defaults.js';
import { ForwardingStorage } from './forwarding.js';

const tooLargeMessage = 'etcdserver: request is too large';

function check(key: string, value: Uint8Array, max: number): void {
  if (Buffer.byteLength(key) + value.byteLength > max) {
    throw newRequestEntityTooLarge(tooLargeMessage);
  }
}

async function mapTooLarge<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof Error && err.message.includes(tooLargeMessage)) {
      throw newRequestEntityTooLarge(tooLargeMessage);
    }
    throw err;
  }
}

/** A storage whose writes are bounded to `maxBytes` (default 1.5 MiB). */
export class SizeLimitedStorage extends ForwardingStorage {
  constructor(
    inner: Storage,
    private readonly maxBytes: number = defaults.maxObjectBytes,
  ) {
    super(inner);
  }

  override async create(key: string, value: Uint8Array, options?: WriteOptions) {
    check(key, value, this.maxBytes);
    return mapTooLarge(this.inner.create(key, value, options));
  }

  override async update(key: string, value: Uint8Array, expected: number, options?: WriteOptions) {
    check(key, value, this.maxBytes);
    return mapTooLarge(this.inner.update(key, value, expected, options));
  }
}
