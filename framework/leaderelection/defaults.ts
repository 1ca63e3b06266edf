/**
 * Leader election defaults (controller-runtime `pkg/manager/internal.go`; client-go itself sets
 * none).
 */

/** How long a lease is valid without renewal: 15 s. */
export const defaultLeaseDurationMs = 15_000;

/** How long the leader keeps retrying to renew before giving up: 10 s. */
export const defaultRenewDeadlineMs = 10_000;

/** Time between attempts: 2 s. */
export const defaultRetryPeriodMs = 2_000;

/** Retries are spread by up to this factor of the retry period (client-go `JitterFactor`). */
export const jitterFactor = 1.2;
