/**
 * The Kubernetes client: object types, built-in kinds, transport (through client-node's
 * KubeConfig), REST mapping by discovery, and the typed/dynamic client with its helpers.
 */
export * from './types.js';
export * from './kinds.js';
