/**
 * Resource locks for leader election (client-go `resourcelock`). Only Leases exist upstream now
 * ("endpoints lock is removed, migrate to leases"); {@link LeaseLock} stores the election record in
 * a `coordination.k8s.io/v1` Lease and updates it with optimistic concurrency, so two candidates
 * can never both win the same update.
 */
import { isNotFound } from '../../common/index.js';
import { kinds, type ApiClient, type Lease } from '../client/index.js';

/** The election record (client-go `LeaderElectionRecord`); times are ms since the epoch. */
export interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: number;
  renewTime: number;
  leaderTransitions: number;
}

export interface ResourceLock {
  /** This candidate's identity. */
  readonly identity: string;
  describe(): string;
  /** The current record and a raw form to detect changes; `undefined` when there is no lock yet. */
  get(): Promise<{ record: LeaderElectionRecord; raw: string } | undefined>;
  create(record: LeaderElectionRecord): Promise<void>;
  /** Fails when the lock changed since the last `get`/`create`/`update` (a conflict). */
  update(record: LeaderElectionRecord): Promise<void>;
}

/** `metav1.MicroTime` text: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaseLock implements ResourceLock {
  private lease: Lease | undefined;

  constructor(
    private readonly client: ApiClient,
    readonly namespace: string,
    readonly name: string,
    readonly identity: string,
  ) {}

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  async get(): Promise<{ record: LeaderElectionRecord; raw: string } | undefined> {
    try {
      this.lease = await this.client.get(kinds.Lease, this.name, { namespace: this.namespace });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const spec = this.lease.spec ?? {};
    return {
      record: {
        holderIdentity: spec.holderIdentity ?? '',
        leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
        acquireTime: spec.acquireTime ? Date.parse(spec.acquireTime) : 0,
        renewTime: spec.renewTime ? Date.parse(spec.renewTime) : 0,
        leaderTransitions: spec.leaseTransitions ?? 0,
      },
      raw: JSON.stringify(spec),
    };
  }

  async create(record: LeaderElectionRecord): Promise<void> {
    this.lease = await this.client.create<Lease>({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace },
      spec: toSpec(record),
    });
  }

  async update(record: LeaderElectionRecord): Promise<void> {
    if (!this.lease) throw new Error('lease not initialized, call get or create first');
    this.lease = await this.client.update<Lease>({ ...this.lease, spec: toSpec(record) });
  }
}

function toSpec(record: LeaderElectionRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: microTime(record.acquireTime),
    renewTime: microTime(record.renewTime),
    leaseTransitions: record.leaderTransitions,
  };
}
