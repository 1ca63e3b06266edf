/**
 * The scheduler_perf workloads `npm run bench:scheduler` runs (upstream
 * `test/integration/scheduler_perf/{misc,affinity}/performance-config.yaml` and its templates),
 * each on 5000 nodes of 4 cpu / 32Gi / 110 pods:
 *
 * - SchedulingBasic: `pod-default` (100m cpu, 500Mi, containerPort 80).
 * - SchedulingNodeAffinity: nodes labelled `topology.kubernetes.io/zone: zone1`; pods require
 *   zone In [zone1, zone2].
 * - SchedulingPodAntiAffinity: pods labelled `color: green` with required anti-affinity to
 *   `color: green` on `kubernetes.io/hostname` across namespaces sched-0 and sched-1; the init
 *   pods are in sched-0, the measured ones in sched-1 (so every pod needs its own node).
 * - SchedulingTopologySpreading: nodes spread over zones moderate1…3; pods labelled `color: blue`
 *   with a DoNotSchedule zone constraint of maxSkew 5.
 *
 * Upstream's CI floors (minimum average pods/s over 250 runs on large machines): 680–810 basic,
 * 220 node affinity, 60 pod anti-affinity; topology spreading has none in the reference.
 */
import { makeNode, makePod } from '../controllers/scheduler/index.js';
import type { Node, Pod } from '../framework/index.js';

export interface Workload {
  name: string;
  nodes: number;
  initPods: number;
  measuredPods: number;
  /** Upstream's threshold, when it has one. */
  upstreamFloor?: string;
  node(i: number): Node;
  initPod(i: number): Pod;
  measuredPod(i: number): Pod;
}

const defaultResources = { cpu: '100m', memory: '500Mi' };

function podDefault(
  name: string,
  namespace = 'default',
  extra: Partial<Pod['spec']> = {},
  labels?: Record<string, string>,
): Pod {
  return makePod(name, {
    namespace,
    labels,
    spec: {
      containers: [
        {
          name: 'pause',
          image: 'registry.k8s.io/pause:3.10.1',
          ports: [{ containerPort: 80 }],
          resources: { limits: defaultResources, requests: defaultResources },
        },
      ],
      ...extra,
    },
  });
}

const node = (i: number, labels: Record<string, string> = {}) =>
  makeNode(`scheduler-perf-${i}`, { cpu: '4', memory: '32Gi', pods: '110', labels });

const antiAffinity = {
  affinity: {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          labelSelector: { matchLabels: { color: 'green' } },
          topologyKey: 'kubernetes.io/hostname',
          namespaces: ['sched-1', 'sched-0'],
        },
      ],
    },
  },
};

export function workloads(nodes = 5000, scale = 1): Workload[] {
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  return [
    {
      name: 'SchedulingBasic',
      nodes,
      initPods: n(1000),
      measuredPods: n(10000),
      upstreamFloor: '680 (5000Nodes_10000Pods), 810 (5000Nodes_50000Pods)',
      node: (i) => node(i),
      initPod: (i) => podDefault(`init-${i}`),
      measuredPod: (i) => podDefault(`pod-${i}`),
    },
    {
      name: 'SchedulingNodeAffinity',
      nodes,
      initPods: n(1000),
      measuredPods: n(10000),
      upstreamFloor: '220',
      node: (i) => node(i, { 'topology.kubernetes.io/zone': 'zone1' }),
      initPod: (i) => podDefault(`init-${i}`),
      measuredPod: (i) =>
        podDefault(`node-affinity-${i}`, 'default', {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      {
                        key: 'topology.kubernetes.io/zone',
                        operator: 'In',
                        values: ['zone1', 'zone2'],
                      },
                    ],
                  },
                ],
              },
            },
          },
        }),
    },
    {
      name: 'SchedulingPodAntiAffinity',
      nodes,
      initPods: n(1000),
      measuredPods: n(1000),
      upstreamFloor: '60 (5000Nodes_2000Pods)',
      node: (i) => node(i),
      initPod: (i) => podDefault(`anti-init-${i}`, 'sched-0', antiAffinity, { color: 'green' }),
      measuredPod: (i) =>
        podDefault(`anti-affinity-pod-${i}`, 'sched-1', antiAffinity, { color: 'green' }),
    },
    {
      name: 'SchedulingTopologySpreading',
      nodes,
      initPods: n(1000),
      measuredPods: n(10000),
      node: (i) => node(i, { 'topology.kubernetes.io/zone': `moderate${(i % 3) + 1}` }),
      initPod: (i) => podDefault(`init-${i}`),
      measuredPod: (i) =>
        podDefault(
          `spreading-pod-${i}`,
          'default',
          {
            topologySpreadConstraints: [
              {
                maxSkew: 5,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'DoNotSchedule',
                labelSelector: { matchLabels: { color: 'blue' } },
              },
            ],
          },
          { color: 'blue' },
        ),
    },
  ];
}
