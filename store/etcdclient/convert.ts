/** etcd3 client messages → Storage values. */
import type { IKeyValue } from 'etcd3';
import { keyFromBytes, keyToText } from '../mvcc/keys.js';
import type { KeyValue } from '../storage.js';

export function fromEtcdKv(kv: IKeyValue): KeyValue {
  return {
    key: keyToText(keyFromBytes(kv.key)),
    value: kv.value ?? new Uint8Array(0),
    createRevision: Number(kv.create_revision ?? 0),
    modRevision: Number(kv.mod_revision ?? 0),
    version: Number(kv.version ?? 0),
    // IDs above 2^53 (chosen by other etcd clients) lose precision here; ours never exceed it.
    lease: Number(kv.lease ?? 0),
  };
}
