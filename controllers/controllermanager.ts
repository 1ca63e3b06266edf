/**
 * The controller-manager (upstream `kube-controller-manager`): one framework `Manager` — one set of
 * shared informers, one client, one `/metrics` + `/healthz` + `/readyz` server, one leader
 * election on the Lease `kube-system/kube-controller-manager` — running every enabled reference
 * controller.
 *
 * - `controllers` selects controllers as `--controllers` does (see `selection.ts`); default `*`.
 * - Workers per controller come from `concurrency` (by controller name), else the default.
 * - Client limits: see `clientlimits.ts` (no limit on loopback unless asked).
 * - Nothing runs until the manager leads; losing the Lease stops the manager (its `start`
 *   rejects with `leader election lost`), as upstream exits.
 */
import { readFileSync } from 'node:fs';
import {
  KubeConfigTransport,
  Manager,
  realClock,
  type Clock,
  type KubeConfig,
  type Transport,
} from '../framework/index.js';
import { effectiveClientLimits, RateLimitedTransport, type ClientLimits } from './clientlimits.js';
import {
  controllerManagerFieldManager,
  defaultLeaderElectionID,
  defaultLeaderElectionNamespace,
  defaultLeaseDurationMs,
  defaultMaxEndpointsPerSlice,
  defaultMetricsBindAddress,
  defaultMirroringMaxEndpointsPerSubset,
  defaultRenewDeadlineMs,
  defaultRetryPeriodMs,
  defaultTerminatedPodGCThreshold,
} from './defaults.js';
import type { ControllerDescriptor, ControllerManagerSettings } from './registry.js';
import { enabledControllers } from './selection.js';

export interface ControllerManagerOptions extends ClientLimits {
  /** The cluster. One of `kubeConfig` or `transport` is required. */
  kubeConfig?: KubeConfig;
  transport?: Transport;
  /** The controllers known; `controllers/index.ts` passes all of them. */
  descriptors: readonly ControllerDescriptor[];
  /** `--controllers`; default `*`. */
  controllers?: string;
  /** Workers by controller name (overrides each default). */
  concurrency?: Readonly<Record<string, number>>;
  leaderElect?: boolean;
  leaderElectionID?: string;
  leaderElectionNamespace?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Default `127.0.0.1:10257`; `0` disables. */
  metricsBindAddress?: string;
  healthProbeBindAddress?: string;
  clock?: Clock;
  /** PEM of the cluster CA; default: the kubeconfig's CA, if any. */
  rootCA?: string;
  terminatedPodGCThreshold?: number;
  maxEndpointsPerSlice?: number;
  mirroringMaxEndpointsPerSubset?: number;
  gracefulShutdownTimeoutMs?: number;
}

export interface ControllerManager {
  readonly manager: Manager;
  /** Names of the controllers that were registered, in order. */
  readonly enabled: readonly string[];
  readonly settings: ControllerManagerSettings;
}

/**
 * Builds the manager and registers the enabled controllers. Throws for an unknown controller name
 * or a missing cluster; start it with `manager.start(signal)`.
 */
export async function createControllerManager(
  options: ControllerManagerOptions,
): Promise<ControllerManager> {
  const clock = options.clock ?? realClock;
  const selected = enabledControllers(options.descriptors, options.controllers ?? '*');
  const base =
    options.transport ??
    (options.kubeConfig ? new KubeConfigTransport(options.kubeConfig, { clock }) : undefined);
  if (!base) throw new Error('the controller-manager needs a kubeconfig or a transport');
  const limits = effectiveClientLimits(base.server, options);
  const transport = limits ? new RateLimitedTransport(base, { ...limits, clock }) : base;
  const manager = new Manager({
    transport,
    clock,
    fieldManager: controllerManagerFieldManager,
    metricsBindAddress: options.metricsBindAddress ?? defaultMetricsBindAddress,
    healthProbeBindAddress: options.healthProbeBindAddress,
    leaderElection: options.leaderElect ?? false,
    leaderElectionID: options.leaderElectionID ?? defaultLeaderElectionID,
    leaderElectionNamespace: options.leaderElectionNamespace ?? defaultLeaderElectionNamespace,
    leaseDurationMs: options.leaseDurationMs ?? defaultLeaseDurationMs,
    renewDeadlineMs: options.renewDeadlineMs ?? defaultRenewDeadlineMs,
    retryPeriodMs: options.retryPeriodMs ?? defaultRetryPeriodMs,
    gracefulShutdownTimeoutMs: options.gracefulShutdownTimeoutMs,
  });
  const settings: ControllerManagerSettings = {
    clock,
    rootCA: options.rootCA ?? rootCAOf(options.kubeConfig),
    terminatedPodGCThreshold: options.terminatedPodGCThreshold ?? defaultTerminatedPodGCThreshold,
    maxEndpointsPerSlice: options.maxEndpointsPerSlice ?? defaultMaxEndpointsPerSlice,
    mirroringMaxEndpointsPerSubset:
      options.mirroringMaxEndpointsPerSubset ?? defaultMirroringMaxEndpointsPerSubset,
  };
  for (const descriptor of selected) {
    const concurrency = options.concurrency?.[descriptor.name] ?? descriptor.defaultConcurrency;
    await descriptor.register({ manager, concurrency, settings });
  }
  return { manager, enabled: selected.map((d) => d.name), settings };
}

/** The PEM CA bundle of the kubeconfig's current cluster (inline or from its file), if any. */
export function rootCAOf(kubeConfig: KubeConfig | undefined): string | undefined {
  const cluster = kubeConfig?.getCurrentCluster();
  if (cluster?.caData) return Buffer.from(cluster.caData, 'base64').toString('utf8');
  if (cluster?.caFile) return readFileSync(cluster.caFile, 'utf8');
  return undefined;
}
