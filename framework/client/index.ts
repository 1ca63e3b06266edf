/**
 * The Kubernetes client: object types, built-in kinds, transport (through client-node's
 * KubeConfig), REST mapping by discovery, and the typed/dynamic client with its helpers.
 */
export * from './types.js';
export * from './kinds.js';
export * from './defaults.js';
export * from './transport.js';
export * from './kubeconfig.js';
export * from './rest.js';
export * from './restmapper.js';
export * from './apiclient.js';
export * from './client.js';
export * from './meta.js';
export * from './mutate.js';
export * from './events.js';
