/**
 * The informer cache: an indexed, frozen object store, plus the transforms applied before caching.
 */
export * from './defaults.js';
export * from './freeze.js';
export * from './transform.js';
export * from './indexer.js';
