/**
 * Defaults of the simulated kubelets, each with the upstream value it mirrors
 * (`pkg/kubelet/apis/config/v1beta1/defaults.go`, `component-helpers/apimachinery/lease`,
 * kwok's node template) and its unit in the name.
 */

/** Prefix of generated node names: `kuberx-node-1`, `kuberx-node-2`, … */
export const defaultNodeNamePrefix = 'kuberx-node-';

/** `capacity.cpu` of a simulated node (cores). */
export const defaultNodeCPU = '4';

/** `capacity.memory` of a simulated node. */
export const defaultNodeMemory = '16Gi';

/** `capacity.pods`: the kubelet's `maxPods` default. */
export const defaultMaxPods = 110;

/** `capacity.ephemeral-storage` of a simulated node. */
export const defaultNodeEphemeralStorage = '100Gi';

/** Zones the nodes are spread over (`topology.kubernetes.io/zone`), round-robin. */
export const defaultZones: readonly string[] = ['zone-a'];

/** `topology.kubernetes.io/region` of every node. */
export const defaultRegion = 'region-1';

/** `node.kubernetes.io/instance-type` of every node. */
export const defaultInstanceType = 'kuberx.sim';

/** `nodeLeaseDurationSeconds` 40. */
export const nodeLeaseDurationSeconds = 40;

/** Lease renew interval: `0.25 × 40 s` = 10 s (`nodeLeaseRenewIntervalFraction`). */
export const nodeLeaseRenewIntervalMs = 10_000;

/** Jitter of the renew interval (component-helpers' lease controller: 4 %). */
export const nodeLeaseRenewJitter = 0.04;

/** `nodeStatusReportFrequency` 5 min: status is posted this often even when nothing changed. */
export const nodeStatusReportFrequencyMs = 5 * 60_000;

/**
 * Heartbeats due within this window are sent in one batch, so a process with thousands of nodes
 * wakes up a few times per second instead of once per node.
 */
export const heartbeatBatchWindowMs = 250;

/** Most heartbeat writes in flight at once. */
export const heartbeatConcurrency = 64;

/** Workers syncing pod status (all nodes of one process share them). */
export const defaultPodWorkers = 16;

/** Default run time of containers of `restartPolicy: Never/OnFailure` pods. */
export const defaultRunTimeMs = 1000;

/** Run time of init containers, unless the pod's annotation says otherwise. */
export const defaultInitRunTimeMs = 0;

/** Exit code of a container stopped by a graceful deletion (128 + SIGTERM). */
export const terminatedBySignalExitCode = 143;

/** Kubelet container restart back-off: 10 s doubling up to 300 s (`MaxContainerBackOff`). */
export const restartBackOffInitialMs = 10_000;
export const restartBackOffMaxMs = 300_000;

/** A container that ran this long without failing starts its back-off from the beginning again. */
export const restartBackOffResetMs = 2 * restartBackOffMaxMs;

/** Port in `status.daemonEndpoints.kubeletEndpoint` (the kubelet's `--port`). */
export const kubeletPort = 10250;

/**
 * Pod CIDRs: node number `i` (1-based) gets `10.<64 + ⌊(i-1)/256⌋>.<(i-1) mod 256>.0/24`, from
 * `10.64.0.0/10` (upstream's node IPAM hands out /24s from `--cluster-cidr` the same way). That is
 * room for 16,384 nodes.
 */
export const podCIDRBaseSecondOctet = 64;
export const maxNodeNumber = 16_384;

/** InternalIP of node `i`: `172.18.<⌊i/250⌋>.<i mod 250 + 2>`, as kind's docker network does. */
export const nodeIPPrefix = '172.18';

/** nodeInfo values reported by every simulated node. */
export const nodeInfoDefaults = {
  kernelVersion: '6.8.0-kuberx',
  osImage: 'kuberx simulated node',
  containerRuntimeVersion: 'kuberx://0.1.0',
  kubeletVersion: 'v1.33.0-kuberx',
  kubeProxyVersion: 'v1.33.0-kuberx',
  operatingSystem: 'linux',
  architecture: 'amd64',
} as const;

/** Field manager (and user agent) of the simulated kubelets' writes. */
export const kubeletFieldManager = 'kubelet';
