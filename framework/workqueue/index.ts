/**
 * Work queues with client-go's guarantees and controller-runtime's priority queue: de-duplication
 * (dirty/processing sets), delays, rate limiters and Prometheus metric hooks.
 */
export * from './defaults.js';
export * from './metrics.js';
export { Queue, type QueueInterface, type QueueOptions, type GetResult } from './queue.js';
export { DelayingQueue, type DelayingQueueInterface } from './delaying.js';
export * from './ratelimiter.js';
export {
  RateLimitingQueue,
  type RateLimitingQueueInterface,
  type RateLimitingQueueOptions,
} from './ratelimiting.js';
export { PriorityQueue, type AddOpts, type PriorityQueueOptions } from './priority.js';
