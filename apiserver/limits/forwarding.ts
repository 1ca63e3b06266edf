/**
 * A {@link Storage} that forwards every call to another one, for wrappers that change a few
 * calls (object size limits, encryption at rest) to extend.
 */
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
} from '../../store/index.js';

export class ForwardingStorage implements Storage {
  constructor(protected readonly inner: Storage) {}

  currentRevision(): Promise<number> {
    return this.inner.currentRevision();
  }
  get(key: string, options?: ReadOptions): Promise<GetResult> {
    return this.inner.get(key, options);
  }
  list(prefix: string, options?: ListOptions): Promise<ListResult> {
    return this.inner.list(prefix, options);
  }
  create(key: string, value: Uint8Array, options?: WriteOptions): Promise<WriteResult> {
    return this.inner.create(key, value, options);
  }
  update(
    key: string,
    value: Uint8Array,
    expectedModRevision: number,
    options?: WriteOptions,
  ): Promise<WriteResult> {
    return this.inner.update(key, value, expectedModRevision, options);
  }
  delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    return this.inner.delete(key, expectedModRevision);
  }
  watch(options: WatchOptions, listener: WatchListener): Watch {
    return this.inner.watch(options, listener);
  }
  compact(revision: number): Promise<void> {
    return this.inner.compact(revision);
  }
  grantLease(ttlSeconds: number): Promise<number> {
    return this.inner.grantLease(ttlSeconds);
  }
  revokeLease(id: number): Promise<void> {
    return this.inner.revokeLease(id);
  }
  status(): Promise<StorageStatus> {
    return this.inner.status();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
