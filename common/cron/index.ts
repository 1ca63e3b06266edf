/**
 * Cron schedules as robfig/cron v3 `ParseStandard` reads them (CronJob validation in the API
 * server, scheduling in the CronJob controller), and wall-clock arithmetic in IANA time zones.
 */
export * from './cron.js';
export * from './timezone.js';
