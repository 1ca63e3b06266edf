/**
 * The scheduler inside a framework {@link Manager}: shared informers feed the scheduler's handlers
 * and listers, writes go through the manager's API client, metrics land on the manager's registry
 * and the scheduling loop runs as a leader-only runnable.
 *
 * Informers (Pods, Nodes, Namespaces, PodDisruptionBudgets, Services, ReplicaSets, StatefulSets,
 * ReplicationControllers) start with the manager — before leader election, so a standby has a
 * warm cache — and the loop starts once it leads and every handler has synced. A readiness check
 * `scheduler-informers` reports unsynced handlers.
 */
import { hostname } from 'node:os';
import { createLogger, type LabelSelector } from '../../common/index.js';
import {
  kinds,
  type HandlerRegistration,
  type KindRef,
  type KubernetesObject,
  type Manager,
  type Namespace,
  type PodDisruptionBudget,
  type ReplicaSet,
  type ReplicationController,
  type Service,
  type StatefulSet,
} from '../../framework/index.js';
import { ApiSchedulerClient } from './client.js';
import { defaultSchedulerName } from './defaults.js';
import { serviceSelects, type ClusterListers } from './listers.js';
import { schedulerMetrics } from './metrics.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

const log = createLogger({ component: 'scheduler' });

type Store<T> = {
  getByName(namespace: string | undefined, name: string): Readonly<T> | undefined;
  list(options?: { namespace?: string }): Readonly<T>[];
};

const emptyStore: Store<never> = { getByName: () => undefined, list: () => [] };

/** Listers reading the shared informers' caches. */
export class InformerListers implements ClusterListers {
  namespacesStore: Store<Namespace> = emptyStore;
  servicesStore: Store<Service> = emptyStore;
  replicationControllersStore: Store<ReplicationController> = emptyStore;
  replicaSetsStore: Store<ReplicaSet> = emptyStore;
  statefulSetsStore: Store<StatefulSet> = emptyStore;
  pdbsStore: Store<PodDisruptionBudget> = emptyStore;

  namespaceLabels(namespace: string) {
    const ns = this.namespacesStore.getByName(undefined, namespace);
    return ns ? ((ns.metadata?.labels ?? {}) as Record<string, string>) : undefined;
  }

  *namespaces() {
    for (const ns of this.namespacesStore.list()) {
      yield {
        name: ns.metadata?.name ?? '',
        labels: (ns.metadata?.labels ?? {}) as Record<string, string>,
      };
    }
  }

  serviceSelectorsFor(namespace: string, labels: Readonly<Record<string, string>>) {
    const out: Record<string, string>[] = [];
    for (const s of this.servicesStore.list({ namespace })) {
      const sel = s.spec?.selector as Record<string, string> | undefined;
      if (serviceSelects(sel, labels)) out.push(sel!);
    }
    return out;
  }

  replicationControllerSelector(namespace: string, name: string) {
    return this.replicationControllersStore.getByName(namespace, name)?.spec?.selector as
      Record<string, string> | undefined;
  }

  replicaSetSelector(namespace: string, name: string) {
    return this.replicaSetsStore.getByName(namespace, name)?.spec?.selector as
      LabelSelector | undefined;
  }

  statefulSetSelector(namespace: string, name: string) {
    return this.statefulSetsStore.getByName(namespace, name)?.spec?.selector as
      LabelSelector | undefined;
  }

  podDisruptionBudgets() {
    return this.pdbsStore.list();
  }
}

export type AddSchedulerOptions = Omit<
  SchedulerOptions,
  'client' | 'listers' | 'clock' | 'metrics'
>;

/**
 * Adds a scheduler to `manager` (see the module comment) and returns it. Call before
 * `manager.start()`.
 */
export function addScheduler(manager: Manager, options: AddSchedulerOptions = {}): Scheduler {
  const name = options.schedulerName ?? defaultSchedulerName;
  const listers = new InformerListers();
  const client = new ApiSchedulerClient(manager.apiClient, {
    component: name,
    host: hostname(),
    clock: manager.clock,
    onError: (err, what) => log.warn({ err: String(err) }, `could not ${what}`),
  });
  const scheduler = new Scheduler({
    ...options,
    client,
    listers,
    clock: manager.clock,
    metrics: (sources) => schedulerMetrics(manager.metrics.registry, name, sources),
  });
  const h = scheduler.handlers;
  const informer = async <T extends KubernetesObject>(ref: KindRef) =>
    (await manager.informers.informerFor(ref)) as unknown as {
      store: Store<T>;
      addEventHandler(handler: {
        onAdd?(o: Readonly<T>): void;
        onUpdate?(a: Readonly<T>, b: Readonly<T>): void;
        onDelete?(o: Readonly<T>): void;
      }): HandlerRegistration;
    };
  const registrations = (async () => {
    const regs: HandlerRegistration[] = [];
    const nodes = await informer(kinds.Node);
    regs.push(
      nodes.addEventHandler({
        onAdd: (n) => h.onNodeAdd(n),
        onUpdate: (o, n) => h.onNodeUpdate(o, n),
        onDelete: (n) => h.onNodeDelete(n),
      }),
    );
    const pods = await informer(kinds.Pod);
    regs.push(
      pods.addEventHandler({
        onAdd: (p) => h.onPodAdd(p),
        onUpdate: (o, p) => h.onPodUpdate(o, p),
        onDelete: (p) => h.onPodDelete(p),
      }),
    );
    const stores: Array<[KindRef, (s: Store<never>) => void]> = [
      [kinds.Namespace, (s) => (listers.namespacesStore = s)],
      [kinds.PodDisruptionBudget, (s) => (listers.pdbsStore = s)],
      [kinds.Service, (s) => (listers.servicesStore = s)],
      [kinds.ReplicaSet, (s) => (listers.replicaSetsStore = s)],
      [kinds.StatefulSet, (s) => (listers.statefulSetsStore = s)],
      [kinds.ReplicationController, (s) => (listers.replicationControllersStore = s)],
    ];
    for (const [ref, set] of stores) {
      const inf = await informer<never>(ref);
      set(inf.store);
      regs.push(inf.addEventHandler({}));
    }
    return regs;
  })();
  // Awaited by the readiness check and the runnable; mark it handled for the time before.
  registrations.catch(() => {});
  manager.addReadyzCheck('scheduler-informers', async () => {
    const regs = await registrations;
    const unsynced = regs.filter((r) => !r.hasSynced()).length;
    if (unsynced > 0) throw new Error(`${unsynced} scheduler informer(s) have not synced yet`);
  });
  manager.add({
    needLeaderElection: true,
    start: async (signal) => {
      const regs = await registrations;
      await Promise.all(regs.map((r) => r.synced()));
      await scheduler.run(signal);
    },
  });
  return scheduler;
}
