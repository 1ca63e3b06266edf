/**
 * Upstream `admission.NewForbidden(a, err)`: 403 `<resource> "<name>" is forbidden: <reason>`,
 * where the name comes from the attributes, else from the object's name or generateName (names
 * are not generated yet when mutating plugins run).
 */
import { newForbidden, type StatusError } from '../../common/index.js';
import type { AdmissionAttributes } from './types.js';

/** 403 Forbidden for the object of `attrs`, with `reason` after `is forbidden:`. */
export function admissionForbidden(attrs: AdmissionAttributes, reason: string): StatusError {
  const meta = attrs.object?.metadata;
  const name = attrs.name || meta?.name || meta?.generateName || 'Unknown';
  return newForbidden(
    { group: attrs.resource.group, resource: attrs.resource.resource },
    name,
    reason,
  );
}

/** Upstream's aggregate error text: one message as is, several as `[a, b]`. */
export function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}
