/** Helpers on API errors that the controllers share. */
import { StatusError } from '../../framework/index.js';
import { namespaceTerminatingCause } from './defaults.js';

/** apimachinery `HasStatusCause`: the error is a Status carrying a cause of `type`. */
export function hasStatusCause(err: unknown, type: string): boolean {
  if (!(err instanceof StatusError)) return false;
  return (err.status.details?.causes ?? []).some((c) => c.reason === type);
}

/**
 * True for a create refused because the namespace is being deleted: every controller swallows it,
 * since all further creates there fail the same way.
 */
export function isNamespaceTerminating(err: unknown): boolean {
  return hasStatusCause(err, namespaceTerminatingCause);
}

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Several errors reported as one (apimachinery `utilerrors.NewAggregate`). */
export class AggregateError extends Error {
  constructor(readonly errors: Error[]) {
    super(
      errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join(', ')}]`,
    );
    this.name = 'AggregateError';
  }
}

/** undefined for no errors, the error itself for one, an {@link AggregateError} for several. */
export function aggregate(errors: Error[]): Error | undefined {
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  return new AggregateError(errors);
}
