/**
 * Injection tokens of the manager's inversify container. Classes are bound too (`Client`,
 * `ApiClient`, `SharedInformerFactory`, `Manager`, `KubeConfig`), so `@injectable()` classes receive
 * them by constructor type; the tokens name what has no class of its own.
 */
export const TOKENS = {
  /** The injected `Clock`. */
  Clock: Symbol.for('kuberx.Clock'),
  /** `(name: string) => EventRecorder`. */
  EventRecorderFactory: Symbol.for('kuberx.EventRecorderFactory'),
  /** The current reconcile's `ReconcileContext` (per-reconcile scope only). */
  ReconcileContext: Symbol.for('kuberx.ReconcileContext'),
  /** The current reconcile's `Request` (per-reconcile scope only). */
  Request: Symbol.for('kuberx.Request'),
  /** The manager's options. */
  Options: Symbol.for('kuberx.ManagerOptions'),
} as const;
