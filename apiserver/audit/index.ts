/**
 * Audit logging (`--audit-log-path`, `--audit-policy-file`): upstream's Policy and Event
 * formats at Metadata level, written as JSON lines.
 */
export { auditFilter, microTime, type AuditOptions } from './filter.js';
export { AuditLogFile, type AuditSink } from './log.js';
export {
  parseAuditPolicy,
  evaluatePolicy,
  ruleMatches,
  metadataPolicy,
  type AuditLevel,
  type AuditPolicy,
  type AuditStage,
  type PolicyRule,
} from './policy.js';
export * as auditDefaults from './defaults.js';
