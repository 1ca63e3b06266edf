/**
 * The Node object a simulated kubelet registers and the status it posts, as a kubelet does
 * (`pkg/kubelet/kubelet_node_status.go`, `pkg/kubelet/nodestatus/setters.go`).
 *
 * - Labels: `kubernetes.io/hostname`, `kubernetes.io/os`, `kubernetes.io/arch` (and their
 *   `beta.` forms), `node.kubernetes.io/instance-type`, `topology.kubernetes.io/zone` and
 *   `region` — exactly the labels NodeRestriction lets a kubelet set.
 * - Status: capacity = allocatable, conditions MemoryPressure, DiskPressure, PIDPressure, Ready
 *   in the kubelet's order with its reasons and messages, InternalIP and Hostname addresses,
 *   `daemonEndpoints`, `nodeInfo`.
 * - A condition keeps its `lastTransitionTime` while its status is unchanged; `lastHeartbeatTime`
 *   is the time of the post.
 */
import { rfc3339, type Node } from '../../framework/index.js';
import type { NodeSimulation } from './annotations.js';
import { kubeletPort, nodeInfoDefaults } from './defaults.js';

/** What makes one simulated node. */
export interface NodeSpec {
  name: string;
  /** 1-based number; fixes the node's IP and pod CIDR. */
  number: number;
  zone: string;
  region: string;
  instanceType: string;
  cpu: string;
  memory: string;
  pods: number;
  ephemeralStorage: string;
  internalIP: string;
  podCIDR: string;
  /** Taints to register with (the kubelet's `--register-with-taints`). */
  taints?: readonly { key: string; value?: string; effect: string }[];
}

type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

/** Labels a kubelet sets on its Node. */
export function nodeLabels(spec: NodeSpec): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': nodeInfoDefaults.architecture,
    'beta.kubernetes.io/os': nodeInfoDefaults.operatingSystem,
    'kubernetes.io/arch': nodeInfoDefaults.architecture,
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': nodeInfoDefaults.operatingSystem,
    'node.kubernetes.io/instance-type': spec.instanceType,
    'topology.kubernetes.io/region': spec.region,
    'topology.kubernetes.io/zone': spec.zone,
  };
}

/** The conditions a kubelet in `simulation` posts at `now`, given the previous ones. */
export function nodeConditions(
  simulation: NodeSimulation,
  now: number,
  previous: readonly NodeCondition[] = [],
): NodeCondition[] {
  const stamp = rfc3339(new Date(now));
  const make = (type: string, status: string, reason: string, message: string): NodeCondition => {
    const old = previous.find((c) => c.type === type);
    return {
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: stamp,
      lastTransitionTime:
        old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : stamp,
    };
  };
  return [
    simulation.memoryPressure
      ? make(
          'MemoryPressure',
          'True',
          'KubeletHasInsufficientMemory',
          'kubelet has insufficient memory available',
        )
      : make(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
    simulation.diskPressure
      ? make('DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure')
      : make('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    simulation.pidPressure
      ? make(
          'PIDPressure',
          'True',
          'KubeletHasInsufficientPID',
          'kubelet has insufficient PID available',
        )
      : make(
          'PIDPressure',
          'False',
          'KubeletHasSufficientPID',
          'kubelet has sufficient PID available',
        ),
    simulation.notReady
      ? make(
          'Ready',
          'False',
          'KubeletNotReady',
          'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:simulated by kuberx.io/simulate=not-ready',
        )
      : make('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

/** `capacity` (= `allocatable`) of a node. */
export function nodeCapacity(spec: NodeSpec): Record<string, string> {
  return {
    cpu: spec.cpu,
    'ephemeral-storage': spec.ephemeralStorage,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: spec.memory,
    pods: String(spec.pods),
  };
}

/** The status fields other than conditions. */
export function nodeStatusBase(spec: NodeSpec): Omit<NonNullable<Node['status']>, 'conditions'> {
  const capacity = nodeCapacity(spec);
  return {
    capacity,
    allocatable: { ...capacity },
    addresses: [
      { type: 'InternalIP', address: spec.internalIP },
      { type: 'Hostname', address: spec.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    nodeInfo: {
      machineID: machineID(spec.name),
      systemUUID: systemUUID(spec.name),
      bootID: systemUUID(`${spec.name}/boot`),
      ...nodeInfoDefaults,
    },
  };
}

/** The Node a kubelet creates when it registers. */
export function newNodeObject(spec: NodeSpec, simulation: NodeSimulation, now: number): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: nodeLabels(spec),
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: spec.podCIDR,
      podCIDRs: [spec.podCIDR],
      providerID: `kuberx://${spec.name}`,
      ...(spec.taints?.length ? { taints: spec.taints.map((t) => ({ ...t })) } : {}),
    },
    status: { ...nodeStatusBase(spec), conditions: nodeConditions(simulation, now) },
  };
}

/** A stable 32-hex-digit id derived from a name (FNV-1a, repeated). */
function machineID(name: string): string {
  let out = '';
  for (let round = 0; out.length < 32; round++) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < name.length; i++) {
      h ^= name.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 32);
}

function systemUUID(name: string): string {
  const h = machineID(name);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
