/**
 * What every etcd service handler shares: the engine, the response header, error mapping and
 * etcd's request-size check.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../common/index.js';
import type { Engine } from '../embedded/engine.js';
import { errRequestTooLarge, GrpcCode } from '../mvcc/errors.js';
import { StorageError } from '../storage.js';
import type { Header } from './codec.js';
import { wireSize } from './proto.js';

/** etcd's raft term after the single member elected itself (a placeholder: there is no raft). */
export const raftTerm = 2;

export interface ServerContext {
  engine: Engine;
  log: Logger;
  /** etcd `--max-request-bytes`. */
  maxRequestBytes: number;
  /** Client URLs advertised by MemberList. */
  clientUrls: () => string[];
  peerUrls: string[];
  memberName: string;
}

export function header(ctx: ServerContext, revision = ctx.engine.revision): Header {
  return {
    cluster_id: String(ctx.engine.clusterId),
    member_id: String(ctx.engine.memberId),
    revision,
    raft_term: raftTerm,
  };
}

/** An error as gRPC sends it: etcd's code and message for store errors, INTERNAL otherwise. */
export function toServiceError(ctx: ServerContext, err: unknown): Partial<grpc.ServiceError> {
  if (err instanceof StorageError) return { code: err.grpcCode, details: err.message };
  ctx.log.error({ err }, 'unexpected error serving an etcd request');
  return { code: GrpcCode.Internal, details: err instanceof Error ? err.message : String(err) };
}

/**
 * etcd rejects a request applied through raft when its encoding exceeds `--max-request-bytes`
 * (the raft entry adds a small header; 16 bytes is its usual size).
 */
export function checkRequestSize(ctx: ServerContext, request: object): void {
  const size = (request as Record<symbol, number>)[wireSize] ?? 0;
  if (size + 16 > ctx.maxRequestBytes) throw errRequestTooLarge();
}

type Unary<Req> = grpc.handleUnaryCall<Req, unknown>;

/** Wraps an async handler into a gRPC unary handler with etcd error mapping. */
export function unary<Req>(
  ctx: ServerContext,
  handle: (request: Req) => unknown | Promise<unknown>,
): Unary<Req> {
  return (call, callback) => {
    let result: unknown;
    try {
      result = handle(call.request);
    } catch (err) {
      callback(toServiceError(ctx, err) as grpc.ServiceError);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value) => callback(null, value),
        (err) => callback(toServiceError(ctx, err) as grpc.ServiceError),
      );
    } else {
      callback(null, result);
    }
  };
}

/** Answers every method of a service with UNIMPLEMENTED, naming the method. */
export function unimplemented(
  service: grpc.ServiceDefinition,
  implemented: grpc.UntypedServiceImplementation,
): grpc.UntypedServiceImplementation {
  const out: grpc.UntypedServiceImplementation = { ...implemented };
  for (const [name, method] of Object.entries(service)) {
    if (out[name] || out[method.originalName ?? '']) continue;
    const details = `${name} is not implemented by kuberx etcd`;
    out[name] = method.requestStream
      ? (call: grpc.ServerDuplexStream<unknown, unknown>) =>
          call.emit('error', { code: GrpcCode.Unimplemented, details })
      : (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
          callback({ code: GrpcCode.Unimplemented, details } as grpc.ServiceError);
  }
  return out;
}
