/**
 * The scheduler as a process (upstream `cmd/kube-scheduler/app/server.go`): a framework Manager
 * with the scheduler added, optional leader election on the Lease `kube-system/kube-scheduler`
 * (15 s / 10 s / 2 s), and `/metrics`, `/healthz`, `/readyz` on `127.0.0.1:10259` (plain HTTP on
 * loopback; upstream serves HTTPS there).
 *
 * `kuberx scheduler` and `kuberx up` both use {@link createSchedulerManager}: start the returned
 * manager (`await manager.start(signal)`) and it runs until the signal aborts or leadership is
 * lost (then `start` rejects with `leader election lost` and the process should exit).
 */
import { Manager, type Clock, type KubeConfig } from '../../framework/index.js';
import {
  defaultLeaderElectionID,
  defaultLeaderElectionNamespace,
  defaultMetricsBindAddress,
  schedulerFieldManager,
} from './defaults.js';
import { addScheduler, type AddSchedulerOptions } from './informers.js';
import type { Scheduler } from './scheduler.js';

export interface SchedulerProcessOptions {
  kubeConfig: KubeConfig;
  /** Take part in leader election. Default false. */
  leaderElect?: boolean;
  /** Default `kube-scheduler`. */
  leaderElectionID?: string;
  /** Default `kube-system`. */
  leaderElectionNamespace?: string;
  /** This candidate's identity in the Lease. Default `<hostname>_<uuid>`. */
  leaderElectionIdentity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** `host:port` of `/metrics`, `/healthz`, `/readyz`; `0` disables. Default `127.0.0.1:10259`. */
  metricsBindAddress?: string;
  clock?: Clock;
  scheduler?: AddSchedulerOptions;
}

export function createSchedulerManager(options: SchedulerProcessOptions): {
  manager: Manager;
  scheduler: Scheduler;
} {
  const manager = new Manager({
    kubeConfig: options.kubeConfig,
    clock: options.clock,
    fieldManager: schedulerFieldManager,
    metricsBindAddress: options.metricsBindAddress ?? defaultMetricsBindAddress,
    leaderElection: options.leaderElect ?? false,
    leaderElectionID: options.leaderElectionID ?? defaultLeaderElectionID,
    leaderElectionNamespace: options.leaderElectionNamespace ?? defaultLeaderElectionNamespace,
    leaderElectionIdentity: options.leaderElectionIdentity,
    leaseDurationMs: options.leaseDurationMs,
    renewDeadlineMs: options.renewDeadlineMs,
    retryPeriodMs: options.retryPeriodMs,
  });
  const scheduler = addScheduler(manager, options.scheduler);
  return { manager, scheduler };
}
