/** CronJob controller defaults and names (`pkg/controller/cronjob`). */

/** Workers (`--concurrent-cron-job-syncs`). */
export const defaultConcurrentSyncs = 5;

/** Added to every requeue for the next schedule, against clock skew (`nextScheduleDelta`). */
export const nextScheduleDeltaMs = 100;

/** More missed schedules than this raise `TooManyMissedTimes`. */
export const tooManyMissed = 100;

/** The event source of the controller's events. */
export const cronJobComponent = 'cronjob-controller';

/** Annotation with the scheduled time of a Job, RFC 3339 in the CronJob's zone. */
export const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
