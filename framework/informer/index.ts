/**
 * Informers: a list+watch feeding an indexed, frozen cache, with explicit relist events, handler
 * registration with replay and per-handler sync, bounded per-handler buffering, read-your-writes,
 * and a shared factory (one watch per kind and scope).
 */
export * from './defaults.js';
export * from './types.js';
export * from './rv.js';
export { Listener } from './listener.js';
export { SharedIndexInformer, type InformerOptions } from './informer.js';
export * from './factory.js';
