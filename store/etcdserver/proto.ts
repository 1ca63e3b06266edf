/**
 * The etcd v3 protocol, loaded from the `.proto` files shipped in the `etcd3` package (the same
 * files the etcd3 client uses), with int64 as decimal strings so no ID loses precision, enums as
 * numbers and oneof discriminators on.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Directory holding etcd3's rpc.proto, kv.proto and auth.proto. */
export const etcdProtoDir = join(dirname(require.resolve('etcd3/package.json')), 'proto');

export interface EtcdServices {
  KV: grpc.ServiceDefinition;
  Watch: grpc.ServiceDefinition;
  Lease: grpc.ServiceDefinition;
  Cluster: grpc.ServiceDefinition;
  Maintenance: grpc.ServiceDefinition;
}

let cached: EtcdServices | undefined;

/** Service definitions of `etcdserverpb` (loaded once per process). */
export function etcdServices(): EtcdServices {
  if (cached) return cached;
  const definition = protoLoader.loadSync(join(etcdProtoDir, 'rpc.proto'), {
    keepCase: true,
    longs: String,
    enums: Number,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    etcdserverpb: Record<keyof EtcdServices, { service: grpc.ServiceDefinition }>;
  };
  const p = pkg.etcdserverpb;
  cached = {
    KV: p.KV.service,
    Watch: p.Watch.service,
    Lease: p.Lease.service,
    Cluster: p.Cluster.service,
    Maintenance: p.Maintenance.service,
  };
  return cached;
}

/** Symbol under which the size of the received protobuf message is recorded on a request. */
export const wireSize = Symbol('wireSize');

/**
 * A copy of `service` whose request decoders record the message's byte size on the decoded
 * object (under {@link wireSize}), for etcd's `--max-request-bytes` check.
 */
export function withWireSize(service: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const out: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(service)) {
    const decode = method.requestDeserialize;
    out[name] = {
      ...method,
      requestDeserialize: (buf: Buffer) => {
        const msg = decode(buf) as Record<symbol, number>;
        msg[wireSize] = buf.length;
        return msg;
      },
    };
  }
  return out as grpc.ServiceDefinition;
}
