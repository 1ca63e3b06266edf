/** The Lease service: grant, revoke, keep-alive stream, time-to-live, list. */
import type * as grpc from '@grpc/grpc-js';
import { errLeaseNotFound } from '../mvcc/errors.js';
import { keyToBytes } from '../mvcc/keys.js';
import type { ServerContext } from './context.js';
import { header, toServiceError, unary } from './context.js';

type Msg = Record<string, unknown>;

const big = (v: unknown): bigint => (v === undefined || v === '' ? 0n : BigInt(v as string));
const isNotFound = (err: unknown): boolean =>
  err instanceof Error && err.message === errLeaseNotFound().message;

export function leaseService(ctx: ServerContext): grpc.UntypedServiceImplementation {
  const { engine } = ctx;
  return {
    LeaseGrant: unary<Msg>(ctx, async (req) => {
      const { id, ttl } = await engine.leaseGrant(big(req.ID), Number(req.TTL ?? 0));
      return { header: header(ctx), ID: String(id), TTL: ttl, error: '' };
    }),
    LeaseRevoke: unary<Msg>(ctx, async (req) => {
      await engine.leaseRevoke(big(req.ID));
      return { header: header(ctx) };
    }),
    LeaseTimeToLive: unary<Msg>(ctx, (req) => {
      const id = big(req.ID);
      try {
        const t = engine.leaseTimeToLive(id);
        return {
          header: header(ctx),
          ID: String(id),
          TTL: t.ttl,
          grantedTTL: t.grantedTtl,
          keys: req.keys ? t.keys.map(keyToBytes) : [],
        };
      } catch (err) {
        // etcd answers an unknown lease with TTL -1, not an error.
        if (isNotFound(err)) return { header: header(ctx), ID: String(id), TTL: -1 };
        throw err;
      }
    }),
    LeaseLeases: unary<Msg>(ctx, () => ({
      header: header(ctx),
      leases: engine.leases().map((id) => ({ ID: String(id) })),
    })),
    LeaseKeepAlive: (call: grpc.ServerDuplexStream<Msg, unknown>) => {
      // Answers go out in request order.
      let chain: Promise<void> = Promise.resolve();
      call.on('data', (req: Msg) => {
        const id = big(req.ID);
        chain = chain.then(async () => {
          let ttl: number;
          try {
            ttl = await engine.leaseRenew(id);
          } catch (err) {
            // etcd answers a keep-alive for an unknown or expired lease with TTL 0.
            if (!isNotFound(err)) {
              call.emit('error', toServiceError(ctx, err));
              return;
            }
            ttl = 0;
          }
          if (!call.cancelled && call.writable)
            call.write({ header: header(ctx), ID: String(id), TTL: ttl });
        });
      });
      call.on('end', () => void chain.then(() => call.end()));
      call.on('error', () => {});
    },
  };
}
