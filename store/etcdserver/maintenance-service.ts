/**
 * Maintenance (Status; Alarm list/disarm answered with no alarms; the rest UNIMPLEMENTED) and
 * Cluster (MemberList with this single member; membership changes UNIMPLEMENTED).
 */
import type * as grpc from '@grpc/grpc-js';
import { GrpcCode } from '../mvcc/errors.js';
import { StorageError } from '../storage.js';
import type { ServerContext } from './context.js';
import { header, raftTerm, unary } from './context.js';

type Msg = Record<string, unknown>;

const alarmActivate = 1;

export function maintenanceService(ctx: ServerContext): grpc.UntypedServiceImplementation {
  const { engine } = ctx;
  return {
    Status: unary<Msg>(ctx, () => {
      const s = engine.status();
      return {
        header: header(ctx, s.revision),
        version: s.version,
        dbSize: s.dbSize,
        leader: String(engine.memberId),
        raftIndex: s.commitIndex,
        raftTerm,
        raftAppliedIndex: s.commitIndex,
        errors: [],
        dbSizeInUse: s.dbSize,
        isLearner: false,
      };
    }),
    Alarm: unary<Msg>(ctx, (req) => {
      if (Number(req.action ?? 0) === alarmActivate) {
        throw new StorageError(
          'Alarm activation is not implemented by kuberx etcd',
          GrpcCode.Unimplemented,
        );
      }
      return { header: header(ctx), alarms: [] };
    }),
  };
}

export function clusterService(ctx: ServerContext): grpc.UntypedServiceImplementation {
  return {
    MemberList: unary<Msg>(ctx, () => ({
      // etcd's cluster service fills IDs and term only, no revision.
      header: { ...header(ctx), revision: 0 },
      members: [
        {
          ID: String(ctx.engine.memberId),
          name: ctx.memberName,
          peerURLs: ctx.peerUrls,
          clientURLs: ctx.clientUrls(),
          isLearner: false,
        },
      ],
    })),
  };
}
