/** etcd3 client errors → {@link StorageError}s with etcd's gRPC code and message. */
import { GrpcCode } from '../mvcc/errors.js';
import {
  CompactedError,
  FutureRevisionError,
  StorageError,
  StorageUnavailableError,
} from '../storage.js';

const grpcPrefix = /^(\d+) [A-Z_]+: ([\s\S]*)$/;

/**
 * Maps an error from the etcd3 client. `compactRevision` supplies the compacted revision for
 * ErrCompacted (etcd does not say it on reads).
 */
export function fromClientError(err: unknown, compactRevision = 0): StorageError {
  if (err instanceof StorageError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const m = grpcPrefix.exec(raw);
  let code = m ? Number(m[1]) : (err as { code?: unknown }).code;
  const message = m ? m[2]! : raw;
  if (message.includes('required revision has been compacted')) {
    return new CompactedError(compactRevision);
  }
  if (message.includes('required revision is a future revision')) return new FutureRevisionError();
  const name = err instanceof Error ? err.constructor.name : '';
  if (typeof code !== 'number') {
    code =
      /Unavailable|ClientClosed|Cancelled|DeadlineExceeded|BrokenCircuit/.test(name) ||
      /closed|ECONNREFUSED|No connection/i.test(message)
        ? GrpcCode.Unavailable
        : GrpcCode.Unknown;
  }
  if (code === GrpcCode.Unavailable || code === GrpcCode.DeadlineExceeded) {
    return new StorageUnavailableError(message);
  }
  return new StorageError(message, code as number);
}
