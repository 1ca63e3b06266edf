/**
 * Helpers the reference controllers share (kube-controller-manager's `pkg/controller` utilities):
 * the controllerRef manager, expectations with tracked deletions, pod readiness and availability,
 * the deletion ranking, semantic equality, the pod-template-hash, slow-start batches, pod creation
 * and deletion with events, the controller-UID index, the event spam filter, and the scheduling
 * predicates (taints and tolerations, required node affinity), routing child events to owners,
 * and typed shared informers.
 */
export * from './defaults.js';
export * from './errors.js';
export * from './pods.js';
export * from './ranking.js';
export * from './equality.js';
export * from './hash.js';
export * from './intstr.js';
export * from './expectations.js';
export * from './slowstart.js';
export * from './indexers.js';
export * from './controllerref.js';
export * from './events.js';
export * from './podcontrol.js';
export * from './scheduling.js';
export * from './ownerrouting.js';
export * from './informers.js';
