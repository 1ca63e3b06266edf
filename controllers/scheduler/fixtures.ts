/**
 * Builders of Nodes and Pods for the scheduler's tests and benchmarks (in the spirit of upstream's
 * `st.MakeNode()` / `st.MakePod()`). Every field is plain JSON as the API server would send it.
 */
import type { Node, Pod } from '../../framework/index.js';

type PodSpec = NonNullable<Pod['spec']>;
type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  /** Extra allocatable resources (`nvidia.com/gpu: '2'`). */
  extra?: Record<string, string>;
}

export function makeNode(name: string, o: NodeOptions = {}): Node {
  const allocatable: Record<string, string> = {
    cpu: o.cpu ?? '4',
    memory: o.memory ?? '32Gi',
    pods: o.pods ?? '110',
    ...o.extra,
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `node-uid-${name}`,
      resourceVersion: '1',
      labels: { 'kubernetes.io/hostname': name, ...o.labels },
    },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

export interface PodOptions {
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  /** Requests of the single container (omit for a best-effort pod). */
  cpu?: string;
  memory?: string;
  priority?: number;
  nodeName?: string;
  /** Anything else of the spec (affinity, tolerations, ports, …). */
  spec?: Partial<PodSpec>;
  status?: Pod['status'];
  deletionTimestamp?: string;
  creationTimestamp?: string;
  ownerReferences?: NonNullable<Pod['metadata']>['ownerReferences'];
}

let seq = 0;

export function makePod(name: string, o: PodOptions = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  const namespace = o.namespace ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: o.uid ?? `uid-${namespace}-${name}-${++seq}`,
      resourceVersion: String(seq),
      labels: o.labels,
      deletionTimestamp: o.deletionTimestamp,
      creationTimestamp: o.creationTimestamp,
      ownerReferences: o.ownerReferences,
    },
    spec: {
      schedulerName: 'default-scheduler',
      containers: [
        {
          name: 'c',
          image: 'registry.k8s.io/pause:3.10',
          resources: Object.keys(requests).length > 0 ? { requests } : undefined,
        },
      ],
      priority: o.priority,
      nodeName: o.nodeName,
      ...o.spec,
    },
    status: o.status ?? { phase: 'Pending' },
  };
}

/** A copy of `pod` with a new resourceVersion and `change` applied to a clone. */
export function updatedPod(pod: Pod, change: (p: Pod) => void): Pod {
  const copy = structuredClone(pod);
  copy.metadata!.resourceVersion = String(++seq);
  change(copy);
  return copy;
}
