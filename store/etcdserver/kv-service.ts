/** The KV service (Range, Put, DeleteRange, Txn, Compact) over the engine. */
import type * as grpc from '@grpc/grpc-js';
import { GrpcCode } from '../mvcc/errors.js';
import { StorageError } from '../storage.js';
import {
  decodeDeleteRange,
  decodePut,
  decodeRange,
  decodeTxn,
  encodeKv,
  encodeTxn,
} from './codec.js';
import type { ServerContext } from './context.js';
import { checkRequestSize, header, unary } from './context.js';

type Msg = Record<string, unknown>;

export function kvService(ctx: ServerContext): grpc.UntypedServiceImplementation {
  const { engine } = ctx;
  return {
    Range: unary<Msg>(ctx, (req) => {
      const r = engine.range(decodeRange(req));
      return {
        header: header(ctx, r.revision),
        kvs: r.kvs.map(encodeKv),
        more: r.more,
        count: r.count,
      };
    }),
    Put: unary<Msg>(ctx, async (req) => {
      checkRequestSize(ctx, req);
      const r = await engine.put(decodePut(req));
      return {
        header: header(ctx, r.revision),
        ...(r.prevKv ? { prev_kv: encodeKv(r.prevKv) } : {}),
      };
    }),
    DeleteRange: unary<Msg>(ctx, async (req) => {
      checkRequestSize(ctx, req);
      const r = await engine.deleteRange(decodeDeleteRange(req));
      return {
        header: header(ctx, r.revision),
        deleted: r.deleted,
        prev_kvs: r.prevKvs.map(encodeKv),
      };
    }),
    Txn: unary<Msg>(ctx, async (req) => {
      const t = decodeTxn(req);
      const writes = (ops: typeof t.success): boolean =>
        ops.some(
          (op) =>
            op.put || op.deleteRange || (op.txn && writes([...op.txn.success, ...op.txn.failure])),
        );
      // Read-only txns are served locally in etcd, without the raft size limit.
      if (writes([...t.success, ...t.failure])) checkRequestSize(ctx, req);
      const r = await engine.txn(t);
      return encodeTxn(r, header(ctx, r.revision));
    }),
    Compact: unary<Msg>(ctx, async (req) => {
      const revision = Number(req.revision ?? 0);
      if (!Number.isSafeInteger(revision)) {
        throw new StorageError(
          'etcdserver: mvcc: required revision is a future revision',
          GrpcCode.OutOfRange,
        );
      }
      return { header: header(ctx, await engine.compact(revision)) };
    }),
  };
}
