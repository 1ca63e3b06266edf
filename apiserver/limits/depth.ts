/**
 * The nesting-depth guard of decoded request bodies (see `defaults.maxNestingDepth`): a body
 * nested deeper is 400 `error decoding request body: exceeded max depth of 1000`, checked without
 * recursion so the check itself cannot exhaust the stack.
 */
import { newBadRequest } from '../../common/index.js';
import * as defaults from './defaults.js';

/** Throws 400 when `value` nests objects or arrays deeper than `max`; returns `value`. */
export function checkNestingDepth<T>(value: T, max: number = defaults.maxNestingDepth): T {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) {
      throw newBadRequest(`error decoding request body: exceeded max depth of ${max}`);
    }
    for (const child of Array.isArray(v) ? v : Object.values(v as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return value;
}
