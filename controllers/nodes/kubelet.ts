/**
 * One simulated kubelet's node-level duties, with its own client (its own identity):
 *
 * - {@link SimulatedNode.register}: create the Node (labels, capacity, conditions, pod CIDR) or,
 *   when it exists already (a restart), take it over — its uid, pod CIDR and
 *   `kuberx.io/simulate` annotation — and post fresh status (upstream `tryRegisterWithAPIServer`).
 * - {@link SimulatedNode.renewLease}: the heartbeat Lease `kube-node-lease/<name>`
 *   (`holderIdentity` = name, 40 s, owner = the Node), created when missing, renewed by update;
 *   a conflict makes the next renewal read the Lease again.
 * - {@link SimulatedNode.postStatus}: a strategic merge patch of `nodes/<name>/status` with the
 *   conditions for the current simulation and the capacity; conditions keep their transition times.
 *
 * Errors are thrown to the caller (the heartbeat batcher logs and retries at the next beat).
 */
import {
  isAlreadyExists,
  isConflict,
  isNotFound,
  Lease,
  microTime,
  Node,
  type ApiClient,
  type Clock,
} from '../../framework/index.js';
import { parseNodeSimulation, type NodeSimulation } from './annotations.js';
import { nodeLeaseDurationSeconds } from './defaults.js';
import { PodIPAllocator } from './ipam.js';
import { newNodeObject, nodeConditions, nodeStatusBase, type NodeSpec } from './nodeobject.js';

const leaseNamespace = 'kube-node-lease';

type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

export class SimulatedNode {
  uid = '';
  simulation: NodeSimulation = {
    failed: false,
    notReady: false,
    memoryPressure: false,
    diskPressure: false,
    pidPressure: false,
  };
  /** The Node was deleted: this kubelet does nothing more (upstream does not re-register). */
  deleted = false;
  ips: PodIPAllocator;
  podCIDR: string;
  private lease: Lease | undefined;
  private conditions: NodeCondition[] = [];

  constructor(
    readonly spec: NodeSpec,
    readonly client: ApiClient,
    private readonly clock: Clock,
  ) {
    this.podCIDR = spec.podCIDR;
    this.ips = new PodIPAllocator(spec.podCIDR);
  }

  get name(): string {
    return this.spec.name;
  }

  get ip(): string {
    return this.spec.internalIP;
  }

  /** Creates or takes over the Node, then ensures its Lease. */
  async register(): Promise<void> {
    const now = this.clock.now();
    let node: Node;
    try {
      node = await this.client.create(newNodeObject(this.spec, this.simulation, now), {
        kind: Node,
      });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      node = await this.client.get(Node, this.name);
      this.simulation = parseNodeSimulation(node.metadata?.annotations).simulation;
      this.conditions = [...(node.status?.conditions ?? [])];
      const cidr = node.spec?.podCIDR;
      if (cidr && cidr !== this.podCIDR) {
        this.podCIDR = cidr;
        this.ips = new PodIPAllocator(cidr);
      }
      this.uid = node.metadata?.uid ?? '';
      if (!this.simulation.failed) {
        await this.postStatus();
        await this.renewLease();
      }
      return;
    }
    this.uid = node.metadata?.uid ?? '';
    this.conditions = [...(node.status?.conditions ?? [])];
    await this.renewLease();
  }

  /** Applies a new `kuberx.io/simulate` value; true when the posted conditions must change. */
  setSimulation(simulation: NodeSimulation): { changed: boolean; resumed: boolean } {
    const before = this.simulation;
    this.simulation = simulation;
    const changed =
      before.notReady !== simulation.notReady ||
      before.memoryPressure !== simulation.memoryPressure ||
      before.diskPressure !== simulation.diskPressure ||
      before.pidPressure !== simulation.pidPressure;
    return { changed, resumed: before.failed && !simulation.failed };
  }

  /**
   * Whether the Node as the API shows it has conditions other than the ones this kubelet posts
   * (e.g. the node lifecycle controller set them Unknown): the kubelet then posts again, as
   * upstream's kubelet does when its periodic check finds the status changed.
   */
  statusDiffers(node: Readonly<Node>): boolean {
    if (this.simulation.failed) return false;
    const want = nodeConditions(this.simulation, 0);
    const have = node.status?.conditions ?? [];
    return want.some((w) => have.find((h) => h.type === w.type)?.status !== w.status);
  }

  async renewLease(): Promise<void> {
    const now = microTime(this.clock.now());
    if (!this.lease) {
      try {
        this.lease = await this.client.get(Lease, this.name, { namespace: leaseNamespace });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.lease = await this.client.create<Lease>(
          {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: {
              name: this.name,
              namespace: leaseNamespace,
              ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.name, uid: this.uid }],
            },
            spec: {
              holderIdentity: this.name,
              leaseDurationSeconds: nodeLeaseDurationSeconds,
              renewTime: now,
            },
          },
          { kind: Lease },
        );
        return;
      }
    }
    const next: Lease = {
      ...this.lease,
      spec: {
        ...this.lease.spec,
        holderIdentity: this.name,
        leaseDurationSeconds: nodeLeaseDurationSeconds,
        renewTime: now,
      },
    };
    try {
      this.lease = await this.client.update(next, { kind: Lease });
    } catch (err) {
      if (isConflict(err) || isNotFound(err)) this.lease = undefined;
      throw err;
    }
  }

  async postStatus(): Promise<void> {
    const conditions = nodeConditions(this.simulation, this.clock.now(), this.conditions);
    const node = await this.client.patch(
      Node,
      this.name,
      {
        status: {
          ...nodeStatusBase({ ...this.spec, podCIDR: this.podCIDR }),
          '$setElementOrder/conditions': conditions.map((c) => ({ type: c.type })),
          conditions,
        },
      },
      { type: 'strategic', subresource: 'status' },
    );
    this.conditions = [...(node.status?.conditions ?? conditions)];
  }
}
