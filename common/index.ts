/** Shared foundations of kuberx: the Status error type, injectable clocks and structured logging. */
export * from './errors.js';
export * from './clock.js';
export * from './logging.js';
export * from './labels.js';
