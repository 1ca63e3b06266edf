/**
 * Simulated nodes: kubelets without containers (kwok's model), any number in one process.
 *
 * ```ts
 * const clients = nodeClients({ transport });
 * const sim = new NodeSimulator({ clients, nodes: nodeSpecs({ count: 3 }) });
 * await sim.start();   // nodes registered and Ready, pods bound to them get run
 * …
 * await sim.stop();
 * ```
 *
 * See `simulator.ts` for the process model, `podruntime.ts`/`podstatus.ts` for what a pod goes
 * through, `kubelet.ts` for registration and heartbeats, `annotations.ts` for the
 * `kuberx.io/…` annotations that make nodes fail and pods exit.
 */
export * from './defaults.js';
export * from './annotations.js';
export {
  BearerTokenTransport,
  nodeClients,
  type NodeClients,
  type NodeClientsOptions,
} from './clients.js';
export { Heartbeats, type HeartbeatOptions, type HeartbeatTarget } from './heartbeat.js';
export { nodeIPFor, podCIDRFor, PodIPAllocator } from './ipam.js';
export { runLimited } from './heartbeat.js';
export { SimulatedNode } from './kubelet.js';
export { newNodeObject, nodeConditions, nodeLabels, type NodeSpec } from './nodeobject.js';
export { NodeSimulator, type NodeSimulatorOptions } from './simulator.js';
export { nodeSpecs, type NodeSpecsOptions } from './specs.js';
