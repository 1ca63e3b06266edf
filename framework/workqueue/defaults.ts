/**
 * Workqueue defaults, with the upstream constant each one mirrors.
 */

/** Per-item exponential backoff base: 5 ms (client-go `DefaultTypedControllerRateLimiter`). */
export const defaultItemBaseDelayMs = 5;

/** Per-item exponential backoff cap: 1000 s (client-go `DefaultTypedControllerRateLimiter`). */
export const defaultItemMaxDelayMs = 1000 * 1000;

/** Overall token bucket refill: 10 items per second (client-go `rate.NewLimiter(10, 100)`). */
export const defaultBucketQps = 10;

/** Overall token bucket size: 100 (client-go `rate.NewLimiter(10, 100)`). */
export const defaultBucketBurst = 100;

/** Priority of initial-list and resync events in a priority queue (controller-runtime `LowPriority`). */
export const lowPriority = -100;

/** Priority of everything else. */
export const defaultPriority = 0;
