/**
 * The reconcile contract (controller-runtime `pkg/reconcile`).
 *
 * Reconciliation is level-based: a {@link Request} names an object, not what happened to it. The
 * reconciler reads the current state (from the cache), makes the world match, and returns:
 *
 * | outcome                         | what happens                                             | `reconcile_total{result}` |
 * | ------------------------------- | -------------------------------------------------------- | ------------------------- |
 * | throws / rejects                | requeued with per-item exponential backoff               | `error`                   |
 * | throws a {@link TerminalError}  | not retried (counted in `terminal_reconcile_errors_total`) | `error`                 |
 * | `{ requeueAfter: ms }`          | failures forgotten, requeued after `ms`                  | `requeue_after`           |
 * | `{ requeue: true }` (deprecated) | requeued with backoff                                   | `requeue`                 |
 * | nothing / `{}`                  | failures forgotten                                       | `success`                 |
 *
 * A result returned together with an error is ignored. The same request is never reconciled by
 * two workers at once.
 */
import type { Logger } from '../../common/index.js';

/** The object to reconcile. `namespace` is `''` for cluster-scoped objects. */
export interface Request {
  readonly namespace: string;
  readonly name: string;
}

export interface Result {
  /** Reconcile again after this many milliseconds. */
  requeueAfter?: number;
  /** @deprecated Use `requeueAfter` (controller-runtime deprecates `Requeue` too). */
  requeue?: boolean;
}

/** What a reconcile run gets besides its request. */
export interface ReconcileContext {
  readonly request: Request;
  /** A unique id per run, also in every log line of the run. */
  readonly reconcileID: string;
  /** Aborted when the controller shuts down or the reconcile timeout passes. */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

export interface Reconciler {
  reconcile(request: Request, context: ReconcileContext): Promise<Result | void> | Result | void;
}

/** An error that must not be retried (controller-runtime `reconcile.TerminalError`). */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** True for a {@link TerminalError}, or any error whose `cause` chain contains one. */
export function isTerminalError(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof TerminalError) return true;
  return false;
}

/** `namespace/name`, or `name` for cluster-scoped objects: the queue key of a request. */
export function requestKey(req: Request): string {
  return req.namespace ? `${req.namespace}/${req.name}` : req.name;
}

export function requestFromKey(key: string): Request {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
