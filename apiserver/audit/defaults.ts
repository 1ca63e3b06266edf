/**
 * Defaults of the audit log.
 */

/** Permissions of the audit log file (owner read/write only). */
export const auditLogFileMode = 0o600;

/**
 * Bytes of events the log may hold unwritten when the disk is slower than the server; events
 * beyond it are dropped (and counted) rather than buffered without bound.
 */
export const maxBufferedBytes = 8 * 1024 * 1024;
