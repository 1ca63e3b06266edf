/**
 * Shared foundations of kuberx: the Status error type, injectable clocks, structured logging,
 * label selectors, `resource.Quantity`, Go durations and cron schedules.
 */
export * from './errors.js';
export * from './clock.js';
export * from './logging.js';
export * from './labels.js';
export * from './quantity/index.js';
export * from './duration.js';
export * from './cron/index.js';
