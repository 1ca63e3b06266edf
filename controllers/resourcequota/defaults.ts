/** ResourceQuota controller defaults (upstream `pkg/controller/resourcequota`). */

/** `--concurrent-resource-quota-syncs` 5. */
export const defaultResourceQuotaWorkers = 5;

/** `--resource-quota-sync-period` 5 min: every quota is recalculated this often. */
export const resourceQuotaSyncPeriodMs = 5 * 60 * 1000;

/** Priority of quotas whose usage is missing (upstream's separate `missingUsageQueue`). */
export const missingUsagePriority = 10;
