/**
 * What both Storage implementations share: `create` and `update` are one compare-and-put on the
 * key's mod revision (0 = absent), as kube-apiserver's etcd3 store sends them, and failed
 * conditional writes report the current value when there is one.
 */
import type { DeleteResult, KeyValue, WriteOptions, WriteResult } from './storage.js';

export abstract class ConditionalWrites {
  /** Writes `key` if its mod revision is `expectedModRevision` (0: the key must not exist). */
  protected abstract conditionalPut(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    options: WriteOptions,
  ): Promise<WriteResult>;

  create(key: string, value: Uint8Array, options: WriteOptions = {}): Promise<WriteResult> {
    return this.conditionalPut(key, value, 0, options);
  }

  update(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    options: WriteOptions = {},
  ): Promise<WriteResult> {
    return this.conditionalPut(key, value, expectedModRevision, options);
  }
}

/** A failed conditional write or delete, with the current value when the key exists. */
export function failed(
  revision: number,
  current: KeyValue | undefined,
): WriteResult & DeleteResult {
  return current ? { succeeded: false, revision, current } : { succeeded: false, revision };
}
