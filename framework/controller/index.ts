/**
 * The controller runtime: the reconcile contract, controllers with workers and a priority queue,
 * predicates, event handlers (object, owner, map function), the builder, and the finalizer and
 * expectations helpers.
 */
export * from './defaults.js';
export * from './reconcile.js';
export * from './metrics.js';
export * from './predicates.js';
export * from './handlers.js';
export * from './controller.js';
export * from './builder.js';
export * from './finalizer.js';
export * from './expectations.js';
