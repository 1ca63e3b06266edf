/**
 * The manager: runs controllers and runnables with shared informers, a cached client, metrics and
 * probes, an inversify container, leader election and graceful shutdown.
 */
export * from './defaults.js';
export * from './tokens.js';
export * from './health.js';
export * from './manager.js';
