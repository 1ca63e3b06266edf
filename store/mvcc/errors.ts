/**
 * etcd's errors, with etcd's gRPC codes and messages (etcd `api/v3rpc/rpctypes/error.go`). Every
 * failure the store reports is a {@link StorageError}; the gRPC server sends `grpcCode` and
 * `message` as they are, so clients (etcdctl, etcd3, client-go) see what real etcd would send.
 */
import { CompactedError, FutureRevisionError, StorageError } from '../storage.js';

/** gRPC status codes used by etcd (google.golang.org/grpc/codes). */
export const GrpcCode = {
  OK: 0,
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;

const invalid = (message: string): StorageError =>
  new StorageError(message, GrpcCode.InvalidArgument);

/** `ErrGRPCEmptyKey`: a request without a key. */
export const errEmptyKey = (): StorageError => invalid('etcdserver: key is not provided');
/** `ErrGRPCKeyNotFound`: `ignore_value`/`ignore_lease` on a missing key, or an empty txn op. */
export const errKeyNotFound = (): StorageError => invalid('etcdserver: key not found');
/** `ErrGRPCValueProvided`: `ignore_value` together with a value. */
export const errValueProvided = (): StorageError => invalid('etcdserver: value is provided');
/** `ErrGRPCLeaseProvided`: `ignore_lease` together with a lease. */
export const errLeaseProvided = (): StorageError => invalid('etcdserver: lease is provided');
/** `ErrGRPCTooManyOps`: more than 128 compares or ops in one branch. */
export const errTooManyOps = (): StorageError =>
  invalid('etcdserver: too many operations in txn request');
/** `ErrGRPCDuplicateKey`: a txn writes one key twice. */
export const errDuplicateKey = (): StorageError =>
  invalid('etcdserver: duplicate key given in txn request');
/** `ErrGRPCRequestTooLarge`: a request above `--max-request-bytes`. */
export const errRequestTooLarge = (): StorageError => invalid('etcdserver: request is too large');
/** `ErrGRPCLeaseNotFound`. */
export const errLeaseNotFound = (): StorageError =>
  new StorageError('etcdserver: requested lease not found', GrpcCode.NotFound);
/** `ErrGRPCLeaseExist`: a grant with an ID in use. */
export const errLeaseExist = (): StorageError =>
  new StorageError('etcdserver: lease already exists', GrpcCode.FailedPrecondition);
/** `ErrGRPCLeaseTTLTooLarge`. */
export const errLeaseTtlTooLarge = (): StorageError =>
  new StorageError('etcdserver: too large lease TTL', GrpcCode.OutOfRange);
/** `ErrGRPCStopped`: the server is shutting down. */
export const errStopped = (): StorageError =>
  new StorageError('etcdserver: server stopped', GrpcCode.Unavailable);
/** `ErrGRPCCorrupt`-like fatal backend failure: nothing more is served. */
export const errBackendFailed = (cause: string): StorageError =>
  new StorageError(`etcdserver: backend failure: ${cause}`, GrpcCode.Unavailable);
/** `ErrGRPCNotCapable`: an API this server does not provide. */
export const errNotCapable = (): StorageError =>
  new StorageError('etcdserver: not capable', GrpcCode.Unavailable);

/** `ErrGRPCCompacted`. */
export const errCompacted = (compactRevision: number): StorageError =>
  new CompactedError(compactRevision);
/** `ErrGRPCFutureRev`. */
export const errFutureRev = (): StorageError => new FutureRevisionError();

/** mvcc `ErrWatcherDuplicateID` (the watch is answered created + canceled with this reason). */
export const watcherDuplicateIdReason = 'mvcc: duplicate watch ID provided on the WatchStream';
/** mvcc `ErrEmptyWatcherRange`. */
export const emptyWatcherRangeReason = 'mvcc: watcher range is empty';
