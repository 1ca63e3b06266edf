/** Leader election on coordination.k8s.io Leases, with client-go's algorithm and 15/10/2 s defaults. */
export * from './defaults.js';
export * from './lock.js';
export * from './elector.js';
