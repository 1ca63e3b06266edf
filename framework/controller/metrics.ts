/**
 * The hooks a controller reports through, with controller-runtime's metric names (implemented with
 * prom-client in `framework/metrics`): `controller_runtime_reconcile_total{controller,result}`,
 * `…_reconcile_errors_total`, `…_terminal_reconcile_errors_total`, `…_reconcile_panics_total`,
 * `…_reconcile_time_seconds`, `…_reconcile_timeouts_total`, `…_max_concurrent_reconciles`,
 * `…_active_workers`.
 */

export type ReconcileResultLabel = 'success' | 'error' | 'requeue' | 'requeue_after';

export interface ControllerMetrics {
  /** The controller starts with `workers` workers (all series are created at zero). */
  init(controller: string, workers: number): void;
  reconciled(controller: string, result: ReconcileResultLabel, seconds: number): void;
  error(controller: string): void;
  terminalError(controller: string): void;
  panic(controller: string): void;
  timeout(controller: string): void;
  activeWorkers(controller: string, delta: number): void;
}

export const noopControllerMetrics: ControllerMetrics = {
  init: () => {},
  reconciled: () => {},
  error: () => {},
  terminalError: () => {},
  panic: () => {},
  timeout: () => {},
  activeWorkers: () => {},
};
