/**
 * Which manager a write is recorded under, as upstream's handlers decide: the `fieldManager`
 * query parameter when given, else the User-Agent up to its first `/` (non-printable characters
 * dropped, cut at 128 bytes), e.g. `kubectl` for `kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0`.
 */
import { fieldManagerMaxLength } from './defaults.js';

export function managerOrUserAgent(
  fieldManager: string | undefined,
  userAgent: string | undefined,
): string {
  if (fieldManager) return fieldManager;
  return prefixFromUserAgent(userAgent ?? '');
}

/** upstream `prefixFromUserAgent`. */
export function prefixFromUserAgent(userAgent: string): string {
  const prefix = userAgent.split('/')[0];
  let out = '';
  let bytes = 0;
  for (const ch of prefix) {
    if (!isPrint(ch)) continue;
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > fieldManagerMaxLength) break;
    out += ch;
    bytes += size;
  }
  return out;
}

/** Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrint(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}
