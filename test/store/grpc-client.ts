/**
 * A raw etcd v3 gRPC client for tests: the same .proto files, int64 as strings, every response
 * as decoded (no client-side interpretation), so two servers' answers can be compared.
 */
import * as grpc from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import { etcdServices } from '../../store/etcdserver/proto.js';

type Msg = Record<string, any>;
export type Outcome = { ok: Msg } | { error: { code: number; details: string } };

export class RawEtcd {
  private readonly clients: Record<string, grpc.Client & Record<string, any>> = {};

  constructor(url: string) {
    const defs = etcdServices();
    const target = url.replace(/^https?:\/\//, '');
    for (const name of ['KV', 'Watch', 'Lease', 'Maintenance', 'Cluster'] as const) {
      const Ctor = grpc.makeClientConstructor(defs[name], name);
      this.clients[name] = new Ctor(target, grpc.credentials.createInsecure(), {
        'grpc.max_receive_message_length': -1,
        'grpc.max_send_message_length': -1,
      }) as any;
    }
  }

  /** One unary call; errors are returned, not thrown. */
  call(service: string, method: string, request: Msg): Promise<Outcome> {
    return new Promise((resolve) => {
      this.clients[service]![method](request, (err: grpc.ServiceError | null, res: Msg) =>
        resolve(err ? { error: { code: err.code, details: err.details } } : { ok: res }),
      );
    });
  }

  /** A bidirectional stream whose responses are collected. */
  stream(service: 'Watch' | 'Lease', method: string): RawStream {
    return new RawStream(this.clients[service]![method]());
  }

  close(): void {
    for (const c of Object.values(this.clients)) c.close();
  }
}

export class RawStream {
  readonly responses: Msg[] = [];
  error: { code: number; details: string } | undefined;

  constructor(private readonly call: grpc.ClientDuplexStream<Msg, Msg>) {
    call.on('data', (m: Msg) => this.responses.push(m));
    call.on('error', (e: grpc.ServiceError) => (this.error = { code: e.code, details: e.details }));
  }

  write(m: Msg): void {
    this.call.write(m);
  }

  /** Stops reading (flow control then pushes back on the server). */
  pause(): void {
    this.call.pause();
  }

  resume(): void {
    this.call.resume();
  }

  /** Waits until at least `n` responses arrived (bounded: a mismatch then shows up as a diff). */
  async waitFor(n: number): Promise<Msg[]> {
    const deadline = Date.now() + 15_000;
    while (this.responses.length < n && !this.error && Date.now() < deadline) await sleep(5);
    return this.responses.slice();
  }

  end(): void {
    this.call.end();
    this.call.cancel();
  }
}

/** Replaces identity and timing fields that legitimately differ between two servers. */
export function normaliseMsg(value: unknown, leaseIds: Map<string, string> = new Map()): unknown {
  if (Array.isArray(value)) return value.map((v) => normaliseMsg(v, leaseIds));
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (['cluster_id', 'member_id', 'raft_term'].includes(k)) out[k] = 'N';
      else if ((k === 'ID' || k === 'lease') && typeof v === 'string' && leaseIds.has(v)) {
        out[k] = leaseIds.get(v);
      } else out[k] = normaliseMsg(v, leaseIds);
    }
    return out;
  }
  return value;
}
