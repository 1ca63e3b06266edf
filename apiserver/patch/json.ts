/**
 * The two patch formats that need no schema: JSON patch (RFC 6902, `application/json-patch+json`,
 * applied with fast-json-patch) and JSON merge patch (RFC 7386,
 * `application/merge-patch+json`). Strategic merge patch lives in `./strategic/`.
 *
 * Errors, as upstream's patcher reports them: a patch that is not a JSON array of operations →
 * 400; an operation that cannot apply (missing path, failed `test`) → 422; copies that would
 * add more than `jsonPatchMaxCopyBytes` → 422. Inputs are never modified.
 */
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { newBadRequest, StatusError } from '../../common/index.js';
import { jsonPatchMaxCopyBytes } from '../defaults.js';

const { applyOperation, validate, getValueByPointer } = fastJsonPatch;

function unprocessable(message: string): StatusError {
  return new StatusError({ code: 422, reason: 'Invalid', message });
}

/** Applies a JSON patch document (already parsed) to `doc`. */
export function applyJsonPatch<T>(doc: T, patch: unknown): T {
  if (!Array.isArray(patch)) {
    throw newBadRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  const ops = patch as Operation[];
  const invalid = validate(ops);
  if (invalid) throw newBadRequest(invalid.message.split('\n')[0] ?? 'invalid JSON patch');
  let current: T = structuredClone(doc);
  let copied = 0;
  for (const op of ops) {
    try {
      if (op.op === 'copy') {
        const value = getValueByPointer(current, op.from);
        copied += JSON.stringify(value ?? null).length;
        if (copied > jsonPatchMaxCopyBytes) {
          throw unprocessable(
            `Unable to apply patch: efficient-copy-operations exceeded the limit of ${jsonPatchMaxCopyBytes} bytes`,
          );
        }
      }
      current = applyOperation(current, op, true, true).newDocument;
    } catch (err) {
      if (err instanceof StatusError) throw err;
      const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw unprocessable(`${op.op} operation does not apply: ${message}`);
    }
  }
  return current;
}

/** RFC 7386: objects merge key by key, `null` removes a key, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    return structuredClone(patch);
  }
  const base =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete base[key];
    else base[key] = applyMergePatch(base[key], value);
  }
  return base;
}
