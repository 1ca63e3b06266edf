/**
 * The result of a plugin at one extension point (upstream `fwk.Status`).
 *
 * Success is `undefined` everywhere on the hot path: plugins return a {@link Status} only to
 * reject a node, skip themselves or report an error. A status carries its reasons (the strings
 * counted into `0/N nodes are available: …`) and the plugin that produced it.
 */

/** Upstream `fwk.Code`. */
export enum Code {
  Success = 0,
  /** An internal error: the pod is retried with backoff and reported as `SchedulerError`. */
  Error = 1,
  /** The node does not fit now; preemption may help. */
  Unschedulable = 2,
  /** The node cannot fit whatever is preempted. */
  UnschedulableAndUnresolvable = 3,
  /** PreFilter/PreScore: the plugin has nothing to do for this pod. */
  Skip = 5,
}

export class Status {
  /** The plugin that returned it (set by the framework runtime). */
  plugin = '';

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
  ) {}

  /** The reasons joined by `, ` (upstream `Status.Message`). */
  message(): string {
    return this.reasons.join(', ');
  }

  /** Unschedulable or UnschedulableAndUnresolvable (upstream `IsRejected`). */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }

  /** A copy attributed to `plugin`. */
  withPlugin(plugin: string): Status {
    if (this.plugin === plugin) return this;
    const s = new Status(this.code, this.reasons);
    s.plugin = plugin;
    return s;
  }
}

/** A rejection with one or more reasons. */
export function unschedulable(...reasons: string[]): Status {
  return new Status(Code.Unschedulable, reasons);
}

/** A rejection preemption cannot fix. */
export function unresolvable(...reasons: string[]): Status {
  return new Status(Code.UnschedulableAndUnresolvable, reasons);
}

/** An internal error. */
export function asErrorStatus(err: unknown): Status {
  return new Status(Code.Error, [err instanceof Error ? err.message : String(err)]);
}

/** The shared Skip status. */
export const skip = new Status(Code.Skip);

/** True for `undefined` or a Success status. */
export function isSuccess(s: Status | undefined): boolean {
  return s === undefined || s.code === Code.Success;
}
