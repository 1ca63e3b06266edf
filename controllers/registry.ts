/**
 * The contract between the controller-manager and each reference controller (upstream
 * `cmd/kube-controller-manager/app` `ControllerDescriptor`): a controller is known by its upstream
 * name (the one `--controllers` takes), has a default number of workers (its
 * `--concurrent-…-syncs` flag), and registers its watches and runnables with one shared framework
 * `Manager` when it is enabled.
 *
 * A controller folder exports a descriptor (or a `register…(context)` function that
 * `controllers/index.ts` wraps in one). `register` must only wire things up — start nothing
 * itself; the manager starts everything once it leads.
 */
import type { Clock, Manager } from '../framework/index.js';

/** Settings shared by all controllers of one controller-manager (upstream component config). */
export interface ControllerManagerSettings {
  /** Time source of every controller. */
  readonly clock: Clock;
  /**
   * PEM bundle of the cluster CA, published as the `kube-root-ca.crt` ConfigMap (upstream
   * `--root-ca-file`, else the kubeconfig's CA). Undefined when the API server has no CA (plain
   * HTTP): the root CA publisher then does not run.
   */
  readonly rootCA?: string;
  /** `--terminated-pod-gc-threshold`: terminated pods kept before PodGC deletes the oldest. */
  readonly terminatedPodGCThreshold: number;
  /** `--max-endpoints-per-slice`. */
  readonly maxEndpointsPerSlice: number;
  /** `--mirroring-max-endpoints-per-subset`. */
  readonly mirroringMaxEndpointsPerSubset: number;
}

/** What `register` gets. */
export interface ControllerContext {
  readonly manager: Manager;
  /** Workers for this controller: its `--concurrent-…-syncs` value or its default. */
  readonly concurrency: number;
  readonly settings: ControllerManagerSettings;
}

export interface ControllerDescriptor {
  /** Upstream name as `--controllers` takes it, e.g. `deployment`, `garbagecollector`. */
  readonly name: string;
  /** Other names `--controllers` accepts (upstream 1.28+ long names such as `deployment-controller`). */
  readonly aliases?: readonly string[];
  /**
   * Upstream flag naming the worker count, without dashes (`concurrent-deployment-syncs`);
   * undefined for controllers without workers (e.g. podgc). `--concurrent-<name>-syncs` is
   * accepted as well.
   */
  readonly concurrencyFlag?: string;
  /** Workers when no flag says otherwise (upstream default). */
  readonly defaultConcurrency: number;
  /** Off unless `--controllers` names it (upstream's disabled-by-default controllers). */
  readonly disabledByDefault?: boolean;
  /** Wires the controller into `context.manager`. */
  register(context: ControllerContext): void | Promise<void>;
}
